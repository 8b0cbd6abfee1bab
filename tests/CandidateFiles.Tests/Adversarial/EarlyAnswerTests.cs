using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// A server that refuses an upload as soon as its headers are in (413, a multipart parser's 450), then closes the
/// connection: the caller gets the provider's exception with that status, not a transport error about copying
/// content. (A refusal part-way through the body followed by a reset is still a transport error: .NET's HTTP/1.1
/// connection drops the answer when the send fails.) Every scenario asserts the monitor's invariants.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EarlyAnswerTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(4);

    public static IEnumerable<TestCaseData> Cases()
        => from provider in new[] { "HrMax", "HeadHunter" }
           from status in new[] { 413, 450, 400 }
           select new TestCaseData(provider, status, 0L).SetName($"Upload refused as soon as its headers arrive: {provider} {status}");

    [TestCaseSource(nameof(Cases))]
    public async Task An_upload_refused_before_it_is_read_is_the_providers_exception_with_that_status(string provider, int status, long after)
    {
        var upload = new byte[(provider == "HrMax" ? 8 : 5) * 1024 * 1024];
        var answer = Utf8($"{{\"code\":{status},\"msg\":\"too large\"}}");
        await using var api = new RawTcpServer("api", async exchange =>
        {
            if (exchange.Request.Method == "GET")
            {
                await exchange.RespondAsync(404, "application/json", Utf8("{}"));
                return;
            }

            await exchange.RespondAsync(status, "application/json", answer, [("Connection", "close")]);
            exchange.Close();
        }) { ReceiveBufferBytes = 64 * 1024 };
        using var monitor = new InvariantMonitor($"{provider}: {status} after {after} bytes").WithAllCredentials(api).Observe(api);
        var routing = new LoopbackRouting { SendBufferBytes = 64 * 1024 };
        CallOutcome call;
        if (provider == "HrMax")
        {
            api.AnswerAfterBodyBytes = after;
            using var hrMax = NewHrMax(api, routing, monitor, Overall);
            call = await monitor.CallAsync(() => hrMax.Client.AttachFileAsync("wf010", new MemoryStream(upload, writable: false), "cv.pdf"), Overall);
        }
        else
        {
            // hh.ru's upload asks for its conditions first (a GET, answered whole); the upload is refused early.
            using var hh = NewHeadHunter(api, routing, monitor, Overall);
            api.Script = WithEarlyUpload(api, after, api.Script);
            call = await monitor.CallAsync(() => hh.Client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(upload, writable: false), "me.png"), Overall);
        }

        Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>(), call.Failure?.ToString());
        Assert.That(((ProviderApiException)call.Failure!).StatusCode, Is.EqualTo(status));
        monitor.AssertInvariants();
    }

    // The listener answers early only once the GET is done: the setting is per listener, so it is switched on by the first request.
    private static Func<RawExchange, Task> WithEarlyUpload(RawTcpServer api, long after, Func<RawExchange, Task> script) => async exchange =>
    {
        api.AnswerAfterBodyBytes = after;
        await script(exchange);
    };
}
