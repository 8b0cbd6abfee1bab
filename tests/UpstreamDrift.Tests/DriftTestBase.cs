using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record RunResult(int ExitCode, IReadOnlyList<string> Lines, string Error)
{
    /// <summary>The DRIFT and DECLARED lines, in output order.</summary>
    public IReadOnlyList<string> Differences =>
        [.. Lines.Where(l => l.StartsWith("DRIFT ", StringComparison.Ordinal) || l.StartsWith("DECLARED ", StringComparison.Ordinal))];

    public IReadOnlyList<string> Drift => [.. Lines.Where(l => l.StartsWith("DRIFT ", StringComparison.Ordinal))];

    public IReadOnlyList<string> Declared => [.. Lines.Where(l => l.StartsWith("DECLARED ", StringComparison.Ordinal))];

    public string Summary => Lines.Count == 0 ? string.Empty : Lines[^1];
}

/// <summary>
/// Every test runs the tool through its entry point, <see cref="DriftCommand.Run(string[], TextWriter, TextWriter, string)"/>,
/// in a fresh workspace: specs/ holds copies of the fixture specs, pages/ the page variants a test writes.
/// </summary>
public abstract class DriftTestBase
{
    private static readonly string FixtureRoot = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    protected string Workspace { get; private set; } = string.Empty;

    protected string SpecsDirectory => Path.Combine(Workspace, "specs");

    [SetUp]
    public void CreateWorkspace()
    {
        Workspace = Directory.CreateTempSubdirectory("upstream-drift-").FullName;
        Directory.CreateDirectory(SpecsDirectory);
        Directory.CreateDirectory(Path.Combine(Workspace, "pages"));
        foreach (var spec in Directory.EnumerateFiles(Path.Combine(FixtureRoot, "specs")))
        {
            File.Copy(spec, Path.Combine(SpecsDirectory, Path.GetFileName(spec)));
        }
    }

    [TearDown]
    public void DeleteWorkspace()
    {
        if (Directory.Exists(Workspace))
        {
            Directory.Delete(Workspace, recursive: true);
        }
    }

    /// <summary>A fixture page as written in the project.</summary>
    protected static string Page(string name) => File.ReadAllText(Path.Combine(FixtureRoot, "pages", name));

    /// <summary>Replaces <paramref name="find"/>, which must occur exactly <paramref name="count"/> times.</summary>
    protected static string Edit(string text, string find, string replacement, int count = 1)
    {
        var occurrences = 0;
        for (var i = text.IndexOf(find, StringComparison.Ordinal); i >= 0; i = text.IndexOf(find, i + find.Length, StringComparison.Ordinal))
        {
            occurrences++;
        }

        Assert.That(occurrences, Is.EqualTo(count), $"occurrences of the text to edit: {find}");
        return text.Replace(find, replacement, StringComparison.Ordinal);
    }

    /// <summary>Cuts the text from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive, or the end of the page).</summary>
    protected static string Cut(string text, string start, string? end = null)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0), $"text to cut: {start}");
        var to = end is null ? text.Length : text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.That(to, Is.GreaterThan(from), $"end of the text to cut: {end}");
        return text[..from] + text[to..];
    }

    /// <summary>Writes a page into pages/ and returns its path relative to the workspace.</summary>
    protected string WritePage(string name, string content)
    {
        File.WriteAllText(Path.Combine(Workspace, "pages", name), content);
        return "pages/" + name;
    }

    /// <summary>Edits the workspace copy of a fixture spec.</summary>
    protected void EditSpec(string name, string find, string replacement, int count = 1)
    {
        var path = Path.Combine(SpecsDirectory, name);
        File.WriteAllText(path, Edit(File.ReadAllText(path), find, replacement, count));
    }

    protected RunResult Run(params string[] args) => RunIn(Workspace, args);

    protected static RunResult RunIn(string currentDirectory, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = DriftCommand.Run(args, stdout, stderr, currentDirectory);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        return new RunResult(exitCode, lines, stderr.ToString());
    }

    /// <summary>Every line the run printed, in order.</summary>
    protected static void AssertLines(RunResult result, params string[] expected) => Assert.That(result.Lines, Is.EqualTo(expected));

    /// <summary>Writes the page and checks it, letting the tool recognize the spec in specs/.</summary>
    protected RunResult Check(string name, string content) => Run("--specs-dir", "specs", WritePage(name, content));
}
