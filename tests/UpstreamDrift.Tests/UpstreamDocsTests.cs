using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// The real upstream documents (../shared/upstream-docs beside the repository) against the repository's
/// specs, as CI runs them: every document is read, each belongs to its spec in the role the spec's
/// info.x-upstream-documents gives it (hh.ru's and HrFlow's older pages are superseded, their errors and
/// object pages are references), and every difference must be declared. Skipped where the snapshots
/// are not present.
/// </summary>
public sealed class UpstreamDocsTests
{
    // What each document is, in the folder's (ordinal) order: the end of its PAGE line.
    private static readonly string[] ExpectedRoles =
    [
        "000_7cb82c5af3047b20.txt -> ehrweb-resume.yaml",
        "001_68e1c343b8fd894e.txt -> hrmax.yaml",
        "002_b312e528f99f779a.txt -> hrflow.yaml, superseded (not compared)",
        "003_0818325c4a556d2a.txt -> headhunter.yaml, superseded (not compared)",
        "hh-artifacts-openapi.yaml -> headhunter.yaml",
        "hh-errors.md -> headhunter.yaml, reference for errors",
        "hrflow-attachment-object.md -> hrflow.yaml, reference for schema ProfileAttachment",
        "hrflow-profile-indexing-attachments.md -> hrflow.yaml",
    ];

    [Test]
    public void Real_upstream_pages_have_no_undeclared_drift_against_our_specs()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Generated.sln")))
        {
            repository = repository.Parent;
        }

        var docs = repository is null ? null : Path.GetFullPath(Path.Combine(repository.FullName, "..", "shared", "upstream-docs"));
        if (docs is null || !Directory.Exists(docs))
        {
            Assert.Ignore("../shared/upstream-docs is not present");
            return;
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = DriftCommand.Run([docs], stdout, stderr, repository!.FullName);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(stderr.ToString(), Is.Empty);
        Assert.That(lines.Where(l => l.StartsWith("DRIFT", StringComparison.Ordinal)), Is.Empty);
        Assert.That(
            lines.Where(l => l.StartsWith("PAGE", StringComparison.Ordinal))
                .Select(l => Path.GetFileName(l[..l.IndexOf(": ", StringComparison.Ordinal)]) + l[l.LastIndexOf(" -> ", StringComparison.Ordinal)..]),
            Is.EqualTo(ExpectedRoles));
        Assert.That(exitCode, Is.EqualTo(0));
    }
}
