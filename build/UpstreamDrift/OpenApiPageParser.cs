using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace UpstreamDrift;

/// <summary>
/// Format 1: a GitBook page that embeds one OpenAPI JSON document per endpoint in ```json (or ````json)
/// fences. Each document is read with Microsoft.OpenApi (3.0 and 3.1 alike) and the page's contract
/// is the union of the documents. Upstream quirks that the reader would silently drop, such as
/// "require": true instead of "required": true, are noted so that they show up in the report.
/// </summary>
internal static partial class OpenApiPageParser
{
    public static bool TryParse(MarkdownDocument document, out ApiContract contract)
    {
        contract = null!;
        var fences = document.Descendants<FencedCodeBlock>()
            .Select(f => (Fence: f, Content: PageReader.FenceContent(f)))
            .Where(f => IsJsonInfo(f.Fence.Info) && OpenApiKeyRegex().IsMatch(f.Content) && PathsKeyRegex().IsMatch(f.Content))
            .ToList();
        if (fences.Count == 0)
        {
            return false;
        }

        var versions = new SortedSet<string>(StringComparer.Ordinal);
        var page = new ApiContract(string.Empty) { Servers = new SortedSet<string>(StringComparer.Ordinal), AuthSchemes = [] };
        foreach (var (fence, content) in fences)
        {
            var where = $"the embedded OpenAPI document at line {(fence.Line + 1).ToString(CultureInfo.InvariantCulture)}";
            var rootObject = ParseJsonRoot(content, where);
            var (part, version) = ReadDocument(content, "json", where, rootObject);
            versions.Add(version);
            NoteQuirks(rootObject, part);
            PageReader.Merge(page, part);
        }

        var count = fences.Count.ToString(CultureInfo.InvariantCulture);
        page.Description = $"GitBook page, {count} embedded OpenAPI {string.Join('/', versions)} document{(fences.Count == 1 ? string.Empty : "s")}";
        contract = page;
        return true;
    }

    /// <summary>True when the whole text is an OpenAPI document (JSON or YAML) rather than a page.</summary>
    public static bool IsWholeDocument(string text, out string format)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            format = "json";
            return OpenApiKeyRegex().IsMatch(trimmed) && PathsKeyRegex().IsMatch(trimmed);
        }

        format = "yaml";
        return YamlOpenApiKeyRegex().IsMatch(text) && YamlPathsKeyRegex().IsMatch(text);
    }

    /// <summary>
    /// Format 4: a whole OpenAPI document as the provider publishes it (hh.ru's official OpenAPI 3.0.3,
    /// YAML or JSON), read with the same reader as our specs and the embedded documents.
    /// </summary>
    public static ApiContract ParseWholeDocument(string text, string format)
    {
        var where = "the OpenAPI document";
        var root = format == "json" ? ParseJsonRoot(text, where) : null;
        var (contract, version) = ReadDocument(text, format, where, root);
        if (root is not null)
        {
            NoteQuirks(root, contract);
        }

        contract.Description = $"OpenAPI {version} document ({format.ToUpperInvariant()})";
        return contract;
    }

    private static JsonObject ParseJsonRoot(string content, string where)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content);
        }
        catch (JsonException e)
        {
            throw new PageFormatException($"malformed {(where.StartsWith("the embedded", StringComparison.Ordinal) ? "embedded " : string.Empty)}JSON in {where}: {e.Message}", e);
        }

        return root as JsonObject ?? throw new PageFormatException($"{where} is not a JSON object");
    }

    /// <summary>Reads one OpenAPI document (3.0 or 3.1, JSON or YAML) into the contract it documents.</summary>
    private static (ApiContract Contract, string Version) ReadDocument(string content, string format, string where, JsonObject? jsonRoot)
    {
        var version = jsonRoot is not null
            ? (jsonRoot["openapi"] ?? jsonRoot["swagger"])?.ToString() ?? "?"
            : YamlOpenApiKeyRegex().Match(content) is { Success: true } m ? m.Groups["version"].Value.Trim().Trim('"', '\'') : "?";

        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        ReadResult result;
        try
        {
            result = OpenApiDocument.Parse(content, format, settings);
        }
        catch (Exception e) when (e is OpenApiException or JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new PageFormatException($"{where} cannot be read as OpenAPI: {e.Message}", e);
        }

        if (result.Document is null || result.Document.Paths is null)
        {
            var reason = result.Diagnostic?.Errors.FirstOrDefault()?.Message ?? "unknown error";
            throw new PageFormatException($"{where} cannot be read as OpenAPI {version}: {reason}");
        }

        var part = OpenApiContractReader.Read(result.Document, string.Empty, withDeclarations: false);
        if (part.Endpoints.Count == 0)
        {
            throw new PageFormatException($"{where} documents no endpoint (no operation under \"paths\")");
        }

        return (part, version);
    }

    /// <summary>
    /// Notes "require" written where OpenAPI says "required" (HR Max's upload body). The reader ignores
    /// the unknown key, so the flag counts as absent (optional); the note explains the difference.
    /// </summary>
    private static void NoteQuirks(JsonObject root, ApiContract contract)
    {
        if (root["paths"] is not JsonObject paths)
        {
            return;
        }

        foreach (var (path, item) in paths)
        {
            if (item is not JsonObject operations)
            {
                continue;
            }

            foreach (var (method, node) in operations)
            {
                var endpoint = contract.Endpoints.FirstOrDefault(e => e.Path == path && string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase));
                if (endpoint is null || node is not JsonObject operation)
                {
                    continue;
                }

                if (operation["requestBody"] is JsonObject body && Misspelt(body) is { } bodyNote && endpoint.Body is not null)
                {
                    endpoint.Body.RequiredNote = bodyNote;
                }

                foreach (var parameterNode in operation["parameters"] as JsonArray ?? [])
                {
                    if (parameterNode is JsonObject parameter && Misspelt(parameter) is { } note)
                    {
                        var name = parameter["name"]?.ToString();
                        var location = parameter["in"]?.ToString();
                        var target = endpoint.Parameters.FirstOrDefault(p => p.Name == name && p.Location == location);
                        target?.RequiredNote = note;
                    }
                }
            }
        }
    }

    private static string? Misspelt(JsonObject element) =>
        element.ContainsKey("require") && !element.ContainsKey("required")
            ? $"upstream writes \"require\": {element["require"]?.ToJsonString() ?? "null"}, not \"required\""
            : null;

    private static bool IsJsonInfo(string? info) =>
        string.IsNullOrWhiteSpace(info) || info.Trim().StartsWith("json", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^\\s*\\{[\\s\\S]*\"(?:openapi|swagger)\"\\s*:")]
    private static partial Regex OpenApiKeyRegex();

    [GeneratedRegex("\"paths\"\\s*:")]
    private static partial Regex PathsKeyRegex();

    [GeneratedRegex(@"^(?:openapi|swagger)\s*:(?<version>[^\n#]*)", RegexOptions.Multiline)]
    private static partial Regex YamlOpenApiKeyRegex();

    [GeneratedRegex(@"^paths\s*:", RegexOptions.Multiline)]
    private static partial Regex YamlPathsKeyRegex();
}
