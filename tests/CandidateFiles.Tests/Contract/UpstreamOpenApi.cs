using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CandidateFiles.Tests.Infrastructure;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// The providers' own OpenAPI documents, read from the snapshots in ../shared/upstream-docs: 104 publishes
/// one OpenAPI JSON document per endpoint inside its GitBook pages; hh.ru publishes one YAML document.
/// </summary>
public static partial class UpstreamOpenApi
{
    /// <summary>The provider names the upstream-docs README's tables use for 104's pages.</summary>
    public const string Ehrweb = "104 Ehrweb Resume API";

    public const string HrMax = "104 HR Max";

    public static string Folder { get; } = Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "upstream-docs"));

    /// <summary>hh.ru's official artifacts OpenAPI, used as published.</summary>
    public static string HeadHunterDocument => Existing(Path.Combine(Folder, "hh-artifacts-openapi.yaml"));

    /// <summary>
    /// Writes one OpenAPI document holding every endpoint of <paramref name="provider"/>'s page (the page the
    /// upstream-docs README lists for it) into <paramref name="directory"/> and returns its path.
    /// </summary>
    public static string WriteMergedDocument(string provider, string directory)
    {
        var page = PageOf(provider);
        var documents = EmbeddedDocuments(File.ReadAllText(page));
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"{page} ({provider}) holds no embedded OpenAPI JSON document.");
        }

        var merged = Merge(documents, page);
        var path = Path.Combine(directory, Path.GetFileNameWithoutExtension(page) + ".openapi.json");
        File.WriteAllText(path, merged.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>The page file the README's table row for <paramref name="provider"/> names.</summary>
    public static string PageOf(string provider)
    {
        var readme = File.ReadAllText(Existing(Path.Combine(Folder, "README.md")));
        foreach (Match row in TableRow().Matches(readme))
        {
            if (string.Equals(row.Groups["provider"].Value.Trim(), provider, StringComparison.Ordinal))
            {
                return Existing(Path.Combine(Folder, row.Groups["file"].Value.Trim()));
            }
        }

        throw new InvalidDataException($"{Path.Combine(Folder, "README.md")} has no table row for '{provider}'.");
    }

    /// <summary>Every fenced <c>json</c> block of a GitBook page that is an OpenAPI document.</summary>
    public static IReadOnlyList<JsonObject> EmbeddedDocuments(string page)
        => FencedJson().Matches(page)
            .Select(match => JsonNode.Parse(match.Groups["json"].Value) as JsonObject)
            .Where(document => document?["openapi"] is not null)
            .Select(document => document!)
            .ToArray();

    /// <summary>
    /// One document from several that describe one API: the first document's header (openapi, info, servers,
    /// security), every document's paths, components and tags. The same name defined differently in two
    /// documents is an error, not a silent pick.
    /// </summary>
    public static JsonObject Merge(IReadOnlyList<JsonObject> documents, string source)
    {
        var merged = (JsonObject)documents[0].DeepClone();
        foreach (var document in documents.Skip(1))
        {
            foreach (var header in new[] { "openapi", "servers", "security" })
            {
                if (!JsonNode.DeepEquals(merged[header], document[header]))
                {
                    throw new InvalidDataException($"{source}: the embedded documents disagree on '{header}'; they cannot be served as one API.");
                }
            }

            MergeObject(merged, document, "paths", source);
            if (document["components"] is JsonObject components)
            {
                var target = merged["components"] as JsonObject ?? (JsonObject)(merged["components"] = new JsonObject());
                foreach (var (kind, _) in components)
                {
                    MergeObject(target, components, kind, source);
                }
            }

            if (document["tags"] is JsonArray tags)
            {
                var target = merged["tags"] as JsonArray ?? (JsonArray)(merged["tags"] = new JsonArray());
                foreach (var tag in tags.Where(tag => !target.Any(existing => JsonNode.DeepEquals(existing, tag))))
                {
                    target.Add(tag!.DeepClone());
                }
            }
        }

        return merged;
    }

    private static void MergeObject(JsonObject target, JsonObject source, string property, string origin)
    {
        if (source[property] is not JsonObject entries)
        {
            return;
        }

        var into = target[property] as JsonObject ?? (JsonObject)(target[property] = new JsonObject());
        foreach (var (name, value) in entries)
        {
            if (into[name] is { } existing)
            {
                if (!JsonNode.DeepEquals(existing, value))
                {
                    throw new InvalidDataException($"{origin}: '{property}/{name}' is defined differently in two embedded documents.");
                }

                continue;
            }

            into[name] = value?.DeepClone();
        }
    }

    private static string Existing(string path)
        => File.Exists(path) ? path : throw new FileNotFoundException($"The contract tests read the providers' documents from {Folder} (../shared/upstream-docs beside the repository); {path} is missing.", path);

    [GeneratedRegex(@"^\|\s*(?<file>[^|\s]+\.txt)\s*\|(?<provider>[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^(?<fence>`{3,})json[ \t]*\r?\n(?<json>.*?)\r?\n\k<fence>[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedJson();
}
