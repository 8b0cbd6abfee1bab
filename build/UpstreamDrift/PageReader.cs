using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace UpstreamDrift;

/// <summary>
/// Reads an upstream documentation page in one of the three formats the providers publish and
/// returns the contract it documents. Anything that cannot be read or understood throws
/// <see cref="PageFormatException"/>: the tool never passes a page it could not parse.
/// </summary>
internal static partial class PageReader
{
    public static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static ApiContract Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PageFormatException($"cannot read the page: {e.Message}", e);
        }

        return Parse(text, IsDocumentFile(path));
    }

    /// <summary>True for the file names of whole API documents (*.yaml, *.yml, *.json) rather than pages.</summary>
    public static bool IsDocumentFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" or ".json";

    /// <summary>Reads the text of a page; <paramref name="documentFile"/> says that it must be a whole OpenAPI document.</summary>
    public static ApiContract Parse(string text, bool documentFile = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = ReadText(text);

        // 0. A whole OpenAPI document, YAML or JSON (hh.ru's official OpenAPI).
        if (OpenApiPageParser.IsWholeDocument(text, out var format))
        {
            return OpenApiPageParser.ParseWholeDocument(text, format);
        }

        if (documentFile)
        {
            throw new PageFormatException(
                "not an OpenAPI document: a *.yaml, *.yml or *.json upstream file must hold an OpenAPI document (a top-level \"openapi\" or \"swagger\" key and \"paths\")");
        }

        // 1. GitBook {% api-method %} / {% swagger %} markup (HrFlow).
        if (ApiMethodPageParser.IsApiMethodPage(text))
        {
            return ApiMethodPageParser.Parse(text);
        }

        var document = Markdown.Parse(text, Pipeline);

        // 2. GitBook page with embedded OpenAPI JSON documents (104 Ehrweb, 104 HR Max).
        if (OpenApiPageParser.TryParse(document, out var embedded))
        {
            return embedded;
        }

        // 3. Markdown prose with request blocks such as "```\nGET /artifacts/photo\n```" (hh.ru).
        if (MarkdownPageParser.TryParse(document, text, out var prose))
        {
            return prose;
        }

        throw new PageFormatException(
            "unknown format: the page is no OpenAPI document and has no embedded OpenAPI JSON document, no {% api-method %} or {% swagger %} markup and no request block (a code block holding a line like \"GET /path\")");
    }

    /// <summary>Reads a page's file for the parsers that take raw text (reference pages).</summary>
    public static string ReadFile(string path)
    {
        try
        {
            return ReadText(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PageFormatException($"cannot read the page: {e.Message}", e);
        }
    }

    private static string ReadText(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new PageFormatException("the page is empty");
        }

        return text;
    }

    /// <summary>The raw Markdown of a block.</summary>
    public static string Raw(string text, Block block) =>
        block.Span.Start >= 0 && block.Span.End < text.Length ? text.Substring(block.Span.Start, block.Span.Length) : string.Empty;

    /// <summary>Removes Markdown backslash escapes ("source\_id" becomes "source_id") and surrounding backticks.</summary>
    public static string Unescape(string text)
    {
        var unescaped = EscapeRegex().Replace(text.Trim(), "$1").Trim();
        return unescaped.Trim('`', '*', ' ').Trim();
    }

    public static string FenceContent(FencedCodeBlock fence) => fence.Lines.ToString();

    /// <summary>Merges the contract of one embedded document / section into the page's contract.</summary>
    public static void Merge(ApiContract target, ApiContract source)
    {
        if (source.Servers is { } servers)
        {
            (target.Servers ??= new SortedSet<string>(StringComparer.Ordinal)).UnionWith(servers);
        }

        if (source.AuthSchemes is { } schemes)
        {
            target.AuthSchemes ??= [];
            foreach (var scheme in schemes.Where(s => !target.AuthSchemes.Any(t => string.Equals(t.Key, s.Key, StringComparison.OrdinalIgnoreCase))))
            {
                target.AuthSchemes.Add(scheme);
            }
        }

        foreach (var endpoint in source.Endpoints)
        {
            if (!target.Endpoints.Any(e => e.Method == endpoint.Method && e.Path == endpoint.Path))
            {
                target.Endpoints.Add(endpoint);
            }
        }
    }

    [GeneratedRegex(@"\\([!-/:-@\[-`{-~])")]
    private static partial Regex EscapeRegex();
}
