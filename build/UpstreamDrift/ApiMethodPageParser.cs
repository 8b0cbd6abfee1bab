using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace UpstreamDrift;

/// <summary>
/// Format 2: GitBook's API markup (HrFlow), in both of its forms. The legacy one:
/// <c>{% api-method method="get" host="..." path="..." %}</c> with <c>api-method-parameter</c> tags
/// (name, type, required=true) inside the headers / query / path / body / form-data sections and
/// <c>api-method-response-example httpCode=...</c>. The newer one, which GitBook writes today:
/// <c>{% swagger method="get" baseUrl="..." path="..." %}</c> with
/// <c>swagger-parameter in="header|query|path|body|formData" name=... type=... required=true</c> and
/// <c>swagger-response status=...</c>. Both are read by the same state machine: the tags differ, the
/// facts do not. Example bodies give the fields (JSON, or a Python dict that is converted first).
/// The markup has no auth section: a header parameter that carries a credential (its name or
/// description mentions a key, token, secret or authentication) is read as an apiKey auth scheme.
/// The markup cannot express enums, so enums are not compared for these pages.
/// </summary>
internal static partial class ApiMethodPageParser
{
    public static bool IsApiMethodPage(string text) => ApiMethodStartRegex().IsMatch(text);

    public static ApiContract Parse(string text)
    {
        var swagger = SwaggerStartRegex().IsMatch(text) && !LegacyStartRegex().IsMatch(text);
        var contract = new ApiContract(swagger ? "GitBook swagger page" : "GitBook api-method page")
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
            var isEnd = tag.Groups["end"].Success;
            var attributes = Attributes(tag.Groups["attrs"].Value);
            var line = text.AsSpan(0, tag.Index).Count('\n') + 1;
            var name = tag.Groups["tag"].Value;
            if (name.StartsWith("swagger", StringComparison.Ordinal))
            {
                // {% swagger-parameter in="query" %} stands alone where api-method wraps parameters in a section.
                name = SwaggerTag(name, attributes, isEnd, line, ref location);
            }

            switch (name)
            {
                case "api-method" when !isEnd:
                    if (endpoint is not null)
                    {
                        throw new PageFormatException($"{{% {tag.Groups["tag"].Value} %}} at line {Invariant(line)} starts before the one at line {Invariant(endpointLine)} ends");
                    }

                    endpoint = StartEndpoint(attributes, line, contract, tag.Groups["tag"].Value);
                    endpointLine = line;
                    break;
                case "api-method" when isEnd:
                    if (endpoint is null)
                    {
                        throw new PageFormatException($"{{% end{tag.Groups["tag"].Value} %}} at line {Invariant(line)} has no matching {{% {tag.Groups["tag"].Value} %}}");
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
                    status = attributes.GetValueOrDefault("httpCode") ?? attributes.GetValueOrDefault("status")
                        ?? throw new PageFormatException($"{tag.Groups["tag"].Value} at line {Invariant(line)} has no {(swagger ? "status" : "httpCode")}");
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

        var markup = swagger ? "swagger" : "api-method";
        if (endpoint is not null)
        {
            throw new PageFormatException($"{{% {markup} %}} at line {Invariant(endpointLine)} is never closed with {{% end{markup} %}}");
        }

        if (contract.Endpoints.Count == 0)
        {
            throw new PageFormatException($"no endpoint found in the {{% {markup} %}} markup");
        }

        return contract;
    }

    /// <summary>
    /// The api-method tag that a swagger tag stands for. A swagger-parameter carries its location in its
    /// own "in" attribute, so it also opens (and its end tag closes) the matching request section.
    /// </summary>
    private static string SwaggerTag(string name, Dictionary<string, string> attributes, bool isEnd, int line, ref string? location)
    {
        switch (name)
        {
            case "swagger":
                return "api-method";
            case "swagger-response":
                return "api-method-response-example";
            case "swagger-parameter" when isEnd:
                return "api-method-parameter";
            case "swagger-parameter":
                var place = attributes.GetValueOrDefault("in")?.Trim();
                location = place?.ToLowerInvariant() switch
                {
                    "header" => "header",
                    "query" => "query",
                    "path" => "path",
                    "cookie" => "cookie",
                    "body" => "body:application/json",
                    "formdata" => "body:multipart/form-data",
                    _ => throw new PageFormatException(
                        $"swagger-parameter at line {Invariant(line)} has {(place is null ? "no \"in\" attribute" : $"an unknown location in=\"{place}\"")} (header, query, path, cookie, body or formData)"),
                };
                return "api-method-parameter";
            default:
                return name; // swagger-description and friends carry no contract
        }
    }

    private static Endpoint StartEndpoint(Dictionary<string, string> attributes, int line, ApiContract contract, string markup)
    {
        var method = attributes.GetValueOrDefault("method");
        var path = attributes.GetValueOrDefault("path");
        if (string.IsNullOrWhiteSpace(method) || string.IsNullOrWhiteSpace(path))
        {
            throw new PageFormatException($"{{% {markup} %}} at line {Invariant(line)} lacks a method or path attribute");
        }

        path = PageReader.Unescape(path);
        if ((attributes.GetValueOrDefault("host") ?? attributes.GetValueOrDefault("baseUrl")) is { Length: > 0 } host)
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
            throw new PageFormatException($"the parameter at line {Invariant(line)} is outside an endpoint's request section");
        }

        var name = attributes.GetValueOrDefault("name") is { Length: > 0 } raw
            ? PageReader.Unescape(raw)
            : throw new PageFormatException($"the parameter at line {Invariant(line)} has no name");
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

    [GeneratedRegex(@"\{%-?\s*(?:api-method|swagger)\s")]
    private static partial Regex ApiMethodStartRegex();

    [GeneratedRegex(@"\{%-?\s*api-method\s")]
    private static partial Regex LegacyStartRegex();

    [GeneratedRegex(@"\{%-?\s*swagger\s")]
    private static partial Regex SwaggerStartRegex();

    [GeneratedRegex(@"\{%-?\s*(?<end>end)?(?<tag>(?:api-method|swagger)[\w-]*)(?<attrs>[^%]*?)-?%\}")]
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
