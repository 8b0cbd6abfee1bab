namespace CandidateFiles.Auth;

/// <summary>
/// Puts fixed credential headers (an API key header, a user email) on requests for allowed hosts and removes
/// them from requests to any other host (a redirect, a misconfigured URL); a transport failure echoing them is
/// redacted (<see cref="CredentialEchoGuard"/>).
/// </summary>
/// <remarks>
/// Kiota's <c>ApiKeyAuthenticationProvider</c> works on RequestInformation and refuses http URLs, which rules
/// out the loopback sandbox; this is the HttpMessageHandler form, with the same host check.
/// </remarks>
internal sealed class ApiKeyHandler(IEnumerable<KeyValuePair<string, string>> headers, CredentialHosts hosts) : CredentialEchoGuard([])
{
    private readonly KeyValuePair<string, string>[] _headers = (headers ?? throw new ArgumentNullException(nameof(headers))).ToArray();
    private readonly CredentialHosts _hosts = hosts ?? throw new ArgumentNullException(nameof(hosts));

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var allowed = _hosts.Allows(request.RequestUri);
        foreach (var (name, value) in _headers)
        {
            request.Headers.Remove(name);
            if (allowed)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
