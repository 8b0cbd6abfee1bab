using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace UpstreamDrift;

/// <summary>What an upstream document is to the spec that names it.</summary>
internal enum DocumentRole
{
    /// <summary>The contract drift is judged against (several current documents are merged).</summary>
    Current,

    /// <summary>An older page the spec was once written from: it must still parse, it is never compared.</summary>
    Superseded,

    /// <summary>A page that documents no endpoint but something the endpoints use (errors, an object).</summary>
    Reference,
}

/// <summary>What a reference page defines.</summary>
internal enum ReferenceKind
{
    /// <summary>Error bodies: (status, type, value) and their fields, in the listed anchored sections.</summary>
    Errors,

    /// <summary>One object: its attribute names (and enums stated in descriptions), compared with a component schema.</summary>
    Object,
}

/// <summary>
/// One entry of a spec's <c>info.x-upstream-documents</c>: an upstream file (by its name inside the
/// upstream-docs folder) and its role for this spec. A reference entry may carry <c>deviations</c>: the
/// declared differences of that page, keyed by the difference's item text exactly as the report prints it
/// (<c>error type "bad_argument" value "employer_id"</c>), each with its reason.
/// </summary>
internal sealed record UpstreamDocument(string Document, DocumentRole Role, ReferenceKind? Defines, IReadOnlyList<string> Sections, string? Schema, IReadOnlyDictionary<string, string> Deviations)
{
    public const string Extension = "x-upstream-documents";

    /// <summary>The key of a reference entry's declared differences.</summary>
    public const string DeviationsKey = "deviations";

    /// <summary>Reads and checks the list; a malformed entry makes the spec unreadable (exit 2).</summary>
    public static List<UpstreamDocument>? ReadAll(OpenApiDocument document, string specName)
    {
        if (document.Info?.Extensions is not { } extensions || !extensions.TryGetValue(Extension, out var extension))
        {
            return null;
        }

        var where = $"spec {specName}: info.{Extension}";
        if (extension is not JsonNodeExtension { Node: JsonArray entries })
        {
            throw new PageFormatException($"{where} must be a list of {{document, role}} entries");
        }

        var result = new List<UpstreamDocument>();
        var index = 0;
        foreach (var node in entries)
        {
            var at = $"{where}[{index++}]";
            if (node is not JsonObject entry)
            {
                throw new PageFormatException($"{at} must be an object with document and role");
            }

            var name = Text(entry, "document", at) ?? throw new PageFormatException($"{at} has no document (the file name inside the upstream-docs folder)");
            if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
            {
                throw new PageFormatException($"{at}: document \"{name}\" must be a file name, without a folder");
            }

            if (result.Any(d => string.Equals(d.Document, name, StringComparison.Ordinal)))
            {
                throw new PageFormatException($"{at}: document \"{name}\" is listed twice");
            }

            var role = Text(entry, "role", at) switch
            {
                "current" => DocumentRole.Current,
                "superseded" => DocumentRole.Superseded,
                "reference" => DocumentRole.Reference,
                var other => throw new PageFormatException($"{at}: role {(other is null ? "is missing" : $"\"{other}\" is unknown")} (current, superseded or reference)"),
            };

            ReferenceKind? defines = null;
            var sections = new List<string>();
            string? schema = null;
            if (role == DocumentRole.Reference)
            {
                defines = Text(entry, "defines", at) switch
                {
                    "errors" => ReferenceKind.Errors,
                    "object" => ReferenceKind.Object,
                    var other => throw new PageFormatException($"{at}: a reference needs defines: errors or object{(other is null ? string.Empty : $", not \"{other}\"")}"),
                };
                if (defines == ReferenceKind.Errors)
                {
                    if (entry["sections"] is not JsonArray list || list.Count == 0)
                    {
                        throw new PageFormatException($"{at}: an errors reference needs sections: the <a name=\"...\"> anchors whose errors apply");
                    }

                    foreach (var section in list)
                    {
                        sections.Add(section is JsonValue value && value.TryGetValue(out string? s) && s.Trim().Length > 0
                            ? s.Trim()
                            : throw new PageFormatException($"{at}: sections must be anchor names"));
                    }
                }
                else
                {
                    schema = Text(entry, "schema", at) ?? throw new PageFormatException($"{at}: an object reference needs schema: the component schema it describes");
                    if (document.Components?.Schemas?.ContainsKey(schema) != true)
                    {
                        throw new PageFormatException($"{at}: schema \"{schema}\" is not a component schema of the spec");
                    }
                }
            }

            var deviations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (entry[DeviationsKey] is { } declared)
            {
                // Only a reference page's items have no element of our spec to carry x-upstream-deviation.
                if (role != DocumentRole.Reference)
                {
                    throw new PageFormatException($"{at}: {DeviationsKey} belong to a reference entry only (differences with a current document are declared with x-upstream-deviation on the spec element)");
                }

                if (declared is not JsonObject map || map.Count == 0)
                {
                    throw new PageFormatException($"{at}: {DeviationsKey} must be a non-empty map of difference (the item text as the report prints it) to reason");
                }

                foreach (var (item, reason) in map)
                {
                    if (item.Trim().Length == 0 || item != item.Trim())
                    {
                        throw new PageFormatException($"{at}: {DeviationsKey} key \"{item}\" must be a difference's item text, without surrounding spaces");
                    }

                    deviations[item] = reason is JsonValue value && value.TryGetValue(out string? text) && text.Trim().Length > 0
                        ? text.Trim()
                        : throw new PageFormatException($"{at}: {DeviationsKey} \"{item}\" must have a reason (a non-empty string)");
                }
            }

            result.Add(new UpstreamDocument(name, role, defines, sections, schema, deviations));
        }

        return result;
    }

    private static string? Text(JsonObject entry, string key, string at)
    {
        var node = entry[key];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.TryGetValue(out string? text) && text.Trim().Length > 0
            ? text.Trim()
            : throw new PageFormatException($"{at}: {key} must be a non-empty string");
    }
}
