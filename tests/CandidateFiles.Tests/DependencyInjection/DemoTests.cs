using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Demo;
using NUnit.Framework;

namespace CandidateFiles.Tests.DependencyInjection;

/// <summary>The first-run demo (dotnet run --project tests/CandidateFiles.Demo) does what the README says it prints.</summary>
[TestFixture]
public sealed class DemoTests
{
    [Test]
    public async Task The_demo_runs_every_provider_against_the_in_process_sandbox_and_says_what_it_did()
    {
        using var output = new StringWriter();
        var work = Directory.CreateTempSubdirectory("candidatefiles-demo-test-");

        int exitCode;
        try
        {
            exitCode = await DemoRunner.RunAsync(output, progress: null, work, CancellationToken.None);
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var text = output.ToString();
        Assert.That(exitCode, Is.EqualTo(0), text);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Match(@"\[104 Ehrweb\] headshot saved: .*headshot\.png \(68 bytes, image/png\)"));
            Assert.That(text, Does.Contain($"[104 Ehrweb] large attachment downloaded:").And.Contain($"({DemoRunner.LargeDownloadBytes} bytes in"));
            Assert.That(text, Does.Match(@"\[104 HR Max\] attachment uploaded: leave-note\.pdf \(8388608 bytes, application/pdf\) -> fileUUID [0-9a-f]{32}"));
            Assert.That(text, Does.Contain("matches the upload"));
            Assert.That(text, Does.Contain("[104 HR Max] attachment detached:"));
            Assert.That(text, Does.Contain("[HrFlow] attachments of profile profile-1 listed: 2"));
            Assert.That(text, Does.Contain("[hh.ru] photo uploaded:").And.Contain("[hh.ru] photo processed: ok").And.Contain("[hh.ru] photos listed: 1")
                .And.Contain("[hh.ru] photo edited:").And.Contain("photos left: 0"));
            Assert.That(text, Does.Contain("EhrwebResume.GetHeadshot").And.Contain("HrMax.AttachFile").And.Contain("HeadHunter.DeleteArtifact"));
            Assert.That(text, Does.Not.Contain("━"), "no progress bar when the output is not a terminal");
        });
    }
}
