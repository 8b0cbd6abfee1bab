using System;
using System.Collections.Generic;
using System.Linq;

namespace UpstreamDrift;

/// <summary>
/// Compares reference pages (pages that document no endpoint) with a spec. An errors page is
/// explicitly non-exhaustive, so only what it documents is looked for in the spec (added upstream);
/// an object page documents the whole object, so its fields are compared in both directions.
/// <para>
/// Declarations: what a reference page documents and our spec lacks has no element of our spec to carry
/// x-upstream-deviation, and an enclosing element (any error schema, the object schema) would declare
/// every future addition with an unrelated reason. So such a difference is declared only by the key of
/// the reference entry's <c>deviations</c> that equals its item text; a key that matches no difference
/// is reported as drift (stale), so declarations cannot outlive what they declare. A difference about
/// an element our spec has (an object page's field removed upstream, an enum value of our property) is
/// also declared by that element's x-upstream-deviation, as with any other page.
/// </para>
/// </summary>
internal static class ReferenceComparer
{
    public const string ErrorsScope = "(errors)";

    public const string Stale = "declared in x-upstream-documents deviations, but no such difference (stale: remove the key)";

    /// <summary>
    /// Each documented status must be declared by at least one of the spec's operations (the code
    /// itself or its range, e.g. 4XX; "default" does not count). Each documented type must be an enum
    /// value of a "type" property of an error-response schema (a schema under a 4xx/5xx response, flattened
    /// through allOf/anyOf/oneOf and array items), each documented value an enum value of the "value"
    /// property beside a "type" that has the documented type, and each field of a documented error
    /// object (captcha_url) a property of such an error object. Missing ones are "added upstream",
    /// declared only by the entry's keyed <paramref name="entry"/> deviations.
    /// </summary>
    public static List<Difference> CompareErrors(ErrorReference reference, ApiContract spec, UpstreamDocument entry)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(entry);
        var statuses = spec.Endpoints.SelectMany(e => e.Responses?.Keys ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var objects = ErrorObjects(spec);

        var differences = new List<Difference>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Add(string item)
        {
            if (reported.Add(item))
            {
                differences.Add(new Difference(ErrorsScope, item, ContractComparer.Added, null));
            }
        }

        foreach (var status in reference.Errors.Select(e => e.Status).OfType<string>().Distinct().Order(StringComparer.Ordinal))
        {
            if (!statuses.Contains(status) && !statuses.Contains(status[0] + "XX"))
            {
                Add($"error status {status}");
            }
        }

        foreach (var error in reference.Errors.Where(e => e.Type is not null))
        {
            var withType = objects.Where(o => o.Types.Contains(error.Type!, StringComparer.Ordinal)).ToList();
            if (withType.Count == 0)
            {
                Add($"error type \"{error.Type}\"");
                continue;
            }

            if (error.Value is { } value && !withType.Any(o => o.Values.Contains(value, StringComparer.Ordinal)))
            {
                Add($"error type \"{error.Type}\" value \"{value}\"");
            }
        }

        foreach (var field in reference.Errors.SelectMany(e => e.Fields).Distinct(StringComparer.Ordinal))
        {
            if (!objects.Any(o => o.Fields.Contains(field)))
            {
                Add($"error field \"{field}\"");
            }
        }

        return ApplyDeviations(differences, entry, ErrorsScope);
    }

    /// <summary>
    /// The named component schema against the object a reference page documents: fields in both
    /// directions, and enum values where the page states them. A field added upstream is declared only
    /// by a key of the entry's deviations; the others also by the property's x-upstream-deviation.
    /// </summary>
    public static List<Difference> CompareObject(SortedDictionary<string, Field> page, MediaContent schema, UpstreamDocument entry)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(entry);
        var scope = "schema " + entry.Schema;
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
                differences.Add(new Difference(scope, label, ContractComparer.Added, null));
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

        return ApplyDeviations(differences, entry, scope);
    }

    /// <summary>
    /// Declares each difference whose item text is a key of the entry's deviations (the key wins over an
    /// element's x-upstream-deviation: it names this very difference) and reports every key that declared
    /// nothing as a stale declaration (drift).
    /// </summary>
    private static List<Difference> ApplyDeviations(List<Difference> differences, UpstreamDocument entry, string scope)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = differences.Select(d =>
        {
            if (!entry.Deviations.TryGetValue(d.Item, out var reason))
            {
                return d;
            }

            used.Add(d.Item);
            return d with { Declaration = reason, DeclaredBy = $"{entry.Document} deviations" };
        }).ToList();

        foreach (var key in entry.Deviations.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal))
        {
            result.Add(new Difference(scope, $"deviations key '{key}'", Stale, null));
        }

        return result;
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
                        objects.Add(new ErrorObject(field.Enum ?? [], values, relative));
                    }
                }
            }
        }

        return objects;
    }

    private sealed record ErrorObject(List<string> Types, List<string> Values, HashSet<string> Fields);
}
