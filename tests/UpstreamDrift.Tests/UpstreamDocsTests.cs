using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// The real upstream pages (../shared/upstream-docs beside the repository) against the repository's
/// specs: every difference must be declared. Skipped where the snapshots are not present.
/// </summary>
public sealed class UpstreamDocsTests
{
    private static readonly string[] ExpectedSpecs = ["ehrweb-resume.yaml", "hrmax.yaml", "hrflow.yaml", "headhunter.yaml"];

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
        Assert.That(lines.Where(l => l.StartsWith("PAGE", StringComparison.Ordinal)).Select(l => l[(l.LastIndexOf("-> ", StringComparison.Ordinal) + 3)..]),
            Is.EqualTo(ExpectedSpecs));
        Assert.That(exitCode, Is.EqualTo(0));
    }
}
