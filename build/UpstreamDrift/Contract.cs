using System;
using System.Collections.Generic;

namespace UpstreamDrift;

// The documented contract of an API, extracted either from an upstream page or from one of our specs.
// Both sides use the same model so that the comparison does not care where a fact came from.
//
// "Not documented" is kept apart from "documented as empty": a null collection or flag means the
// source does not say (the comparison skips it); an empty one means the source says "none".
// Declaration properties (x-upstream-deviation reasons) are only ever set on the spec side and hold
// the element's OWN extension (through a $ref, the referenced component's). The comparer decides
// which element a difference is about (see ContractComparer).

/// <summary>Everything a page (or a spec) documents.</summary>
internal sealed class ApiContract
{
    public ApiContract(string description) => Description = description;

    /// <summary>Human-readable kind of source, e.g. "GitBook page, 2 embedded OpenAPI 3.1.1 documents".</summary>
    public string Description { get; set; }

    /// <summary>Server URLs; null when the source does not name a server.</summary>
    public SortedSet<string>? Servers { get; set; }

    /// <summary>Auth schemes in use; null when the source does not document authentication.</summary>
    public List<AuthScheme>? AuthSchemes { get; set; }

    public List<Endpoint> Endpoints { get; } = [];

    /// <summary>Spec only: x-upstream-deviation on info (document-wide choices).</summary>
    public string? DocumentDeclaration { get; set; }

    /// <summary>Spec only: the path items, by path, with their x-upstream-deviation (or null).</summary>
    public Dictionary<string, string?> PathDeclarations { get; } = new(StringComparer.Ordinal);

    /// <summary>Spec only: x-upstream-deviation of each server object, by URL.</summary>
    public Dictionary<string, string?> ServerDeclarations { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One auth scheme; an OAuth2 scheme with several flows becomes one entry per flow.</summary>
internal sealed class AuthScheme
{
    public AuthScheme(string key) => Key = key;

    /// <summary>Identity used for matching, e.g. "apiKey header X-API-KEY", "http bearer", "oauth2 clientCredentials".</summary>
    public string Key { get; }

    public string? TokenUrl { get; set; }

    public string? AuthorizationUrl { get; set; }

    public SortedSet<string>? Scopes { get; set; }

    public string? Declaration { get; set; }
}

internal sealed class Endpoint
{
    public Endpoint(string method, string path)
    {
        Method = method.ToUpperInvariant();
        Path = path;
    }

    public string Method { get; }

    public string Path { get; set; }

    public string Label => Method + " " + Path;

    public List<Parameter> Parameters { get; } = [];

    /// <summary>The request body; null when there is none (see <see cref="BodyDocumented"/>).</summary>
    public RequestBody? Body { get; set; }

    /// <summary>False when the source cannot say whether there is a request body.</summary>
    public bool BodyDocumented { get; set; } = true;

    /// <summary>Responses by status code; null when the source lists no status codes at all.</summary>
    public SortedDictionary<string, Response>? Responses { get; set; }

    /// <summary>Spec only: the operation's x-upstream-deviation.</summary>
    public string? Declaration { get; set; }
}

internal sealed class Parameter
{
    public Parameter(string name, string? location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    /// <summary>query, header, path or cookie; null when the page names a parameter without saying where it goes.</summary>
    public string? Location { get; }

    /// <summary>Null when not documented.</summary>
    public bool? Required { get; set; }

    /// <summary>Explains an odd required flag, e.g. upstream's misspelt "require".</summary>
    public string? RequiredNote { get; set; }

    /// <summary>Coarse JSON type (string, integer, ...); null when not documented.</summary>
    public string? Type { get; set; }

    /// <summary>Allowed values; null when the source cannot express an enum, empty when there is none.</summary>
    public List<string>? Enum { get; set; }

    /// <summary>Spec only: x-upstream-deviation of the parameter, else of its schema.</summary>
    public string? Declaration { get; set; }
}

internal sealed class RequestBody
{
    /// <summary>Null when not documented.</summary>
    public bool? Required { get; set; }

    public string? RequiredNote { get; set; }

    /// <summary>Media types; null when the source does not name the media type.</summary>
    public SortedDictionary<string, MediaContent>? Content { get; set; }

    public string? Declaration { get; set; }
}

internal sealed class Response
{
    public Response(string status) => Status = status;

    public string Status { get; }

    /// <summary>Media types (empty: documented as body-less); null when the body is not documented.</summary>
    public SortedDictionary<string, MediaContent>? Content { get; set; }

    public string? Declaration { get; set; }
}

internal sealed class MediaContent
{
    public MediaContent(string mediaType) => MediaType = mediaType;

    public string MediaType { get; }

    /// <summary>
    /// Fields by flattened path ("state.id", "items[].id"); empty when the body has no object shape
    /// (no schema, a binary string, an example that is not an object); null when not documented.
    /// </summary>
    public SortedDictionary<string, Field>? Fields { get; set; }

    public string? Declaration { get; set; }

    /// <summary>Spec only: each object schema's own declaration (or null), by its flattened path ("" for the root).</summary>
    public Dictionary<string, string?> ObjectDeclarations { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, Field> EnsureFields() => Fields ??= new SortedDictionary<string, Field>(StringComparer.Ordinal);
}

internal sealed class Field
{
    public Field(string path) => Path = path;

    public string Path { get; }

    public bool? Required { get; set; }

    public List<string>? Enum { get; set; }

    /// <summary>Spec only: x-upstream-deviation of the property, else of the object schema that lists it.</summary>
    public string? Declaration { get; set; }
}
