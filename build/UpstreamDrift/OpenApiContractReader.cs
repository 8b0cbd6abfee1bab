using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace UpstreamDrift;

/// <summary>
/// Turns an OpenAPI document (ours or one embedded in an upstream page, 3.0 or 3.1, as read by
/// Microsoft.OpenApi with its $refs resolved) into an <see cref="ApiContract"/>. Only contract facts
/// are kept, so representation choices ($ref vs inline, contentMediaType vs format: binary, names of
/// components, descriptions, examples, operation ids, tags) disappear here.
/// </summary>
internal sealed partial class OpenApiContractReader
{
    public const string DeviationExtension = "x-upstream-deviation";

    private readonly bool _withDeclarations;

    private OpenApiContractReader(bool withDeclarations) => _withDeclarations = withDeclarations;

    /// <summary>Reads a document. Declarations (x-upstream-deviation) are read only for our specs.</summary>
    public static ApiContract Read(OpenApiDocument document, string description, bool withDeclarations)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new OpenApiContractReader(withDeclarations).ReadDocument(document, description);
    }

    private ApiContract ReadDocument(OpenApiDocument document, string description)
    {
        var contract = new ApiContract(description)
        {
            DocumentDeclaration = Declaration(document.Info),
            Servers = new SortedSet<string>(StringComparer.Ordinal),
        };

        foreach (var server in document.Servers ?? [])
        {
            if (!string.IsNullOrWhiteSpace(server.Url))
            {
                var url = NormalizeServer(server.Url);
                contract.Servers.Add(url);
                contract.ServerDeclarations[url] = Declaration(server);
            }
        }

        var schemes = new Dictionary<string, AuthScheme>(StringComparer.OrdinalIgnoreCase);
        AddAuth(document.Security, schemes);

        foreach (var (path, pathItem) in (document.Paths ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            contract.PathDeclarations[path] = Declaration(pathItem);
            foreach (var (method, operation) in (pathItem.Operations ?? []).OrderBy(o => MethodOrder(o.Key.Method)))
            {
                contract.Endpoints.Add(ReadOperation(path, method, pathItem, operation));
                AddAuth(operation.Security, schemes);
            }
        }

        contract.AuthSchemes = [.. schemes.Values.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase)];
        return contract;
    }

    private Endpoint ReadOperation(string path, HttpMethod method, IOpenApiPathItem pathItem, OpenApiOperation operation)
    {
        var endpoint = new Endpoint(method.Method, path) { Declaration = Declaration(operation) };

        // Operation parameters override path-item parameters with the same name and location.
        var parameters = new List<IOpenApiParameter>();
        parameters.AddRange(operation.Parameters ?? []);
        foreach (var shared in pathItem.Parameters ?? [])
        {
            if (!parameters.Any(p => p.Name == shared.Name && p.In == shared.In))
            {
                parameters.Add(shared);
            }
        }

        foreach (var parameter in parameters)
        {
            if (string.IsNullOrEmpty(parameter.Name))
            {
                continue;
            }

            var location = parameter.In?.ToString().ToLowerInvariant();
            endpoint.Parameters.Add(new Parameter(parameter.Name, location)
            {
                Required = parameter.Required || location == "path",
                Type = TypeName(parameter.Schema),
                Enum = EnumValues(parameter.Schema),
                Declaration = Declaration(parameter) ?? Declaration(parameter.Schema),
            });
        }

        if (operation.RequestBody is { } requestBody)
        {
            endpoint.Body = new RequestBody
            {
                Required = requestBody.Required,
                Declaration = Declaration(requestBody),
                Content = ReadContent(requestBody.Content),
            };
        }

        endpoint.Responses = new SortedDictionary<string, Response>(StringComparer.Ordinal);
        foreach (var (status, response) in operation.Responses ?? [])
        {
            var key = NormalizeStatus(status);
            endpoint.Responses[key] = new Response(key)
            {
                Declaration = Declaration(response),
                Content = ReadContent(response.Content),
            };
        }

        return endpoint;
    }

    /// <summary>A component schema of the document flattened into fields (a reference page's object), or null when there is none by that name.</summary>
    public static MediaContent? ReadComponentSchema(OpenApiDocument document, string name, bool withDeclarations)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Components?.Schemas?.TryGetValue(name, out var schema) != true || schema is null)
        {
            return null;
        }

        var reader = new OpenApiContractReader(withDeclarations);
        var media = new MediaContent("schema " + name) { Declaration = reader.Declaration(schema) };
        media.EnsureFields();
        media.ObjectDeclarations[string.Empty] = reader.Declaration(schema);
        reader.Flatten(schema, string.Empty, media, [], 0);
        return media;
    }

    private SortedDictionary<string, MediaContent> ReadContent(IDictionary<string, IOpenApiMediaType>? content)
    {
        var result = new SortedDictionary<string, MediaContent>(StringComparer.Ordinal);
        foreach (var (mediaTypeName, mediaType) in content ?? new Dictionary<string, IOpenApiMediaType>())
        {
            var name = NormalizeMediaType(mediaTypeName);
            var media = new MediaContent(name) { Declaration = Declaration(mediaType) };
            media.EnsureFields();
            if (mediaType.Schema is { } schema)
            {
                media.ObjectDeclarations[string.Empty] = Declaration(schema);
                Flatten(schema, string.Empty, media, [], 0);
            }

            result[name] = media;
        }

        return result;
    }

    /// <summary>
    /// Flattens a schema into field paths: properties by name, nested objects with ".", array items
    /// with "[]" ("data[].file_name"). allOf/oneOf/anyOf contribute their properties to the same level.
    /// </summary>
    /// <param name="alternative">True inside a oneOf/anyOf part: a field there is required only when every part that has it requires it.</param>
    private void Flatten(IOpenApiSchema? schema, string prefix, MediaContent media, HashSet<IOpenApiSchema> stack, int depth, bool alternative = false)
    {
        if (schema is null || depth > 16)
        {
            return;
        }

        var target = Resolve(schema);
        if (!stack.Add(target))
        {
            return; // recursive schema: stop at the second visit
        }

        try
        {
            // The object schema at this path: its own declaration, else one of its allOf/oneOf/anyOf parts'.
            var parts = (schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []).ToList();
            var declaration = Declaration(schema) ?? parts.Select(Declaration).FirstOrDefault(d => d is not null);
            if (schema.Properties is { Count: > 0 } || parts.Count > 0 || TypeName(schema) == "object")
            {
                media.ObjectDeclarations.TryAdd(prefix, declaration);
            }

            var fields = media.EnsureFields();
            foreach (var part in schema.AllOf ?? [])
            {
                Flatten(part, prefix, media, stack, depth + 1, alternative);
            }

            foreach (var part in (schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
            {
                Flatten(part, prefix, media, stack, depth + 1, alternative: true);
            }

            if (schema.Properties is { Count: > 0 } properties)
            {
                foreach (var (name, property) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    var path = prefix.Length == 0 ? name : prefix + "." + name;
                    var field = new Field(path)
                    {
                        Required = schema.Required?.Contains(name) == true,
                        Enum = EnumValues(property),
                        Declaration = Declaration(property) ?? Declaration(schema) ?? declaration,
                    };

                    // The same property in several allOf/anyOf/oneOf parts (hh.ru's error variants all
                    // have "type" and "value"): one field, with every part's enum values.
                    if (fields.TryGetValue(path, out var earlier))
                    {
                        field.Required = alternative ? earlier.Required == true && field.Required == true : earlier.Required == true || field.Required == true;
                        field.Enum = [.. earlier.Enum ?? [], .. (field.Enum ?? []).Where(v => earlier.Enum?.Contains(v, StringComparer.Ordinal) != true)];
                        field.Declaration = earlier.Declaration ?? field.Declaration;
                    }

                    fields[path] = field;
                    Flatten(property, path, media, stack, depth + 1, alternative);
                }
            }

            // Names required here whose properties come from allOf parts ("required" beside "allOf").
            foreach (var name in (schema.Required ?? new HashSet<string>()).Where(n => schema.Properties?.ContainsKey(n) != true))
            {
                var path = prefix.Length == 0 ? name : prefix + "." + name;
                if (fields.TryGetValue(path, out var field))
                {
                    field.Required = true;
                }
            }

            if (schema.Items is { } items)
            {
                Flatten(items, prefix + "[]", media, stack, depth + 1, alternative);
            }
        }
        finally
        {
            stack.Remove(target);
        }
    }

    private void AddAuth(IList<OpenApiSecurityRequirement>? requirements, Dictionary<string, AuthScheme> schemes)
    {
        foreach (var requirement in requirements ?? [])
        {
            foreach (var reference in requirement.Keys)
            {
                foreach (var scheme in DescribeScheme(reference, Declaration(reference)))
                {
                    schemes.TryAdd(scheme.Key, scheme);
                }
            }
        }
    }

    private static IEnumerable<AuthScheme> DescribeScheme(OpenApiSecuritySchemeReference scheme, string? declaration)
    {
        switch (scheme.Type)
        {
            case SecuritySchemeType.ApiKey:
                yield return new AuthScheme($"apiKey {scheme.In?.ToString().ToLowerInvariant()} {scheme.Name}") { Declaration = declaration };
                break;
            case SecuritySchemeType.Http:
                yield return new AuthScheme($"http {scheme.Scheme?.ToLowerInvariant()}") { Declaration = declaration };
                break;
            case SecuritySchemeType.OAuth2:
                var flows = scheme.Flows;
                var described = new (string Name, OpenApiOAuthFlow? Flow)[]
                {
                    ("implicit", flows?.Implicit),
                    ("password", flows?.Password),
                    ("clientCredentials", flows?.ClientCredentials),
                    ("authorizationCode", flows?.AuthorizationCode),
                    ("deviceAuthorization", flows?.DeviceAuthorization),
                };
                var any = false;
                foreach (var (name, flow) in described)
                {
                    if (flow is null)
                    {
                        continue;
                    }

                    any = true;
                    yield return new AuthScheme("oauth2 " + name)
                    {
                        TokenUrl = flow.TokenUrl?.ToString(),
                        AuthorizationUrl = flow.AuthorizationUrl?.ToString(),
                        Scopes = new SortedSet<string>(flow.Scopes?.Keys ?? [], StringComparer.Ordinal),
                        Declaration = declaration,
                    };
                }

                if (!any)
                {
                    yield return new AuthScheme("oauth2") { Declaration = declaration };
                }

                break;
            case SecuritySchemeType.OpenIdConnect:
                yield return new AuthScheme($"openIdConnect {scheme.OpenIdConnectUrl}") { Declaration = declaration };
                break;
            default:
                yield return new AuthScheme(scheme.Type?.ToString() ?? "unknown") { Declaration = declaration };
                break;
        }
    }

    /// <summary>The element's own x-upstream-deviation (through a $ref, the target's); null for upstream documents.</summary>
    private string? Declaration(object? element)
    {
        if (!_withDeclarations)
        {
            return null;
        }

        // Operations and info are IOpenApiExtensible; elements that can be $refs (parameters, responses,
        // schemas, ...) are IOpenApiReadOnlyExtensible, whose reference objects answer with the target's.
        var extensions = element switch
        {
            IOpenApiExtensible writable => writable.Extensions,
            IOpenApiReadOnlyExtensible readOnly => readOnly.Extensions,
            _ => null,
        };
        if (extensions is null || !extensions.TryGetValue(DeviationExtension, out var extension))
        {
            return null;
        }

        var text = extension is JsonNodeExtension { Node: JsonValue value } && value.TryGetValue(out string? s)
            ? s
            : (extension as JsonNodeExtension)?.Node?.ToJsonString() ?? string.Empty;
        text = WhitespaceRegex().Replace(text, " ").Trim();
        return text.Length == 0 ? "(no reason given)" : text;
    }

    private static IOpenApiSchema Resolve(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference reference ? (IOpenApiSchema?)reference.RecursiveTarget ?? reference.Target ?? schema : schema;

    internal static string? TypeName(IOpenApiSchema? schema)
    {
        if (schema?.Type is not { } type)
        {
            // "allOf: [$ref]" is the usual 3.0 way of adding siblings to a reference.
            return schema?.AllOf is { Count: 1 } allOf ? TypeName(allOf[0]) : null;
        }

        var names = new List<string>();
        foreach (var (flag, name) in new[]
        {
            (JsonSchemaType.String, "string"), (JsonSchemaType.Integer, "integer"), (JsonSchemaType.Number, "number"),
            (JsonSchemaType.Boolean, "boolean"), (JsonSchemaType.Object, "object"), (JsonSchemaType.Array, "array"),
        })
        {
            if (type.HasFlag(flag))
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? (type.HasFlag(JsonSchemaType.Null) ? "null" : null) : string.Join('|', names);
    }

    internal static List<string> EnumValues(IOpenApiSchema? schema)
    {
        var values = schema?.Enum is { Count: > 0 } own
            ? own
            : schema?.AllOf is { Count: 1 } allOf ? allOf[0].Enum : null;
        return values is null ? [] : [.. values.Select(EnumText).Where(v => v != "null").Distinct(StringComparer.Ordinal)];
    }

    internal static string EnumText(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    internal static string NormalizeServer(string url) => url.Trim().TrimEnd('/');

    internal static string NormalizeMediaType(string mediaType)
    {
        var semicolon = mediaType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? mediaType[..semicolon] : mediaType).Trim().ToLowerInvariant();
    }

    internal static string NormalizeStatus(string status) => status.Trim().ToUpperInvariant() switch
    {
        "DEFAULT" => "default",
        var s => s,
    };

    internal static int MethodOrder(string method) => method.ToUpperInvariant() switch
    {
        "GET" => 0,
        "PUT" => 1,
        "POST" => 2,
        "DELETE" => 3,
        "OPTIONS" => 4,
        "HEAD" => 5,
        "PATCH" => 6,
        "TRACE" => 7,
        _ => 8,
    };

    internal static string FormatInvariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
