using System.Net;
using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>
/// Attaches <c>Authorization: Bearer</c> from a Kiota <see cref="IAccessTokenProvider"/> to requests for allowed
/// hosts (and strips it from any other); on a rejection (401 by default) asks the provider once more for a fresh
/// token and retries once, or, when the body cannot be sent again, drops the rejected token for the next call.
/// A transport failure echoing the token is redacted (<see cref="CredentialEchoGuard"/>).
/// </summary>
/// <remarks>
/// The HttpMessageHandler form of Kiota's <c>BaseBearerTokenAuthenticationProvider</c>, which works on Kiota's
/// RequestInformation. A cached token is a completed task, read in place: the one async step per call is the wait
/// for the answer, which the rejection check needs.
/// </remarks>
internal sealed class BearerTokenHandler(IAccessTokenProvider tokens, CredentialHosts hosts, Func<HttpResponseMessage, CancellationToken, Task<bool>>? isTokenRejected = null)
    : DelegatingHandler
{
    /// <summary>Authentication-context key saying the previous token was rejected: its value is the rejected token (a string) or <see langword="true"/>.</summary>
    public const string PreviousTokenRejectedKey = "candidatefiles.previousTokenRejected";

    private readonly IAccessTokenProvider _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
    private readonly CredentialHosts _hosts = hosts ?? throw new ArgumentNullException(nameof(hosts));

    // A provider may tell a rejection its own way (a 403 with an error code saying the token is no longer good).
    private readonly Func<HttpResponseMessage, CancellationToken, Task<bool>> _isTokenRejected
        = isTokenRejected ?? ((response, _) => Task.FromResult(response.StatusCode == HttpStatusCode.Unauthorized));

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_hosts.Allows(request.RequestUri))
        {
            request.Headers.Authorization = null;
            return base.SendAsync(request, cancellationToken);
        }

        return SendWithTokenAsync(request, _tokens.GetAuthorizationTokenAsync(request.RequestUri!, null, cancellationToken), cancellationToken);
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, Task<string> pendingToken, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await pendingToken.ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException failure) when (CredentialEchoGuard.Redacted(request, failure) is { } safe)
            {
                throw safe;
            }

            if (attempt > 1 || response.IsSuccessStatusCode || !await _isTokenRejected(response, cancellationToken).ConfigureAwait(false))
            {
                return response;
            }

            if (!ReplayableContent.CanReplay(request.Content))
            {
                // The body cannot be sent again, so this call ends with the rejection; the next call must not reuse the token.
                (_tokens as CachingTokenProvider)?.Reject(token);
                return response;
            }

            response.Dispose();
            pendingToken = _tokens.GetAuthorizationTokenAsync(request.RequestUri!, new Dictionary<string, object> { [PreviousTokenRejectedKey] = token }, cancellationToken);
        }
    }
}
