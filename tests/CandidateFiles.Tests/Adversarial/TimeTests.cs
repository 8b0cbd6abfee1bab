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
}
