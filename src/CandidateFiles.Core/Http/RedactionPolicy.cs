namespace CandidateFiles;

/// <summary>
/// What one client's requests may show and must hide, as its provider declares them in its options:
/// the headers that carry credentials (stripped when a redirect leaves the host, never copied into an
/// exception, redacted wherever an answer echoes them) and the query parameters whose values are logged
/// as they are (every other query value is "***" in logs and treated as a credential).
/// </summary>
/// <remarks>
/// The pipeline's outermost handler puts its client's policy on every request (<see cref="Key"/>); the
/// redirect scrubber, the log, the credential redactor and the exception's header filter read it from there.
/// A request that never went through a pipeline gets <see cref="Default"/>, the strictest reading.
/// </remarks>
internal sealed class RedactionPolicy
{
    /// <summary>Credential headers of HTTP itself, which every provider's policy includes.</summary>
    internal static readonly IReadOnlyList<string> StandardCredentialHeaderNames = Array.AsReadOnly(new[] { "Authorization", "Proxy-Authorization", "Cookie" });

    /// <summary>Request option carrying the policy of the client that sends the request.</summary>
    internal static readonly HttpRequestOptionsKey<RedactionPolicy> Key = new("CandidateFiles.RedactionPolicy");

    /// <summary>The policy of a request sent around the pipeline: standard credential headers, no query value shown.</summary>
    internal static RedactionPolicy Default { get; } = new(StandardCredentialHeaderNames, Array.Empty<string>());

    private readonly HashSet<string> _responseHeadersDropped;

    internal RedactionPolicy(IEnumerable<string> credentialHeaderNames, IEnumerable<string> loggedQueryParameters)
    {
        CredentialHeaderNames = StandardCredentialHeaderNames.Concat(credentialHeaderNames)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        LoggedQueryParameters = loggedQueryParameters.Where(name => !string.IsNullOrEmpty(name))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _responseHeadersDropped = new HashSet<string>(CredentialHeaderNames, StringComparer.OrdinalIgnoreCase) { "Set-Cookie" };
    }

    /// <summary>Header names that carry credentials on this client's requests.</summary>
    internal IReadOnlyList<string> CredentialHeaderNames { get; }

    /// <summary>Query parameters whose values carry no identity or secret: logged as they are, never taken for credentials.</summary>
    internal string[] LoggedQueryParameters { get; }

    /// <summary>The policy the provider's options declare.</summary>
    /// <param name="options">The client's options.</param>
    /// <returns>A snapshot: later changes to the options do not change it.</returns>
    internal static RedactionPolicy For(ProviderClientOptions options)
        => new(options.CredentialHeaderNames, options.LoggedQueryParameters);

    /// <summary>The policy <paramref name="request"/> carries; <see cref="Default"/> when it carries none.</summary>
    /// <param name="request">A request, or null.</param>
    /// <returns>The policy.</returns>
    internal static RedactionPolicy Of(HttpRequestMessage? request)
        => request is not null && request.Options.TryGetValue(Key, out var policy) ? policy : Default;

    /// <summary>Whether the value of query parameter <paramref name="name"/> is shown (case-insensitive).</summary>
    /// <param name="name">The decoded parameter name.</param>
    /// <returns>True when its value is logged as it is.</returns>
    internal bool IsLogged(string name)
        => Array.Exists(LoggedQueryParameters, shown => string.Equals(shown, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a response header may go into an exception: not a credential header, not Set-Cookie.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>True when it is safe to keep.</returns>
    internal bool KeepsResponseHeader(string name) => !_responseHeadersDropped.Contains(name);
}
