using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Success bodies the SDK reads into memory (JSON results, undocumented 2xx bodies), huge or dripped, against
/// every provider's JSON call: the read stops at <see cref="ProviderClientOptions.MaxBufferedBodyBytes"/> and within
/// Overall. Every scenario asserts the monitor's invariants.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BodyLimitTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(3);
    private static readonly string[] JsonProviders = ["HrMax", "HeadHunter", "HrFlow"];

    private const int DefaultCap = 16 * 1024 * 1024;

    /// <summary>What a call may allocate beyond the cap: one body segment (1 MiB) and the call's own small change.</summary>
    private const int AllocationSlack = 2 * 1024 * 1024;

    private const int PadBytes = 128 * 1024;

    // Whitespace in a valid JSON document, made once (plain and as one HTTP chunk): the listener allocates nothing per write.
    private static readonly byte[] Pad = Encoding.ASCII.GetBytes(new string(' ', PadBytes));
    private static readonly byte[] PadChunk = Encoding.ASCII.GetBytes($"{PadBytes:x}\r\n" + new string(' ', PadBytes) + "\r\n");

    // One 128 KiB chunk of a chunked JSON array, made once: the listener's own allocation stays out of the figures.
    // (The monitor's record of each byte-count measurement, one per read, costs about 5 KiB: large chunks keep that small.)
    private static readonly byte[] Chunk = Encoding.ASCII.GetBytes("20000\r\n" + "[" + string.Concat(Enumerable.Repeat("1,", (128 * 1024 - 1) / 2)) + "1" + "\r\n");

    private static Func<RawExchange, Task> HugeJson(long size, bool chunked) => async exchange =>
    {
        if (exchange.Request.Method == "GET" && exchange.Request.Target.Contains("conditions", StringComparison.Ordinal))
        {
            await exchange.RespondAsync(404, "application/json", Utf8("{}"));
            return;
        }

        if (chunked)
        {
            await exchange.WriteAsync(RawExchange.Head(200, "application/json", -1, [("Transfer-Encoding", "chunked")]));
            for (long sent = 0; sent < size; sent += 128 * 1024)
            {
                await exchange.WriteAsync(Chunk);
            }
        }
        else
        {
            await exchange.WriteAsync(RawExchange.Head(200, "application/json", size));
            await exchange.FloodAsync(Utf8("[1,1,1,1,1,1,1,1,"), size);
        }
    };

    public static IEnumerable<TestCaseData> HugeJsonCases()
        => from provider in JsonProviders
           from shape in new[] { (300L << 20, true), (300L << 20, false), (40L << 20, true) }
           from cap in new[] { 64 * 1024, 1 << 20 }
           select new TestCaseData(provider, shape.Item1, shape.Item2, cap).SetName($"Huge JSON success body: {provider}, {shape.Item1 >> 20} MiB {(shape.Item2 ? "chunked" : "with Content-Length")}, cap {cap / 1024} KiB");

    [TestCaseSource(nameof(HugeJsonCases))]
    public async Task A_huge_json_success_body_stops_at_the_cap_with_the_providers_exception(string provider, long size, bool chunked, int cap)
    {
        await using var api = new RawTcpServer("api", HugeJson(size, chunked));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: {size >> 20} MiB JSON, cap {cap}").WithAllCredentials(api, token).Observe(api, token);

        var call = await Call(provider, api, monitor, options => options.MaxBufferedBodyBytes = cap);

        Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>(), call.Failure?.ToString());
        Assert.That(call.Failure!.Message, Does.Contain("MaxBufferedBodyBytes"));
        monitor.AssertInvariants();
    }

    [TestCase("HeadHunter")]
    [TestCase("HrFlow")]
    public async Task The_default_cap_bounds_a_300_MiB_json_body_too(string provider)
    {
        await using var api = new RawTcpServer("api", HugeJson(300L << 20, chunked: true));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: 300 MiB JSON, default cap").WithAllCredentials(api, token).Observe(api, token);

        var call = await Call(provider, api, monitor, _ => { }, allocationCap: DefaultCap + AllocationSlack);

        Assert.That(call.Failure?.Message, Does.Contain("MaxBufferedBodyBytes"));
        monitor.AssertInvariants();
    }

    public enum BodyFraming
    {
        ContentLength,
        Chunked,
        CloseDelimited,
    }

    public static IEnumerable<TestCaseData> NearCapCases()
        => from provider in new[] { "HeadHunter", "HrFlow" }
           from cap in new[] { DefaultCap, 1 << 20 }
           from framing in new[] { BodyFraming.ContentLength, BodyFraming.Chunked, BodyFraming.CloseDelimited }
           from over in new[] { false, true }
           select new TestCaseData(provider, cap, framing, over).SetName($"JSON body 100 bytes {(over ? "over" : "under")} the cap: {provider}, cap {cap >> 10} KiB, {framing}");

    /// <summary>
    /// A valid JSON result 100 bytes under the cap is read with allocation within the cap plus a constant (not twice the
    /// cap, as <c>LoadIntoBufferAsync</c>'s doubling buffer did), and one 100 bytes over it fails naming the cap, with
    /// the same bound: the body's length declared or not, chunked or ended by closing the connection.
    /// </summary>
    [TestCaseSource(nameof(NearCapCases))]
    public async Task A_json_body_near_the_cap_allocates_the_cap_plus_a_constant(string provider, int cap, BodyFraming framing, bool over)
    {
        var (head, tail) = provider == "HeadHunter"
            ? ("""{"items":[],"found":0,"pages":0,"page":0,"per_page":20""", "}")
            : ("""{"code":200,"message":"ok","data":[]""", "}");
        var size = over ? cap + 100L : cap - 100L;
        var pads = (int)((size - head.Length - tail.Length) / PadBytes);
        var chunked = framing == BodyFraming.Chunked;
        var first = Framed(head + new string(' ', (int)(size - head.Length - tail.Length - ((long)pads * PadBytes))), chunked);
        var last = Framed(tail, chunked).Concat(chunked ? Encoding.ASCII.GetBytes("0\r\n\r\n") : []).ToArray();
        var start = RawExchange.Head(200, "application/json", framing == BodyFraming.ContentLength ? size : -1, chunked ? [("Transfer-Encoding", "chunked")] : null);
        await using var api = new RawTcpServer("api", async exchange =>
        {
            if (exchange.Request.Target.Contains("conditions", StringComparison.Ordinal))
            {
                await exchange.RespondAsync(404, "application/json", Utf8("{}"));
                return;
            }

            await exchange.WriteAsync(start);
            await exchange.WriteAsync(first);
            for (var i = 0; i < pads; i++)
            {
                await exchange.WriteAsync(chunked ? PadChunk : Pad);
            }

            await exchange.WriteAsync(last);
            exchange.Close();
        });
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: {size} B JSON, cap {cap}, {framing}").WithAllCredentials(api, token).Observe(api, token);

        var call = await Call(provider, api, monitor, options => options.MaxBufferedBodyBytes = cap, allocationCap: cap + AllocationSlack, overall: TimeSpan.FromSeconds(10));

        if (over)
        {
            Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>(), call.Failure?.ToString());
            Assert.That(call.Failure!.Message, Does.Contain("MaxBufferedBodyBytes"));
        }
        else
        {
            Assert.That(call.Failure, Is.Null, call.Failure?.ToString());
        }

        Assert.That(call.Allocated, Is.LessThan(cap + AllocationSlack), $"allocated {call.Allocated / 1024} KiB for a {size / 1024} KiB body");
        monitor.AssertInvariants();
    }

    private static byte[] Framed(string text, bool chunked) => Encoding.ASCII.GetBytes(chunked ? $"{text.Length:x}\r\n{text}\r\n" : text);

    public static IEnumerable<TestCaseData> DripCases()
        => from provider in JsonProviders
           from declared in new[] { true, false }
           select new TestCaseData(provider, declared).SetName($"JSON success body dripped: {provider}, {(declared ? "with Content-Length" : "close-delimited")}");

    [TestCaseSource(nameof(DripCases))]
    public async Task A_dripped_json_success_body_ends_within_overall(string provider, bool declared)
    {
        var body = Utf8("[" + new string(' ', 200) + "]");
        await using var api = new RawTcpServer("api", async exchange =>
        {
            if (exchange.Request.Target.Contains("conditions", StringComparison.Ordinal))
            {
                await exchange.RespondAsync(404, "application/json", Utf8("{}"));
                return;
            }

            await exchange.WriteAsync(RawExchange.Head(200, "application/json", declared ? body.Length : -1));
            await exchange.DripAsync(body, 1, TimeSpan.FromMilliseconds(50));
            exchange.Close();
        });
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: JSON dripped").WithAllCredentials(api, token).Observe(api, token);

        var call = await Call(provider, api, monitor, _ => { }, overall: TimeSpan.FromSeconds(1.5));

        Assert.That(call.Failure, Is.InstanceOf<ProviderTimeoutException>(), call.Failure?.ToString());
        monitor.AssertInvariants();
    }

    [TestCase(200L << 20, true)]
    [TestCase(200L << 20, false)]
    public async Task A_body_where_none_was_documented_is_not_read_whole(long size, bool chunked)
    {
        await using var api = new RawTcpServer("api", HugeJson(size, chunked));
        using var monitor = new InvariantMonitor($"200 with {size >> 20} MiB where 204 was documented").WithAllCredentials(api).Observe(api);
        using var hh = NewHeadHunter(api, new LoopbackRouting(), monitor, Overall);

        await monitor.CallAsync(() => hh.Client.DeleteArtifactAsync("12345"), Overall);

        monitor.AssertInvariants();
    }

    private static async Task<CallOutcome> Call(string provider, RawTcpServer api, InvariantMonitor monitor, Action<ProviderClientOptions> configure, long allocationCap = 8L * 1024 * 1024, TimeSpan? overall = null)
    {
        var limit = overall ?? Overall;
        var routing = new LoopbackRouting();
        switch (provider)
        {
            case "HrMax":
            {
                var options = new HrMaxClientOptions { Endpoint = api.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>(HrMaxToken) };
                Tune(options, monitor, limit);
                configure(options);
                using var http = HrMaxClient.CreateHttpClient(options, routing.CreateTransport());
                using var client = new HrMaxClient(options, http);
                return await monitor.CallAsync(() => client.AttachFileAsync("wf010", new MemoryStream(Utf8("%PDF-1.4")), "a.pdf"), limit, allocationCap);
            }

            case "HeadHunter":
            {
                var options = new HeadHunter.HeadHunterClientOptions { Endpoint = api.BaseAddress, UserAgent = "HostileTests/1.0 (tests)", AccessTokenCallback = (_, _) => new ValueTask<string>(HhToken) };
                Tune(options, monitor, limit);
                configure(options);
                using var http = HeadHunter.HeadHunterClient.CreateHttpClient(options, routing.CreateTransport());
                using var client = new HeadHunter.HeadHunterClient(options, http);
                return await monitor.CallAsync(() => client.ListPhotosAsync(), limit, allocationCap);
            }

            default:
            {
                var options = new HrFlow.HrFlowClientOptions { Endpoint = api.BaseAddress, ApiKey = HrFlowApiKey, UserEmail = HrFlowUserEmail };
                Tune(options, monitor, limit);
                configure(options);
                using var http = HrFlow.HrFlowClient.CreateHttpClient(options, routing.CreateTransport());
                using var client = new HrFlow.HrFlowClient(options, http);
                return await monitor.CallAsync(() => client.ListProfileAttachmentsAsync("source-key-1234", email: HrFlowProfileEmail), limit, allocationCap);
            }
        }
    }
}
