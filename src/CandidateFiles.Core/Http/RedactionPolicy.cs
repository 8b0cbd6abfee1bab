using System.Text;

namespace CandidateFiles;

/// <summary>
/// What one client's requests may show and must hide, as its provider declares them in its options:
/// the headers that carry credentials (never copied into an exception, redacted wherever an answer echoes them) and the query parameters whose values are logged
/// as they are (every other query value is "***" in logs and treated as a credential).
/// </summary>
/// <remarks>
/// <see cref="CallHandler"/> puts its client's policy on every request (<see cref="Key"/>); the log, the
/// credential redactor and the exception's header filter read it from there.
/// A request that never went through a pipeline gets <see cref="Default"/>, the strictest reading.
/// </remarks>
internal sealed class RedactionPolicy
{
    /// <summary>Request option carrying the policy of the client that sends the request.</summary>
    internal static readonly HttpRequestOptionsKey<RedactionPolicy> Key = new("CandidateFiles.RedactionPolicy");

    /// <summary>HTTP's own credential headers, in every provider's policy.</summary>
    private static readonly string[] StandardCredentialHeaderNames = ["Authorization", "Proxy-Authorization", "Cookie"];

    private readonly HashSet<string> _logged;
    private readonly HashSet<string> _responseHeadersDropped;

    internal RedactionPolicy(IEnumerable<string> credentialHeaderNames, IEnumerable<string> loggedQueryParameters)
    {
        CredentialHeaderNames = StandardCredentialHeaderNames.Concat(credentialHeaderNames)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _logged = new HashSet<string>(loggedQueryParameters.Where(name => !string.IsNullOrEmpty(name)), StringComparer.OrdinalIgnoreCase);
        _responseHeadersDropped = new HashSet<string>(CredentialHeaderNames, StringComparer.OrdinalIgnoreCase) { "Set-Cookie" };
    }

    /// <summary>The policy of a request sent around the pipeline: standard credential headers, no query value shown.</summary>
    internal static RedactionPolicy Default { get; } = new([], []);

    internal IReadOnlyList<string> CredentialHeaderNames { get; }

    /// <summary>Query parameters whose values carry no identity or secret: logged as they are, never taken for credentials.</summary>
    internal IReadOnlyCollection<string> LoggedQueryParameters => _logged;

    /// <summary>A snapshot of what the provider's options declare.</summary>
    internal static RedactionPolicy For(ProviderClientOptions options) => new(options.CredentialHeaderNames, options.LoggedQueryParameters);

    internal static RedactionPolicy Of(HttpRequestMessage? request)
        => request is not null && request.Options.TryGetValue(Key, out var policy) ? policy : Default;

    /// <summary>Whether the value of query parameter <paramref name="name"/> (decoded) is shown.</summary>
    internal bool IsLogged(string name) => _logged.Contains(name);

    /// <summary>Whether a response header may go into an exception: not a credential header, not Set-Cookie.</summary>
    internal bool KeepsResponseHeader(string name) => !_responseHeadersDropped.Contains(name);

    /// <summary>
    /// The request URL as logged: the path, then the query in one pass, segment by segment as sent, with the
    /// value of every parameter this policy does not show (and every segment without a name) replaced by "***"
    /// (Azure.Core's HttpMessageSanitizer does the same with its allow-list).
    /// </summary>
    internal string Redact(Uri? uri)
    {
        if (uri is null)
        {
            return "?";
        }

        var target = uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
        var mark = target.IndexOf('?', StringComparison.Ordinal);
        if (mark < 0)
        {
            return target;
        }

        var query = target.AsSpan(mark + 1);
        StringBuilder? text = null;
        foreach (var range in query.Split('&'))
        {
            var segment = query[range];
            var equals = segment.IndexOf('=');
            var name = equals > 0 ? segment[..equals] : default;
            var shown = equals > 0 && IsLogged(name.Contains('%') || name.Contains('+') ? Uri.UnescapeDataString(name.ToString().Replace('+', ' ')) : name.ToString());
            if (text is null)
            {
                if (shown)
                {
                    // Until the log changes something, the URL is logged as sent: no copy at all for a query shown whole.
                    continue;
                }

                text = new StringBuilder(target.Length + 16).Append(target, 0, mark + range.Start.Value);
            }

            if (segment.IsEmpty)
            {
                continue;
            }

            text.Append(text.Length <= mark ? '?' : '&');
            if (equals <= 0)
            {
                text.Append(Auth.CredentialRedactor.Mask);
                continue;
            }

            text.Append(name).Append('=').Append(shown ? segment[(equals + 1)..] : Auth.CredentialRedactor.Mask.AsSpan());
        }

        return text?.ToString() ?? target;
    }
}
