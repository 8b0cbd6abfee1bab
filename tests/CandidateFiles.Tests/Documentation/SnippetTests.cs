using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Documentation;

/// <summary>
/// Every C# block of README.md, CONTRIBUTING.md, docs/ and the package READMEs is compiled code: it names a
/// <c>#region Snippet:Name</c> of tests/CandidateFiles.Snippets (or of this test project) and reads the same.
/// </summary>
[TestFixture]
public sealed class SnippetTests
{
    private static readonly string[] CompiledSnippetFolders = ["tests/CandidateFiles.Snippets", "tests/CandidateFiles.Tests"];

    /// <summary>The Markdown files whose C# blocks must be compiled snippets, relative to the repository root.</summary>
    private static List<string> DocumentationFiles()
    {
        var root = RepoRoot.Path;
        var files = new List<string> { "README.md", "CONTRIBUTING.md", "tests/CandidateFiles.Benchmarks/README.md" };
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Relative(root, f)));
        files.AddRange(Directory.GetDirectories(Path.Combine(root, "src")).Select(d => Relative(root, Path.Combine(d, "README.md"))));
        return files;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static IReadOnlyDictionary<string, string> CompiledRegions(List<string> problems)
    {
        var sources = CompiledSnippetFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(RepoRoot.Path, folder), "*.cs", SearchOption.AllDirectories))
            .Select(f => Relative(RepoRoot.Path, f))
            // This folder's own tests hold sample regions inside string literals: they are not documentation.
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)
                        && !f.StartsWith("tests/CandidateFiles.Tests/Documentation/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(RepoRoot.Path, f))));
        return DocumentationSnippets.ReadRegions(sources, problems);
    }

    private static List<MarkdownCodeBlock> DocumentationBlocks() =>
        DocumentationFiles()
            .SelectMany(f => DocumentationSnippets.ReadCSharpBlocks(f, File.ReadAllText(Path.Combine(RepoRoot.Path, f))))
            .ToList();

    [Test]
    public void Every_csharp_block_in_the_documentation_is_a_compiled_snippet_that_reads_the_same()
    {
        foreach (var file in DocumentationFiles())
        {
            Assert.That(File.Exists(Path.Combine(RepoRoot.Path, file)), Is.True, $"{file} is missing");
        }

        var problems = new List<string>();
        var regions = CompiledRegions(problems);
        var blocks = DocumentationBlocks();
        problems.AddRange(DocumentationSnippets.Check(blocks, regions));

        Assert.That(blocks.Select(b => b.File).Distinct(), Does.Contain("README.md").And.Contain("src/CandidateFiles.Ehrweb/README.md"),
            "the root README and the package READMEs show C# examples: none found, so the reader is broken");
        Assert.That(problems, Is.Empty, string.Join("\n\n", problems));
    }

    [Test]
    public void Every_compiled_snippet_is_shown_somewhere_in_the_documentation()
    {
        var regions = CompiledRegions([]);
        var shown = DocumentationBlocks().Select(b => b.SnippetName).ToHashSet();

        Assert.That(regions.Keys.Where(name => !shown.Contains(name)), Is.Empty,
            "snippet regions no Markdown file shows (delete them, or show them)");
    }

    private static readonly (string, string)[] Source =
    [
        ("Sample.cs", """
            public static class Sample
            {
                public static void Run()
                {
                    #region Snippet:Outer
                    var a = 1;
                    #region Snippet:Inner
                    var b = a + 1;
                    #endregion
                    Console.WriteLine(b);
                    #endregion
                }
            }
            """),
    ];

    private static IReadOnlyList<string> CheckMarkdown(string markdown)
    {
        var problems = new List<string>();
        var regions = DocumentationSnippets.ReadRegions(Source, problems);
        Assert.That(problems, Is.Empty);
        return DocumentationSnippets.Check(DocumentationSnippets.ReadCSharpBlocks("doc.md", markdown), regions);
    }

    [Test]
    public void A_marked_block_that_reads_as_its_region_passes_whatever_its_indentation_and_trailing_white_space()
    {
        Assert.That(CheckMarkdown("Text\n\n```C# Snippet:Inner\nvar b = a + 1;   \n```\n"), Is.Empty);
        Assert.That(CheckMarkdown("- item\n\n   ```csharp Snippet:Inner\n   \tvar b = a + 1;\n   ```\n"), Is.Empty);
        Assert.That(CheckMarkdown("```cs Snippet:Outer\n\nvar a = 1;\nvar b = a + 1;\nConsole.WriteLine(b);\n\n```"), Is.Empty,
            "the nested region's marker lines are not part of the outer snippet");
    }

    [TestCase("```csharp\nvar b = a + 1;\n```")]
    [TestCase("```cs\nvar b = a + 1;\n```")]
    [TestCase("```C#\nvar b = a + 1;\n```")]
    [TestCase("~~~CSharp\nvar b = a + 1;\n~~~")]
    public void An_unmarked_csharp_block_is_reported_with_its_file_and_line(string markdown)
    {
        var problems = CheckMarkdown("# Title\n\n" + markdown);

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("doc.md:3: C# block without a snippet name"));
    }

    [Test]
    public void A_block_that_differs_from_its_region_is_reported_with_both_texts()
    {
        var problems = CheckMarkdown("```C# Snippet:Inner\nvar b = a + 2;\n```");

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.Contain("Snippet:Inner differs").And.Contain("var b = a + 1;").And.Contain("var b = a + 2;"));
    }

    [Test]
    public void A_block_naming_a_snippet_no_source_defines_is_reported()
    {
        var problems = CheckMarkdown("```C# Snippet:Renamed\nvar b = a + 1;\n```");

        Assert.That(problems, Is.EqualTo(new[] { "doc.md:1: Snippet:Renamed names no #region Snippet:Renamed in the compiled snippet sources" }));
    }

    [Test]
    public void Blocks_in_other_languages_are_not_checked()
    {
        Assert.That(CheckMarkdown("```sh\ndotnet build\n```\n\n```json\n{ }\n```\n\n```text\nvar b = 3;\n```"), Is.Empty);
    }

    [Test]
    public void A_snippet_defined_twice_or_never_closed_is_reported()
    {
        var problems = new List<string>();
        DocumentationSnippets.ReadRegions(
            [("A.cs", "#region Snippet:Twice\nx();\n#endregion\n"), ("B.cs", "#region Snippet:Twice\ny();\n#endregion\n#region Snippet:Open\nz();\n")],
            problems);

        Assert.That(problems, Is.EqualTo(new[]
        {
            "Snippet:Twice is defined twice: A.cs:1 and B.cs:1",
            "Snippet:Open at B.cs:4 has no #endregion",
        }));
    }
}
