namespace CandidateFiles;

/// <summary>
/// What the SDK knows about a failed provider response, already safe to show: the body is an excerpt with secrets
/// redacted, the path carries no query string, and headers that can carry credentials are left out.
/// </summary>
/// <param name="provider">Display name of the provider (as its options name it).</param>
/// <param name="statusCode">HTTP status code (0 when nothing was sent).</param>
/// <param name="requestMethod">HTTP method of the request, or null when unknown.</param>
/// <param name="requestPath">Absolute path of the request without its query string, or null when unknown.</param>
/// <param name="headers">Response and content headers.</param>
/// <param name="contentType">Media type of the response body, or null.</param>
/// <param name="body">Body excerpt, or null when the response had no body.</param>
/// <param name="bodyTruncated">True when <paramref name="body"/> is shorter than the real body.</param>
/// <param name="attempts">How many attempts the call made (1 without retries).</param>
public sealed class ProviderResponseInfo(
    string provider,
    int statusCode,
    string? requestMethod,
    string? requestPath,
    IReadOnlyDictionary<string, IEnumerable<string>> headers,
    string? contentType,
    string? body,
    bool bodyTruncated,
    int attempts = 1)
{
    /// <summary>Display name of the provider.</summary>
    public string Provider { get; } = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>HTTP status code (0 when nothing was sent).</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>HTTP method of the request, when known.</summary>
    public string? RequestMethod { get; } = requestMethod;

    /// <summary>Absolute path of the request without its query string, when known.</summary>
    public string? RequestPath { get; } = requestPath;

    /// <summary>Response and content headers, without credential-carrying ones.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; } = headers ?? throw new ArgumentNullException(nameof(headers));

    /// <summary>Media type of the body as the server declared it (which may be wrong: a provider may label a JSON error image/png).</summary>
    public string? ContentType { get; } = contentType;

    /// <summary>Body text excerpt (secrets redacted), or null when there was no body.</summary>
    public string? Body { get; } = body;

    /// <summary>True when the body was longer than the excerpt kept.</summary>
    public bool BodyTruncated { get; } = bodyTruncated;

    /// <summary>How many attempts the call made before this response (1 without retries).</summary>
    public int Attempts { get; } = attempts;

    /// <summary>What made a success status unusable (for example "its body could not be read as ArtifactList"), or null for an error status.</summary>
    public string? Problem { get; init; }

    // A response made safe to show: the path without its query, no credential-carrying header, and the secrets and
    // every credential the request carried (tokens, keys, emails, file tokens) redacted, since an answer may echo
    // any of them. With cut, the body is cut to an excerpt (an error body arrives already read capped).
    internal static ProviderResponseInfo Of(string provider, int statusCode, HttpRequestMessage? request, IReadOnlyDictionary<string, IEnumerable<string>> headers, string? contentType, string? body, bool truncated, bool cut, string? problem = null, IEnumerable<string>? secrets = null)
    {
        var redactor = Auth.CredentialRedactor.For(secrets ?? [], Auth.CredentialRedactor.CredentialsOf(request));
        var excerpt = redactor.Redact(body);
        if (cut)
        {
            excerpt = ResponseExcerpt.Cut(excerpt, out var cutShort);
            truncated |= cutShort;
        }

        return new(
            provider,
            statusCode,
            request?.Method.Method,
            PathOf(request),
            redactor.Redact(SafeHeaders.Filter(headers, request)),
            contentType,
            excerpt,
            truncated,
            ProviderHttpPipeline.AttemptOf(request))
        {
            Problem = redactor.Redact(problem),
        };
    }

    /// <summary>The path of <paramref name="uri"/> for messages (no query: it can identify people); null when not absolute.</summary>
    internal static string? PathOf(Uri? uri) => uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : null;

    internal static string? PathOf(HttpRequestMessage? request) => PathOf(request?.RequestUri);
}
