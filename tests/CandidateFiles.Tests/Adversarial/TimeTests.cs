using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Every call ends: uploads that keep flowing are not cut by the per-attempt limit, uploads that stall are, and a
/// token callback that never returns cannot hold a call past Overall. Every scenario asserts the monitor's invariants.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TimeTests
{
    private const string Attached = """{"fileUUID":"u-1","fileName":"cv.pdf","fileSize":1,"fileMime":"application/pdf","isTmp":1,"uuid":"u-1"}""";

    [TestCase(2, 20)]
    [TestCase(1, 40)]
    public async Task An_upload_that_keeps_flowing_is_not_cut_by_the_per_attempt_limit(int mebibytes, int pauseMilliseconds)
    {
        var upload = new byte[mebibytes * 1024 * 1024];
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/json", Attached)) { KeepBodyBytes = 4096, BodyReadPause = TimeSpan.FromMilliseconds(pauseMilliseconds), ReceiveBufferBytes = 64 * 1024 };
        using var monitor = new InvariantMonitor($"{mebibytes} MiB upload read a 16 KiB block every {pauseMilliseconds} ms").WithAllCredentials(api).Observe(api);
        var overall = TimeSpan.FromSeconds(40);
        using var hrMax = NewHrMax(api, new LoopbackRouting { SendBufferBytes = 64 * 1024 }, monitor, overall);
        var options = (HrMaxClientOptions)typeof(HrMaxClient).GetProperty("ClientOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(hrMax.Client)!;
        options.Timeouts.PerAttempt = TimeSpan.FromSeconds(1.5);

        var call = await monitor.CallAsync(() => hrMax.Client.AttachFileAsync("wf010", new MemoryStream(upload, writable: false), "cv.pdf"), overall);

        Assert.That(call.Failure, Is.Null, call.Failure?.ToString());
        Assert.That(call.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(1.5)), "the upload took longer than the per-attempt limit");
        Assert.That(api.Requests.TryPeek(out var request) ? request.Length : 0, Is.GreaterThan(upload.Length));
        monitor.AssertInvariants();
    }

    [TestCase(2)]
    [TestCase(5)]
    public async Task An_upload_the_server_stops_reading_ends_at_the_per_attempt_limit(int mebibytes)
    {
        var upload = new byte[mebibytes * 1024 * 1024];
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/json", Attached)) { KeepBodyBytes = 4096, BodyReadPause = TimeSpan.FromMinutes(10), ReceiveBufferBytes = 64 * 1024 };
        using var monitor = new InvariantMonitor($"{mebibytes} MiB upload never read").WithAllCredentials(api).Observe(api);
        var overall = TimeSpan.FromSeconds(6);
        using var hrMax = NewHrMax(api, new LoopbackRouting { SendBufferBytes = 64 * 1024 }, monitor, overall);
        var options = (HrMaxClientOptions)typeof(HrMaxClient).GetProperty("ClientOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(hrMax.Client)!;
        options.Timeouts.PerAttempt = TimeSpan.FromSeconds(1);

        var call = await monitor.CallAsync(() => hrMax.Client.AttachFileAsync("wf010", new MemoryStream(upload, writable: false), "cv.pdf"), overall);

        Assert.That(call.Failure, Is.InstanceOf<ProviderTimeoutException>(), call.Failure?.ToString());
        Assert.That(((ProviderTimeoutException)call.Failure!).Kind, Is.EqualTo(ProviderTimeoutKind.Attempt));
        Assert.That(call.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "one stalled attempt, a POST not repeated");
        monitor.AssertInvariants();
    }

    [TestCase("HrMax")]
    [TestCase("HeadHunter")]
    public async Task A_token_callback_that_never_returns_and_ignores_its_token_cannot_hold_the_call(string provider)
    {
        var never = new TaskCompletionSource<string>();
        Auth.AccessTokenCallback callback = (_, _) => new ValueTask<string>(never.Task);
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/json", "{}"));
        using var monitor = new InvariantMonitor($"{provider}: token callback never returns").WithAllCredentials(api).Observe(api);
        var overall = TimeSpan.FromSeconds(1.5);

        CallOutcome first, second;
        if (provider == "HrMax")
        {
            using var hrMax = NewHrMax(api, new LoopbackRouting(), monitor, overall, callback);
            first = await monitor.CallAsync(() => hrMax.Client.DownloadFileAsync("uuid-1"), overall);
            second = await monitor.CallAsync(() => hrMax.Client.DownloadFileAsync("uuid-1"), overall);
        }
        else
        {
            using var hh = NewHeadHunter(api, new LoopbackRouting(), monitor, overall, callback);
            first = await monitor.CallAsync(() => hh.Client.ListPhotosAsync(), overall);
            second = await monitor.CallAsync(() => hh.Client.ListPhotosAsync(), overall);
        }

        Assert.Multiple(() =>
        {
            Assert.That(first.Failure, Is.InstanceOf<ProviderTimeoutException>(), first.Failure?.ToString());
            Assert.That(second.Failure, Is.InstanceOf<ProviderTimeoutException>(), "a later call ends too");
            Assert.That(api.Requests, Is.Empty, "no request without a token");
        });
        monitor.AssertInvariants();
    }

    [TestCase("Ehrweb", 1, 100)]
    [TestCase("Ehrweb", 40, 200)]
    [TestCase("HrMax", 1, 100)]
    [TestCase("HrMax", 16, 100)]
    public async Task A_download_trickling_below_the_minimum_rate_ends_without_a_token(string provider, int bytesPerDrip, int pauseMilliseconds)
    {
        var body = new byte[100_000];
        await using var api = new RawTcpServer("api", async exchange =>
        {
            await exchange.WriteAsync(RawExchange.Head(200, "application/pdf", body.Length));
            await exchange.DripAsync(body, bytesPerDrip, TimeSpan.FromMilliseconds(pauseMilliseconds));
        });
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: download trickling {bytesPerDrip} B every {pauseMilliseconds} ms").WithAllCredentials(api, token).Observe(api, token);
        var call = await Download(provider, api, token, monitor, minimumBytesPerSecond: 1000);

        Assert.That(call.Failure, Is.InstanceOf<ProviderTimeoutException>(), call.Failure?.ToString());
        Assert.That(((ProviderTimeoutException)call.Failure!).Kind, Is.EqualTo(ProviderTimeoutKind.BodyTooSlow));
        Assert.That(Directory.GetFiles(_directory), Is.Empty, "nothing saved");
        monitor.AssertInvariants();
    }

    [TestCase("Ehrweb")]
    [TestCase("HrMax")]
    public async Task A_download_above_the_minimum_rate_is_saved_however_long_it_takes(string provider)
    {
        var body = new byte[60_000];
        Random.Shared.NextBytes(body);
        await using var api = new RawTcpServer("api", async exchange =>
        {
            await exchange.WriteAsync(RawExchange.Head(200, "application/pdf", body.Length));
            await exchange.DripAsync(body, 2000, TimeSpan.FromMilliseconds(50));
        });
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: download at 40 KB/s").WithAllCredentials(api, token).Observe(api, token);

        var call = await Download(provider, api, token, monitor, minimumBytesPerSecond: 1000);

        Assert.That(call.Failure, Is.Null, call.Failure?.ToString());
        Assert.That(File.ReadAllBytes(Path.Combine(_directory, "file.pdf")), Is.EqualTo(body));
        monitor.AssertInvariants();
    }

    [TestCase("HeadHunter", 0.5)]
    [TestCase("HrFlow", 0.7)]
    [TestCase("HrMax", 0.5)]
    public async Task Time_limits_can_be_overridden_for_the_calls_of_a_scope(string provider, double seconds)
    {
        await using var api = new RawTcpServer("api", exchange => Task.Delay(TimeSpan.FromSeconds(30), exchange.Stopping));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: Overall overridden to {seconds} s").WithAllCredentials(api, token).Observe(api, token);
        var configured = TimeSpan.FromSeconds(2);
        var scoped = TimeSpan.FromSeconds(seconds);

        CallOutcome inside;
        using (CallTimeouts.Override(overall: scoped))
        {
            inside = await HostileClients.CallProvider(provider, api, token, new LoopbackRouting(), monitor, configured);
        }

        var after = await HostileClients.CallProvider(provider, api, token, new LoopbackRouting(), monitor, configured);

        Assert.Multiple(() =>
        {
            Assert.That((inside.Failure as ProviderTimeoutException)?.Limit, Is.EqualTo(scoped), inside.Failure?.ToString());
            Assert.That(inside.Elapsed, Is.LessThan(configured), "the scope's shorter limit ended the call");
            Assert.That((after.Failure as ProviderTimeoutException)?.Limit, Is.EqualTo(configured), "outside the scope, the client's own limit");
        });
        monitor.AssertInvariants();
    }

    [Test]
    public void A_scope_refuses_a_limit_that_is_not_positive()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => CallTimeouts.Override(overall: TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("overall"));
            Assert.That(() => CallTimeouts.Override(perAttempt: TimeSpan.FromSeconds(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("perAttempt"));
        });
    }

    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("cf-time-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private async Task<CallOutcome> Download(string provider, RawTcpServer api, RawTcpServer token, InvariantMonitor monitor, int minimumBytesPerSecond)
    {
        var overall = TimeSpan.FromSeconds(2.5);
        var path = Path.Combine(_directory, "file.pdf");
        if (provider == "Ehrweb")
        {
            var options = EhrwebOptions(api, token, monitor, overall);
            options.Timeouts.MinimumBytesPerSecond = minimumBytesPerSecond;
            options.Timeouts.LowSpeedWindow = TimeSpan.FromSeconds(1);
            using var http = Ehrweb.EhrwebResumeClient.CreateHttpClient(options, new LoopbackRouting().CreateTransport());
            using var client = new Ehrweb.EhrwebResumeClient(options, http);
            return await monitor.CallAsync(async () => { using var file = await client.GetHeadshotAsync(EhrwebFileId); await file.SaveToFileAsync(path); }, overall);
        }

        var hrMaxOptions = new HrMaxClientOptions { Endpoint = api.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>(HrMaxToken) };
        Tune(hrMaxOptions, monitor, overall);
        hrMaxOptions.Timeouts.MinimumBytesPerSecond = minimumBytesPerSecond;
        hrMaxOptions.Timeouts.LowSpeedWindow = TimeSpan.FromSeconds(1);
        using var hrMaxHttp = HrMaxClient.CreateHttpClient(hrMaxOptions, new LoopbackRouting().CreateTransport());
        using var hrMax = new HrMaxClient(hrMaxOptions, hrMaxHttp);
        return await monitor.CallAsync(async () => { using var file = await hrMax.DownloadFileAsync("uuid-1"); await file.SaveToFileAsync(path); }, overall);
    }
}
