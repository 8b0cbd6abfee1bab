using System;
using System.Collections.Generic;
using System.Linq;

namespace UpstreamDrift;

/// <summary>One difference between the upstream page and our spec.</summary>
/// <param name="Scope">"GET /path" (our spec's path where the operation exists) or "(document)".</param>
/// <param name="Item">What differs, e.g. <c>query parameter "profile_id"</c>.</param>
/// <param name="Change">How it differs, e.g. "added upstream (not in spec)".</param>
/// <param name="Declaration">The reason that declares it, or null for drift.</param>
/// <param name="DeclaredBy">Where the reason is written: x-upstream-deviation on a spec element, or a reference entry's deviations.</param>
internal sealed record Difference(string Scope, string Item, string Change, string? Declaration, string DeclaredBy = OpenApiContractReader.DeviationExtension)
{
    public bool IsDeclared => Declaration is not null;

    public override string ToString() =>
        $"{(IsDeclared ? "DECLARED" : "DRIFT"),-10}{Scope}  {Item}: {Change}" +
        (IsDeclared ? $"  ({DeclaredBy}: {Declaration})" : string.Empty);
}

/// <summary>
/// Compares the contract documented upstream with our spec's. Only what the page documents is
/// compared (a null in the upstream contract means "the page does not say").
/// <para>
/// Declaration rule: every difference is about one element of our spec: a server, a security
/// scheme, an operation (the endpoint, its path), a parameter (with its schema), a request body, a
/// response (its status code, or its whole body when one side has none), a media type (also when only
/// one side gives it an object schema) or a field (the property, or the object schema that lists it).
/// The difference is DECLARED when that element carries x-upstream-deviation. When our spec lacks the
/// element (it was added upstream), the nearest enclosing element that our spec has decides:
/// field -> object schema; media type -> response / request body; parameter, request body,
/// response -> operation; endpoint -> path item, else info; server, security scheme -> info.
/// </para>
/// </summary>
internal static class ContractComparer
{
    public const string Added = "added upstream (not in spec)";
    public const string Removed = "removed upstream (spec only)";
    public const string DocumentScope = "(document)";

    private const double SimilarityThreshold = 0.5;

    public static List<Difference> Compare(ApiContract upstream, ApiContract spec)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(spec);

        MoveCredentialHeaders(upstream, spec);
        var differences = new List<Difference>();
        CompareServers(upstream, spec, differences);
        CompareAuth(upstream, spec, differences);

        var groups = new List<(string Path, string Method, List<Difference> Differences)>();
        var (pairs, upstreamOnly, specOnly) = Pair(upstream.Endpoints, spec.Endpoints);
        foreach (var (up, ours) in pairs)
        {
            groups.Add((ours.Path, ours.Method, CompareEndpoint(up, ours)));
        }

        foreach (var up in upstreamOnly)
        {
            // The nearest enclosing element our spec has: the path item, else the document (info).
            var declaration = spec.PathDeclarations.TryGetValue(up.Path, out var pathDeclaration) ? pathDeclaration : spec.DocumentDeclaration;
            groups.Add((up.Path, up.Method, [new Difference(up.Label, "endpoint", Added, declaration)]));
        }

        foreach (var ours in specOnly)
        {
            groups.Add((ours.Path, ours.Method, [new Difference(ours.Label, "endpoint", Removed, ours.Declaration)]));
        }

        foreach (var group in groups
            .OrderBy(g => g.Path, StringComparer.Ordinal)
            .ThenBy(g => OpenApiContractReader.MethodOrder(g.Method)))
        {
            differences.AddRange(group.Differences);
        }

        return differences;
    }

    /// <summary>
    /// A page whose server is our server without its base path, with that base path at the start of
    /// every endpoint path (HrFlow's swagger markup: baseUrl "https://api.hrflow.ai", path
    /// "/v1/profile/..."; our spec: server "https://api.hrflow.ai/v1", path "/profile/..."), documents
    /// the same URLs: the base path moves onto the server. Done per page, before pages are merged.
    /// </summary>
    public static void AlignServerPaths(ApiContract page, ApiContract spec)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(spec);
        if (page.Servers is not { Count: > 0 } servers || spec.Servers is not { Count: > 0 } ours || page.Endpoints.Count == 0)
        {
            return;
        }

        foreach (var server in servers.ToList())
        {
            if (ours.Contains(server, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var longer = ours.FirstOrDefault(s => s.StartsWith(server + "/", StringComparison.OrdinalIgnoreCase));
            var basePath = longer?[server.Length..];
            if (basePath is null || !page.Endpoints.All(e => e.Path.StartsWith(basePath + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var endpoint in page.Endpoints)
            {
                endpoint.Path = endpoint.Path[basePath.Length..];
            }

            servers.Remove(server);
            servers.Add(longer!);
            return;
        }
    }

    /// <summary>
    /// A header parameter on the page that our spec models as an apiKey auth scheme (HrFlow's
    /// X-API-KEY) is compared as that auth scheme, not as a parameter.
    /// </summary>
    private static void MoveCredentialHeaders(ApiContract upstream, ApiContract spec)
    {
        var specHeaders = (spec.AuthSchemes ?? [])
            .Where(s => s.Key.StartsWith("apiKey header ", StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (var endpoint in upstream.Endpoints)
        {
            foreach (var parameter in endpoint.Parameters.Where(p => p.Location == "header").ToList())
            {
                var key = "apiKey header " + parameter.Name;
                if (!specHeaders.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                endpoint.Parameters.Remove(parameter);
                upstream.AuthSchemes ??= [];
                if (!upstream.AuthSchemes.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)))
                {
                    upstream.AuthSchemes.Add(new AuthScheme(key));
                }
            }
        }
    }

    private static void CompareServers(ApiContract upstream, ApiContract spec, List<Difference> differences)
    {
        if (upstream.Servers is null)
        {
            return; // the page names no server
        }

        var ours = spec.Servers ?? [];
        foreach (var server in upstream.Servers.Union(ours, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            var inUpstream = upstream.Servers.Contains(server, StringComparer.OrdinalIgnoreCase);
            var inSpec = ours.Contains(server, StringComparer.OrdinalIgnoreCase);
            if (inUpstream != inSpec)
            {
                differences.Add(inUpstream
                    ? new Difference(DocumentScope, $"server \"{server}\"", Added, spec.DocumentDeclaration)
                    : new Difference(DocumentScope, $"server \"{server}\"", Removed, spec.ServerDeclarations.GetValueOrDefault(server)));
            }
        }
    }

    private static void CompareAuth(ApiContract upstream, ApiContract spec, List<Difference> differences)
    {
        if (upstream.AuthSchemes is null)
        {
            return; // the page does not document authentication
        }

        var ours = spec.AuthSchemes ?? [];
        var keys = upstream.AuthSchemes.Select(s => s.Key).Union(ours.Select(s => s.Key), StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            var up = upstream.AuthSchemes.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
            var mine = ours.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
            var item = $"auth scheme \"{key}\"";
            if (mine is null)
            {
                differences.Add(new Difference(DocumentScope, item, Added, spec.DocumentDeclaration));
                continue;
            }

            if (up is null)
            {
                differences.Add(new Difference(DocumentScope, item, Removed, mine.Declaration));
                continue;
            }

            CompareValue(item + " token URL", up.TokenUrl, mine.TokenUrl, mine.Declaration, differences, DocumentScope);
            CompareValue(item + " authorization URL", up.AuthorizationUrl, mine.AuthorizationUrl, mine.Declaration, differences, DocumentScope);
            if (up.Scopes is not null && mine.Scopes is not null)
            {
                CompareSets(item + " scope", up.Scopes, mine.Scopes, mine.Declaration, mine.Declaration, differences, DocumentScope);
            }
        }
    }

    private static (List<(Endpoint Up, Endpoint Spec)> Pairs, List<Endpoint> UpstreamOnly, List<Endpoint> SpecOnly) Pair(
        List<Endpoint> upstream, List<Endpoint> spec)
    {
        var pairs = new List<(Endpoint, Endpoint)>();
        var upLeft = new List<Endpoint>(upstream);
        var specLeft = new List<Endpoint>(spec);

        // 1. Same method and path; 2. same method and path shape ("/a/{id}" = "/a/{artifact_id}").
        foreach (var sameShape in new[] { false, true })
        {
            foreach (var up in upLeft.ToList())
            {
                var match = specLeft.FirstOrDefault(s => s.Method == up.Method &&
                    (sameShape ? Shape(s.Path) == Shape(up.Path) : s.Path == up.Path));
                if (match is not null)
                {
                    pairs.Add((up, match));
                    upLeft.Remove(up);
                    specLeft.Remove(match);
                }
            }
        }

        // 3. The same operation moved to another path: same method, mostly the same parameters,
        //    body fields, status codes and response fields.
        var candidates =
            (from up in upLeft
             from mine in specLeft
             where up.Method == mine.Method
             let score = Similarity(up, mine)
             where score >= SimilarityThreshold
             orderby score descending
             select (up, mine)).ToList();
        foreach (var (up, mine) in candidates)
        {
            if (upLeft.Contains(up) && specLeft.Contains(mine))
            {
                pairs.Add((up, mine));
                upLeft.Remove(up);
                specLeft.Remove(mine);
            }
        }

        return (pairs, upLeft, specLeft);
    }

    private static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{[^{}/]*\}", "{}").TrimEnd('/');

    private static double Similarity(Endpoint a, Endpoint b)
    {
        var fa = Features(a);
        var fb = Features(b);
        if (fa.Count < 2 || fb.Count < 2)
        {
            return 0;
        }

        var common = fa.Count(fb.Contains);
        return (double)common / (fa.Count + fb.Count - common);
    }

    private static HashSet<string> Features(Endpoint endpoint)
    {
        var features = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in endpoint.Parameters)
        {
            features.Add("p:" + parameter.Name.ToLowerInvariant());
        }

        foreach (var (mediaType, media) in endpoint.Body?.Content ?? [])
        {
            features.Add("m:" + mediaType);
            foreach (var path in media.Fields?.Keys ?? Enumerable.Empty<string>())
            {
                features.Add("b:" + path);
            }
        }

        foreach (var (status, response) in endpoint.Responses ?? [])
        {
            features.Add("s:" + status);
            foreach (var media in response.Content?.Values ?? Enumerable.Empty<MediaContent>())
            {
                foreach (var path in media.Fields?.Keys ?? Enumerable.Empty<string>())
                {
                    features.Add("f:" + status + ":" + path);
                }
            }
        }

        return features;
    }

    private static List<Difference> CompareEndpoint(Endpoint up, Endpoint ours)
    {
        var differences = new List<Difference>();
        var scope = ours.Label;
        if (up.Path != ours.Path)
        {
            differences.Add(new Difference(scope, "path", $"\"{up.Path}\" upstream, \"{ours.Path}\" in spec", ours.Declaration));
        }

        var bodyImplied = CompareParameters(up, ours, scope, differences);
        CompareBody(up, ours, bodyImplied, scope, differences);
        CompareResponses(up, ours, scope, differences);
        return differences;
    }

    /// <returns>True when the page names parameters without a location that our spec sends as form body fields.</returns>
    private static bool CompareParameters(Endpoint up, Endpoint ours, string scope, List<Difference> differences)
    {
        var found = new List<(int Order, string Name, List<Difference> Differences)>();
        var matched = new HashSet<Parameter>();
        var bodyImplied = false;

        foreach (var parameter in up.Parameters)
        {
            var local = new List<Difference>();
            var mine = ours.Parameters.FirstOrDefault(p => !matched.Contains(p) && SameParameter(parameter, p));
            if (mine is not null)
            {
                matched.Add(mine);
                CompareParameter(parameter, mine, scope, local);
            }
            else if (parameter.Location is null && FormField(ours.Body, parameter.Name) is { } formField)
            {
                bodyImplied = true;
                if (parameter.Required is bool required && formField.Field.Required is bool specRequired && required != specRequired)
                {
                    local.Add(new Difference(scope, FieldLabel("request", formField.MediaType, parameter.Name), RequiredChange(required, specRequired, parameter.RequiredNote), formField.Field.Declaration));
                }
            }
            else
            {
                local.Add(new Difference(scope, ParameterLabel(parameter), Added, ours.Declaration));
            }

            found.Add((LocationOrder(parameter.Location), parameter.Name, local));
        }

        foreach (var mine in ours.Parameters.Where(p => !matched.Contains(p)))
        {
            found.Add((LocationOrder(mine.Location), mine.Name, [new Difference(scope, ParameterLabel(mine), Removed, mine.Declaration)]));
        }

        foreach (var entry in found.OrderBy(f => f.Order).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            differences.AddRange(entry.Differences);
        }

        return bodyImplied;
    }

    private static bool SameParameter(Parameter up, Parameter mine)
    {
        if (up.Location is null)
        {
            return string.Equals(up.Name, mine.Name, StringComparison.Ordinal);
        }

        return up.Location == mine.Location &&
            string.Equals(up.Name, mine.Name, up.Location == "header" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static (string MediaType, Field Field)? FormField(RequestBody? body, string name)
    {
        foreach (var (mediaType, media) in body?.Content ?? [])
        {
            if (mediaType is "multipart/form-data" or "application/x-www-form-urlencoded" && media.Fields?.GetValueOrDefault(name) is { } field)
            {
                return (mediaType, field);
            }
        }

        return null;
    }

    private static void CompareParameter(Parameter up, Parameter mine, string scope, List<Difference> differences)
    {
        var label = ParameterLabel(mine);
        if (up.Required is bool required && mine.Required is bool specRequired && required != specRequired)
        {
            differences.Add(new Difference(scope, label, RequiredChange(required, specRequired, up.RequiredNote), mine.Declaration));
        }

        if (up.Type is not null && mine.Type is not null && !SameType(up.Type, mine.Type))
        {
            differences.Add(new Difference(scope, label, $"type \"{up.Type}\" upstream, \"{mine.Type}\" in spec", mine.Declaration));
        }

        if (up.Enum is not null && mine.Enum is not null)
        {
            CompareSets(label + " enum value", up.Enum, mine.Enum, mine.Declaration, mine.Declaration, differences, scope);
        }
    }

    private static bool SameType(string up, string mine) =>
        up == mine || (up is "integer" or "number" && mine is "integer" or "number");

    private static void CompareBody(Endpoint up, Endpoint ours, bool bodyImplied, string scope, List<Difference> differences)
    {
        if (!up.BodyDocumented)
        {
            return;
        }

        var upBody = up.Body;
        var myBody = ours.Body;
        if (upBody is null && myBody is null)
        {
            return;
        }

        if (myBody is null)
        {
            differences.Add(new Difference(scope, "request body", Added, ours.Declaration));
            return;
        }

        if (upBody is null)
        {
            if (!bodyImplied)
            {
                differences.Add(new Difference(scope, "request body", Removed, myBody.Declaration));
                return;
            }

            // The page names the body's parameters but no media type.
            foreach (var (mediaType, media) in myBody.Content ?? [])
            {
                differences.Add(new Difference(scope, $"request media type \"{mediaType}\"", Removed, media.Declaration));
            }

            return;
        }

        if (upBody.Required is bool required && myBody.Required is bool specRequired && required != specRequired)
        {
            differences.Add(new Difference(scope, "request body", RequiredChange(required, specRequired, upBody.RequiredNote), myBody.Declaration));
        }

        if (upBody.Content is not null)
        {
            CompareContent("request", upBody.Content, myBody.Content ?? [], myBody.Declaration, scope, differences, wholeBody: false);
        }
    }

    private static void CompareResponses(Endpoint up, Endpoint ours, string scope, List<Difference> differences)
    {
        if (up.Responses is null)
        {
            return; // the page lists no status codes
        }

        var mine = ours.Responses ?? [];
        foreach (var status in up.Responses.Keys.Union(mine.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var upResponse = up.Responses.GetValueOrDefault(status);
            var myResponse = mine.GetValueOrDefault(status);
            var item = "response " + status;
            if (myResponse is null)
            {
                differences.Add(new Difference(scope, item, Added, ours.Declaration));
            }
            else if (upResponse is null)
            {
                differences.Add(new Difference(scope, item, Removed, myResponse.Declaration));
            }
            else if (upResponse.Content is not null)
            {
                CompareContent(item, upResponse.Content, myResponse.Content ?? [], myResponse.Declaration, scope, differences, wholeBody: true);
            }
        }
    }

    private static void CompareContent(
        string owner,
        SortedDictionary<string, MediaContent> up,
        SortedDictionary<string, MediaContent> mine,
        string? ownerDeclaration,
        string scope,
        List<Difference> differences,
        bool wholeBody)
    {
        // A response documented without any body on one side and with one on the other differs as a whole.
        if (wholeBody && (up.Count == 0) != (mine.Count == 0))
        {
            var mediaTypes = string.Join(", ", (up.Count == 0 ? mine : up).Keys);
            differences.Add(new Difference(scope, $"{owner} body ({mediaTypes})", up.Count == 0 ? Removed : Added, ownerDeclaration));
            return;
        }

        foreach (var mediaType in up.Keys.Union(mine.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var upMedia = up.GetValueOrDefault(mediaType);
            var myMedia = mine.GetValueOrDefault(mediaType);
            var item = $"{owner} media type \"{mediaType}\"";
            if (myMedia is null)
            {
                differences.Add(new Difference(scope, item, Added, ownerDeclaration));
            }
            else if (upMedia is null)
            {
                differences.Add(new Difference(scope, item, Removed, myMedia.Declaration));
            }
            else if (upMedia.Fields is not null && myMedia.Fields is not null)
            {
                // No schema, a binary string and contentMediaType all mean "no object shape": only an
                // object schema on one side and none on the other is a difference, about the media type.
                if ((upMedia.Fields.Count == 0) != (myMedia.Fields.Count == 0))
                {
                    differences.Add(new Difference(scope, item + " object schema", upMedia.Fields.Count == 0 ? Removed : Added, myMedia.Declaration));
                }
                else
                {
                    CompareFields(owner, mediaType, upMedia.Fields, myMedia, scope, differences);
                }
            }
        }
    }

    private static void CompareFields(
        string owner,
        string mediaType,
        SortedDictionary<string, Field> up,
        MediaContent mine,
        string scope,
        List<Difference> differences)
    {
        var myFields = mine.Fields!;
        var reported = new List<string>();
        foreach (var path in up.Keys.Union(myFields.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            // Children of a field that is itself added or removed are not listed again.
            if (reported.Any(r => path.StartsWith(r + ".", StringComparison.Ordinal) || path.StartsWith(r + "[]", StringComparison.Ordinal)))
            {
                continue;
            }

            var upField = up.GetValueOrDefault(path);
            var myField = myFields.GetValueOrDefault(path);
            var label = FieldLabel(owner, mediaType, path);
            if (myField is null)
            {
                differences.Add(new Difference(scope, label, Added, NearestObjectDeclaration(mine, path)));
                reported.Add(path);
            }
            else if (upField is null)
            {
                differences.Add(new Difference(scope, label, Removed, myField.Declaration));
                reported.Add(path);
            }
            else
            {
                if (upField.Required is bool required && myField.Required is bool specRequired && required != specRequired)
                {
                    differences.Add(new Difference(scope, label, RequiredChange(required, specRequired, null), myField.Declaration));
                }

                if (upField.Enum is not null && myField.Enum is not null)
                {
                    CompareSets(label + " enum value", upField.Enum, myField.Enum, myField.Declaration, myField.Declaration, differences, scope);
                }
            }
        }
    }

    /// <summary>The declaration of the nearest enclosing object schema that our spec has (else of the media type).</summary>
    internal static string? NearestObjectDeclaration(MediaContent media, string path)
    {
        var current = path;
        while (current.Length > 0)
        {
            var dot = current.LastIndexOf('.');
            current = dot >= 0 ? current[..dot] : current.EndsWith("[]", StringComparison.Ordinal) ? current[..^2] : string.Empty;
            if (media.ObjectDeclarations.TryGetValue(current, out var declaration))
            {
                return declaration;
            }
        }

        return media.Declaration;
    }

    private static void CompareValue(string item, string? up, string? mine, string? declaration, List<Difference> differences, string scope)
    {
        if (up is not null && mine is not null && !string.Equals(up, mine, StringComparison.Ordinal))
        {
            differences.Add(new Difference(scope, item, $"\"{up}\" upstream, \"{mine}\" in spec", declaration));
        }
    }

    internal static void CompareSets(
        string item,
        IEnumerable<string> up,
        IEnumerable<string> mine,
        string? addedDeclaration,
        string? removedDeclaration,
        List<Difference> differences,
        string scope)
    {
        var upSet = up.ToHashSet(StringComparer.Ordinal);
        var mySet = mine.ToHashSet(StringComparer.Ordinal);
        foreach (var value in upSet.Union(mySet).Order(StringComparer.Ordinal))
        {
            if (upSet.Contains(value) != mySet.Contains(value))
            {
                differences.Add(upSet.Contains(value)
                    ? new Difference(scope, $"{item} \"{value}\"", Added, addedDeclaration)
                    : new Difference(scope, $"{item} \"{value}\"", Removed, removedDeclaration));
            }
        }
    }

    private static string RequiredChange(bool up, bool mine, string? note) =>
        $"{(up ? "required" : "optional")} upstream{(note is null ? string.Empty : $" ({note})")}, {(mine ? "required" : "optional")} in spec";

    private static string ParameterLabel(Parameter parameter) =>
        parameter.Location is null ? $"parameter \"{parameter.Name}\"" : $"{parameter.Location} parameter \"{parameter.Name}\"";

    private static string FieldLabel(string owner, string mediaType, string path) => (owner, mediaType) switch
    {
        ("request", "multipart/form-data") => $"request multipart part \"{path}\"",
        ("request", "application/x-www-form-urlencoded") => $"request form field \"{path}\"",
        _ => $"{owner} {mediaType} field \"{path}\"",
    };

    private static int LocationOrder(string? location) => location switch
    {
        "path" => 0,
        "query" => 1,
        "header" => 2,
        "cookie" => 3,
        _ => 4,
    };
}
