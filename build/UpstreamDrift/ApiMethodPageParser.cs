using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace UpstreamDrift;

/// <summary>
/// Format 2: GitBook's legacy <c>{% api-method method="get" host="..." path="..." %}</c> markup (HrFlow).
/// Parameters come from <c>api-method-parameter</c> tags (name, type, required=true) inside the
/// headers / query / path / body / form-data sections; responses from
/// <c>api-method-response-example httpCode=...</c> with example JSON bodies, whose keys are the fields.
/// The markup has no auth section: a header parameter that carries a credential (its name or
/// description mentions a key, token, secret or authentication) is read as an apiKey auth scheme.
/// The markup cannot express enums, so enums are not compared for these pages.
/// </summary>
internal static partial class ApiMethodPageParser
{
    public static bool IsApiMethodPage(string text) => ApiMethodStartRegex().IsMatch(text);

    public static ApiContract Parse(string text)
    {
        var contract = new ApiContract("GitBook api-method page")
        {
            Servers = new SortedSet<string>(StringComparer.Ordinal),
        };

        Endpoint? endpoint = null;
        string? location = null;            // header, query, path, or "body:<media type>"
        Parameter? parameter = null;
        int parameterStart = 0;
        string? status = null;
        int exampleStart = 0;
        var endpointLine = 0;

        foreach (Match tag in TagRegex().Matches(text))
        {
            var name = tag.Groups["tag"].Value;
            var isEnd = tag.Groups["end"].Success;
            var attributes = Attributes(tag.Groups["attrs"].Value);
            var line = text.AsSpan(0, tag.Index).Count('\n') + 1;

            switch (name)
            {
                case "api-method" when !isEnd:
                    if (endpoint is not null)
                    {
                        throw new PageFormatException($"{{% api-method %}} at line {Invariant(line)} starts before the one at line {Invariant(endpointLine)} ends");
                    }

                    endpoint = StartEndpoint(attributes, line, contract);
                    endpointLine = line;
                    break;
                case "api-method" when isEnd:
                    if (endpoint is null)
                    {
                        throw new PageFormatException($"{{% endapi-method %}} at line {Invariant(line)} has no matching {{% api-method %}}");
                    }

                    contract.Endpoints.Add(endpoint);
                    endpoint = null;
                    break;
                case "api-method-headers":
                    location = isEnd ? null : "header";
                    break;
                case "api-method-query-parameters":
                    location = isEnd ? null : "query";
                    break;
                case "api-method-path-parameters":
                    location = isEnd ? null : "path";
                    break;
                case "api-method-body-parameters":
                    location = isEnd ? null : "body:application/json";
                    break;
                case "api-method-form-data-parameters":
                    location = isEnd ? null : "body:multipart/form-data";
                    break;
                case "api-method-parameter" when !isEnd:
                    parameter = StartParameter(attributes, line, endpoint, location);
                    parameterStart = tag.Index + tag.Length;
                    break;
                case "api-method-parameter" when isEnd:
                    if (parameter is not null && endpoint is not null && location == "header")
                    {
                        ClassifyHeader(parameter, text[parameterStart..tag.Index], endpoint, contract);
                    }

                    parameter = null;
                    break;
                case "api-method-response-example" when !isEnd:
                    status = attributes.GetValueOrDefault("httpCode")
                        ?? throw new PageFormatException($"api-method-response-example at line {Invariant(line)} has no httpCode");
                    exampleStart = tag.Index + tag.Length;
                    break;
                case "api-method-response-example" when isEnd:
                    if (endpoint is not null && status is not null)
                    {
                        AddResponse(endpoint, status, text[exampleStart..tag.Index], line);
                    }

                    status = null;
                    break;
                default:
                    break;
            }
        }

        if (endpoint is not null)
        {
            throw new PageFormatException($"{{% api-method %}} at line {Invariant(endpointLine)} is never closed with {{% endapi-method %}}");
        }

        if (contract.Endpoints.Count == 0)
        {
            throw new PageFormatException("no endpoint found in the {% api-method %} markup");
        }

        return contract;
    }

    private static Endpoint StartEndpoint(Dictionary<string, string> attributes, int line, ApiContract contract)
    {
        var method = attributes.GetValueOrDefault("method");
        var path = attributes.GetValueOrDefault("path");
        if (string.IsNullOrWhiteSpace(method) || string.IsNullOrWhiteSpace(path))
        {
            throw new PageFormatException($"{{% api-method %}} at line {Invariant(line)} lacks a method or path attribute");
        }

        path = PageReader.Unescape(path);
        if (attributes.GetValueOrDefault("host") is { Length: > 0 } host)
        {
            contract.Servers!.Add(OpenApiContractReader.NormalizeServer(PageReader.Unescape(host)));
        }

        var endpoint = new Endpoint(method, path.StartsWith('/') ? path : "/" + path);
        foreach (Match match in PathParameterRegex().Matches(endpoint.Path))
        {
            endpoint.Parameters.Add(new Parameter(match.Groups[1].Value, "path") { Required = true });
        }

        return endpoint;
    }

    private static Parameter? StartParameter(Dictionary<string, string> attributes, int line, Endpoint? endpoint, string? location)
    {
        if (endpoint is null || location is null)
        {
            throw new PageFormatException($"api-method-parameter at line {Invariant(line)} is outside an api-method request section");
        }

        var name = attributes.GetValueOrDefault("name") is { Length: > 0 } raw
            ? PageReader.Unescape(raw)
            : throw new PageFormatException($"api-method-parameter at line {Invariant(line)} has no name");
        var required = string.Equals(attributes.GetValueOrDefault("required"), "true", StringComparison.OrdinalIgnoreCase);
        var type = attributes.GetValueOrDefault("type")?.Trim().ToLowerInvariant();

        if (location.StartsWith("body:", StringComparison.Ordinal))
        {
            var mediaType = location["body:".Length..];
            endpoint.Body ??= new RequestBody { Content = new SortedDictionary<string, MediaContent>(StringComparer.Ordinal) };
            if (!endpoint.Body.Content!.TryGetValue(mediaType, out var media))
            {
                media = new MediaContent(mediaType);
                endpoint.Body.Content[mediaType] = media;
            }

            media.EnsureFields()[name] = new Field(name) { Required = required };
            return null;
        }

        var existing = endpoint.Parameters.FirstOrDefault(p => p.Name == name && p.Location == location);
        if (existing is not null)
        {
            existing.Required = required;
            existing.Type = type;
            return existing;
        }

        var parameter = new Parameter(name, location) { Required = required, Type = type, Enum = null };
        endpoint.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A credential header becomes an auth scheme instead of a parameter.</summary>
    private static void ClassifyHeader(Parameter header, string description, Endpoint endpoint, ApiContract contract)
    {
        string? key = null;
        if (string.Equals(header.Name, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            key = BearerRegex().IsMatch(description) ? "http bearer"
                : BasicRegex().IsMatch(description) ? "http basic"
                : "apiKey header Authorization";
        }
        else if (CredentialRegex().IsMatch(header.Name) || CredentialRegex().IsMatch(description))
        {
            key = "apiKey header " + header.Name;
        }

        if (key is null)
        {
            return;
        }

        endpoint.Parameters.Remove(header);
        contract.AuthSchemes ??= [];
        if (!contract.AuthSchemes.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)))
        {
            contract.AuthSchemes.Add(new AuthScheme(key));
        }
    }

    private static void AddResponse(Endpoint endpoint, string status, string body, int line)
    {
        endpoint.Responses ??= new SortedDictionary<string, Response>(StringComparer.Ordinal);
        var key = OpenApiContractReader.NormalizeStatus(status);
        if (!endpoint.Responses.TryGetValue(key, out var response))
        {
            response = new Response(key);
            endpoint.Responses[key] = response;
        }

        var fence = Markdown.Parse(body, PageReader.Pipeline).Descendants<FencedCodeBlock>().FirstOrDefault();
        if (fence is null)
        {
            return; // the example shows no body: the body is not documented
        }

        var content = PageReader.FenceContent(fence);
        if (string.IsNullOrWhiteSpace(content))
        {
            response.Content ??= new SortedDictionary<string, MediaContent>(StringComparer.Ordinal);
            return;
        }

        if (!JsonExample.LooksLikeJson(content))
        {
            return; // a non-JSON example (plain text, HTML): its media type is not documented
        }

        var json = JsonExample.Parse(content, $"the response example {status} that ends at line {Invariant(line)}");
        response.Content ??= new SortedDictionary<string, MediaContent>(StringComparer.Ordinal);
        if (!response.Content.TryGetValue("application/json", out var media))
        {
            media = new MediaContent("application/json");
            response.Content["application/json"] = media;
        }

        JsonExample.Collect(json, string.Empty, media.EnsureFields());
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in AttributeRegex().Matches(text))
        {
            attributes[match.Groups["key"].Value] = match.Groups["value"].Value;
        }

        return attributes;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{%\s*api-method\s")]
    private static partial Regex ApiMethodStartRegex();

    [GeneratedRegex(@"\{%-?\s*(?<end>end)?(?<tag>api-method[\w-]*)(?<attrs>[^%]*?)-?%\}")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"(?<key>[\w-]+)\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s""']+))")]
    private static partial Regex AttributeRegex();

    [GeneratedRegex(@"\{([^{}/]+)\}")]
    private static partial Regex PathParameterRegex();

    [GeneratedRegex(@"api[\s_-]?key|token|secret|auth", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialRegex();

    [GeneratedRegex(@"\bbearer\b", RegexOptions.IgnoreCase)]
    private static partial Regex BearerRegex();

    [GeneratedRegex(@"\bbasic\b", RegexOptions.IgnoreCase)]
    private static partial Regex BasicRegex();
}
