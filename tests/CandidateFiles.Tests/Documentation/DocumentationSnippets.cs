using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CandidateFiles.Tests.Documentation;

/// <summary>A fenced C# block of a Markdown file: where it is, the snippet it names (null when unmarked), its text.</summary>
public sealed record MarkdownCodeBlock(string File, int Line, string? SnippetName, string Code);

/// <summary>
/// The documentation's C# blocks against the compiled code they are taken from. A block is marked as Azure's SDKs
/// mark theirs, <c>```C# Snippet:Name</c>, and its text must equal (indentation and trailing white space aside)
/// the code between <c>#region Snippet:Name</c> and <c>#endregion</c> in a compiled source file; snippet markers
/// of regions nested inside are not part of the text.
/// </summary>
public static partial class DocumentationSnippets
{
    private static readonly HashSet<string> CSharpLanguages = new(StringComparer.OrdinalIgnoreCase) { "csharp", "cs", "c#" };

    [GeneratedRegex(@"^(?<indent> {0,3})(?<fence>`{3,}|~{3,})\s*(?<info>.*)$")]
    private static partial Regex FenceOpening();

    [GeneratedRegex(@"\bSnippet:(?<name>[A-Za-z0-9_.\-]+)")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\s*#region\b\s*(?<rest>.*)$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"^\s*#endregion\b")]
    private static partial Regex RegionEnd();

    /// <summary>Every fenced block whose language is C# (<c>csharp</c>, <c>cs</c>, <c>c#</c>, any case).</summary>
    public static IReadOnlyList<MarkdownCodeBlock> ReadCSharpBlocks(string file, string markdown)
    {
        var blocks = new List<MarkdownCodeBlock>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var opening = FenceOpening().Match(lines[i]);
            if (!opening.Success)
            {
                continue;
            }

            var fence = opening.Groups["fence"].Value;
            var indent = opening.Groups["indent"].Value.Length;
            var info = opening.Groups["info"].Value.Trim();
            if (fence[0] == '`' && info.Contains('`', StringComparison.Ordinal))
            {
                continue; // inline code that happens to start a line, not a fence
            }

            var language = info.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            var body = new List<string>();
            var start = i + 1;
            for (i++; i < lines.Length; i++)
            {
                var trimmed = lines[i].Trim();
                if (trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]))
                {
                    break;
                }

                body.Add(RemoveIndent(lines[i], indent));
            }

            if (CSharpLanguages.Contains(language))
            {
                var marker = SnippetMarker().Match(info);
                blocks.Add(new MarkdownCodeBlock(file, start, marker.Success ? marker.Groups["name"].Value : null, string.Join('\n', body)));
            }
        }

        return blocks;
    }

    /// <summary>The <c>#region Snippet:Name</c> regions of C# sources, by name; <paramref name="problems"/> gets duplicates and unclosed regions.</summary>
    public static IReadOnlyDictionary<string, string> ReadRegions(IEnumerable<(string File, string Source)> sources, ICollection<string> problems)
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, source) in sources)
        {
            var open = new List<(string? Name, int Line, List<string> Body)>();
            var lines = source.ReplaceLineEndings("\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var start = RegionStart().Match(line);
                if (start.Success)
                {
                    var marker = SnippetMarker().Match(start.Groups["rest"].Value);
                    if (marker.Success)
                    {
                        open.Add((marker.Groups["name"].Value, i + 1, new List<string>()));
                        continue;
                    }

                    open.Add((null, i + 1, new List<string>()));
                }
                else if (RegionEnd().IsMatch(line) && open.Count > 0)
                {
                    var closed = open[^1];
                    open.RemoveAt(open.Count - 1);
                    if (closed.Name is not null)
                    {
                        var location = $"{file}:{closed.Line}";
                        if (!where.TryAdd(closed.Name, location))
                        {
                            problems.Add($"Snippet:{closed.Name} is defined twice: {where[closed.Name]} and {location}");
                        }
                        else
                        {
                            regions[closed.Name] = string.Join('\n', closed.Body);
                        }

                        continue;
                    }
                }

                foreach (var region in open)
                {
                    region.Body.Add(line);
                }
            }

            foreach (var unclosed in open.Where(r => r.Name is not null))
            {
                problems.Add($"Snippet:{unclosed.Name} at {file}:{unclosed.Line} has no #endregion");
            }
        }

        return regions;
    }

    /// <summary>What is wrong with <paramref name="blocks"/> against <paramref name="regions"/>: one line per problem, none when all match.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<MarkdownCodeBlock> blocks, IReadOnlyDictionary<string, string> regions)
    {
        var problems = new List<string>();
        foreach (var block in blocks)
        {
            var at = $"{block.File}:{block.Line}";
            if (block.SnippetName is null)
            {
                problems.Add($"{at}: C# block without a snippet name: write ```C# Snippet:Name and put the code in a #region Snippet:Name of tests/CandidateFiles.Snippets");
            }
            else if (!regions.TryGetValue(block.SnippetName, out var region))
            {
                problems.Add($"{at}: Snippet:{block.SnippetName} names no #region Snippet:{block.SnippetName} in the compiled snippet sources");
            }
            else if (Normalize(block.Code) != Normalize(region))
            {
                problems.Add($"{at}: Snippet:{block.SnippetName} differs from its compiled region; the region reads:\n{Normalize(region)}\n--- the Markdown block reads:\n{Normalize(block.Code)}");
            }
        }

        return problems;
    }

    /// <summary>Tabs as four spaces, trailing white space and blank first/last lines dropped, the common indentation removed.</summary>
    public static string Normalize(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n').Select(l => l.Replace("\t", "    ", StringComparison.Ordinal).TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length == 0 ? l : l[indent..]));
    }

    private static string RemoveIndent(string line, int indent)
    {
        var spaces = 0;
        while (spaces < indent && spaces < line.Length && line[spaces] == ' ')
        {
            spaces++;
        }

        return line[spaces..];
    }
}
