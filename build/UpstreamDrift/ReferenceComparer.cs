using System;
using System.Collections.Generic;
using System.Linq;

namespace UpstreamDrift;

/// <summary>
/// Compares reference pages (pages that document no endpoint) with a spec. An errors page is
/// explicitly non-exhaustive, so only what it documents is looked for in the spec (added upstream);
/// an object page documents the whole object, so its fields are compared in both directions.
/// </summary>
internal static class ReferenceComparer
{
    public const string ErrorsScope = "(errors)";

    /// <summary>
    /// Each documented status must be declared by at least one of the spec's operations (the code
    /// itself or its range, e.g. 4XX; "default" does not count). Each documented type must be an enum
    /// value of a "type" property of an error-response schema (a schema under a 4xx/5xx response, flattened
    /// through allOf/anyOf/oneOf and array items), each documented value an enum value of the "value"
    /// property beside a "type" that has the documented type, and each field of a documented error
    /// object (captcha_url) a property of such an error object. Missing ones are "added upstream",
    /// declared by x-upstream-deviation on an error object schema (the one holding "type"), for a
    /// status on info.
    /// </summary>
    public static List<Difference> CompareErrors(ErrorReference reference, ApiContract spec)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(spec);
        var statuses = spec.Endpoints.SelectMany(e => e.Responses?.Keys ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var objects = ErrorObjects(spec);
        var declaration = objects.Select(o => o.Declaration).FirstOrDefault(d => d is not null);

        var differences = new List<Difference>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Add(string item, string? declaredBy)
        {
            if (reported.Add(item))
            {
                differences.Add(new Difference(ErrorsScope, item, ContractComparer.Added, declaredBy));
            }
        }

        foreach (var status in reference.Errors.Select(e => e.Status).OfType<string>().Distinct().Order(StringComparer.Ordinal))
        {
            if (!statuses.Contains(status) && !statuses.Contains(status[0] + "XX"))
            {
                Add($"error status {status}", spec.DocumentDeclaration);
            }
        }

        foreach (var error in reference.Errors.Where(e => e.Type is not null))
        {
            var withType = objects.Where(o => o.Types.Contains(error.Type!, StringComparer.Ordinal)).ToList();
            if (withType.Count == 0)
            {
                Add($"error type \"{error.Type}\"", declaration);
                continue;
            }

            if (error.Value is { } value && !withType.Any(o => o.Values.Contains(value, StringComparer.Ordinal)))
            {
                Add($"error type \"{error.Type}\" value \"{value}\"", withType.Select(o => o.Declaration).FirstOrDefault(d => d is not null));
            }
        }

        foreach (var field in reference.Errors.SelectMany(e => e.Fields).Distinct(StringComparer.Ordinal))
        {
            if (!objects.Any(o => o.Fields.Contains(field)))
            {
                Add($"error field \"{field}\"", declaration);
            }
        }

        return differences;
    }

    /// <summary>
    /// The named component schema against the object a reference page documents: fields in both
    /// directions, and enum values where the page states them.
    /// </summary>
    public static List<Difference> CompareObject(SortedDictionary<string, Field> page, MediaContent schema, string schemaName)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(schema);
        var scope = "schema " + schemaName;
        var mine = schema.Fields ?? [];
        var differences = new List<Difference>();
        var reported = new List<string>();
        foreach (var path in page.Keys.Union(mine.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (reported.Any(r => path.StartsWith(r + ".", StringComparison.Ordinal) || path.StartsWith(r + "[]", StringComparison.Ordinal)))
            {
                continue;
            }

            var up = page.GetValueOrDefault(path);
            var ours = mine.GetValueOrDefault(path);
            var label = $"field \"{path}\"";
            if (ours is null)
            {
                differences.Add(new Difference(scope, label, ContractComparer.Added, ContractComparer.NearestObjectDeclaration(schema, path)));
                reported.Add(path);
            }
            else if (up is null)
            {
                differences.Add(new Difference(scope, label, ContractComparer.Removed, ours.Declaration));
                reported.Add(path);
            }
            else if (up.Enum is not null)
            {
                ContractComparer.CompareSets(label + " enum value", up.Enum, ours.Enum ?? [], ours.Declaration, ours.Declaration, differences, scope);
            }
        }

        return differences;
    }

    private static List<ErrorObject> ErrorObjects(ApiContract spec)
    {
        var objects = new List<ErrorObject>();
        foreach (var endpoint in spec.Endpoints)
        {
            foreach (var (status, response) in endpoint.Responses ?? [])
            {
                if (!status.StartsWith('4') && !status.StartsWith('5'))
                {
                    continue;
                }

                foreach (var media in response.Content?.Values ?? Enumerable.Empty<MediaContent>())
                {
                    var fields = media.Fields ?? [];
                    foreach (var (path, field) in fields)
                    {
                        if (path != "type" && !path.EndsWith(".type", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        var prefix = path.Length > "type".Length ? path[..^".type".Length] : string.Empty;
                        var start = prefix.Length == 0 ? string.Empty : prefix + ".";
                        var values = fields.GetValueOrDefault(start + "value")?.Enum ?? [];
                        var relative = fields.Keys.Where(k => k.StartsWith(start, StringComparison.Ordinal)).Select(k => k[start.Length..]).ToHashSet(StringComparer.Ordinal);
                        var declaration = media.ObjectDeclarations.GetValueOrDefault(prefix) ?? field.Declaration;
                        objects.Add(new ErrorObject(field.Enum ?? [], values, relative, declaration));
                    }
                }
            }
        }

        return objects;
    }

    private sealed record ErrorObject(List<string> Types, List<string> Values, HashSet<string> Fields, string? Declaration);
}
