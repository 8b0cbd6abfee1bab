using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Arguments that would send something else than the caller meant (a dot segment in a path, a blank id, a negative
/// page): refused with an <see cref="ArgumentException"/> naming the parameter before anything goes on the wire.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InputTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(2);

    private static readonly string[] BadIds = ["..", ".", "", " ", "\t", " \u00a0 "];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var id in BadIds)
        {
            yield return Case("HeadHunter DeleteArtifact", $"id '{Escape(id)}'", "id", c => c.Hh.DeleteArtifactAsync(id));
            yield return Case("HeadHunter UpdateArtifact", $"id '{Escape(id)}'", "id", c => c.Hh.UpdateArtifactAsync(id, "text"));
        }

        foreach (var (page, perPage, parameter) in new[] { (-1, 0, "page"), (-5, 20, "page"), (0, 0, "perPage"), (2, -3, "perPage") })
        {
            yield return Case("HeadHunter ListPhotos", $"page {page}, perPage {perPage}", parameter, c => c.Hh.ListPhotosAsync(page, perPage));
            yield return Case("HeadHunter ListPortfolio", $"page {page}, perPage {perPage}", parameter, c => c.Hh.ListPortfolioAsync(page, perPage));
        }

#pragma warning disable CS0618 // The deprecated HrFlow call is still offered, so its arguments are checked too.
        foreach (var blank in new[] { "", " ", "\t\n" })
        {
            yield return Case("HrFlow ListProfileAttachmentsLegacy", $"sourceId '{Escape(blank)}'", "sourceId", c => c.HrFlow.ListProfileAttachmentsLegacyAsync(blank, profileId: "p1"));
            yield return Case("HrFlow ListProfileAttachmentsLegacy", $"profileId '{Escape(blank)}'", "profileId", c => c.HrFlow.ListProfileAttachmentsLegacyAsync("source-1", profileId: blank));
            yield return Case("HrFlow ListProfileAttachments", $"sourceKey '{Escape(blank)}'", "sourceKey", c => c.HrFlow.ListProfileAttachmentsAsync(blank, key: "p1"));
            yield return Case("Ehrweb GetHeadshot", $"fileId '{Escape(blank)}'", "fileId", async c => { using var file = await c.Ehrweb.GetHeadshotAsync(blank); });
            yield return Case("HrMax AttachFile", $"funCode '{Escape(blank)}'", "funCode", c => c.HrMax.AttachFileAsync(blank, new MemoryStream(Utf8("%PDF-1.4")), "a.pdf"));

            // Issue #14: the rules no spec states (a JSON body's field, one identifier of several) are checked from the
            // parameters too, through the generated method itself (the convenience overloads check before it).
            yield return Case("HrMax DetachFile", $"body uuid '{Escape(blank)}'", "uuid", c => c.HrMax.DetachFileAsync(new FileReference { Uuid = blank }));
            yield return Case("HrMax DownloadFile", $"body uuid '{Escape(blank)}'", "uuid", async c => { using var file = await c.HrMax.DownloadFileAsync(new FileReference { Uuid = blank }); });
            yield return Case("HrFlow ListProfileAttachments", $"reference '{Escape(blank)}'", "reference", c => c.HrFlow.ListProfileAttachmentsAsync("source-1", reference: blank));
        }

        yield return Case("HrMax DetachFile", "body uuid null", "uuid", c => c.HrMax.DetachFileAsync(new FileReference()));
        yield return Case("HrFlow ListProfileAttachments", "no profile identifier", "key", c => c.HrFlow.ListProfileAttachmentsAsync("source-1"));
        yield return Case("HrFlow ListProfileAttachments", "key and email", "email", c => c.HrFlow.ListProfileAttachmentsAsync("source-1", key: "k", email: "e@example.com"));
        yield return Case("HrFlow ListProfileAttachmentsLegacy", "only blank identifiers", "profileId", c => c.HrFlow.ListProfileAttachmentsLegacyAsync("source-1", " ", "", "\t"));
        yield return Case("Ehrweb GetAttachment", "type '4'", "type", async c => { using var file = await c.Ehrweb.GetAttachmentAsync(new Ehrweb.AttachmentType("4"), "file-1"); });
        yield return Case("Ehrweb GetAttachment", "type default", "type", async c => { using var file = await c.Ehrweb.GetAttachmentAsync(default, "file-1"); });
        yield return Case("HeadHunter UploadArtifact", "type 'video'", "type", c => c.Hh.UploadArtifactAsync(new HeadHunter.ArtifactType("video"), null, new FileParameter(new MemoryStream(new byte[10]), "a.png", "image/png")));
        yield return Case("HeadHunter UploadArtifact", "no file", "file", c => c.Hh.UploadArtifactAsync(HeadHunter.ArtifactType.Photo, null, null!));
        yield return Case("HeadHunter UpdateArtifact", "description of 256 characters", "description", c => c.Hh.UpdateArtifactAsync("123", new string('d', 256)));
        yield return Case("HeadHunter ListPhotos", "perPage 101", "perPage", c => c.Hh.ListPhotosAsync(0, 101));
#pragma warning restore CS0618
    }

    [TestCaseSource(nameof(Cases))]
    public async Task A_bad_argument_is_refused_naming_it_before_anything_is_sent(string operation, string input, string parameter, Func<Clients, Task> call)
    {
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/json", "{}"));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        var routing = new LoopbackRouting();
        using var monitor = new InvariantMonitor($"{operation}: {input}").WithAllCredentials(api, token).Observe(api, token);
        using var clients = new Clients(api, token, routing, monitor);

        var outcome = await monitor.CallAsync(() => call(clients), Overall);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Failure, Is.InstanceOf<ArgumentException>(), outcome.Failure?.ToString());
            Assert.That((outcome.Failure as ArgumentException)?.ParamName, Is.EqualTo(parameter));
            Assert.That(api.Requests, Is.Empty, "nothing sent");
            Assert.That(token.Requests, Is.Empty, "not even a token asked for");
        });
        monitor.AssertInvariants();
    }

    private static TestCaseData Case(string operation, string input, string parameter, Func<Clients, Task> call)
        => new TestCaseData(operation, input, parameter, call).SetName($"Bad argument: {operation}, {input}");

    private static string Escape(string text) => text.Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\u00a0", "\\u00a0", StringComparison.Ordinal);

    /// <summary>One client of each provider over the scenario's listeners.</summary>
    public sealed class Clients : IDisposable
    {
        private readonly Owned<HeadHunter.HeadHunterClient> _hh;
        private readonly Owned<HrFlow.HrFlowClient> _hrFlow;
        private readonly Owned<Ehrweb.EhrwebResumeClient> _ehrweb;
        private readonly Owned<HrMaxClient> _hrMax;

        public Clients(RawTcpServer api, RawTcpServer token, LoopbackRouting routing, InvariantMonitor monitor)
        {
            _hh = NewHeadHunter(api, routing, monitor, Overall);
            _hrFlow = NewHrFlow(api, routing, monitor, Overall);
            _ehrweb = NewEhrweb(api, token, routing, monitor, Overall);
            _hrMax = NewHrMax(api, routing, monitor, Overall);
        }

        public HeadHunter.HeadHunterClient Hh => _hh.Client;

        public HrFlow.HrFlowClient HrFlow => _hrFlow.Client;

        public Ehrweb.EhrwebResumeClient Ehrweb => _ehrweb.Client;

        public HrMaxClient HrMax => _hrMax.Client;

        public void Dispose()
        {
            _hh.Dispose();
            _hrFlow.Dispose();
            _ehrweb.Dispose();
            _hrMax.Dispose();
        }
    }
}
