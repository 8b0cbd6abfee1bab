using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Auth;

/// <summary>
/// Puts fixed credential headers (for example an API key header) on requests for allowed
/// hosts and removes them from requests to any other host (a redirect, a misconfigured URL).
/// </summary>
/// <remarks>
/// Kiota's <c>ApiKeyAuthenticationProvider</c> works on RequestInformation and refuses http URLs,
/// which rules out the loopback sandbox; this is the HttpMessageHandler form, with the same host check.
/// </remarks>
internal sealed class ApiKeyHandler : DelegatingHandler
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly CredentialHosts _hosts;

    /// <summary>Creates the handler.</summary>
    /// <param name="headers">Header names and values to attach.</param>
    /// <param name="hosts">Where the headers may go.</param>
    public ApiKeyHandler(IEnumerable<KeyValuePair<string, string>> headers, CredentialHosts hosts)
    {
        _headers = (headers ?? throw new ArgumentNullException(nameof(headers))).ToArray();
        _hosts = hosts ?? throw new ArgumentNullException(nameof(hosts));
    }

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

        return allowed ? SendRedactingFailuresAsync(request, cancellationToken) : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRedactingFailuresAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException failure) when (CredentialSafeFailures.Redacted(request, failure) is { } safe)
        {
            throw safe;
        }
    }
}
