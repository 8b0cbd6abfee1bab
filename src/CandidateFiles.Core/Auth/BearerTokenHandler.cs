using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>
/// Attaches <c>Authorization: Bearer</c> from a Kiota <see cref="IAccessTokenProvider"/> to requests
/// for allowed hosts (and strips it from any other), and on a 401 asks the provider once more for
/// a fresh token and retries once.
/// </summary>
/// <remarks>
/// Kiota's own <c>BaseBearerTokenAuthenticationProvider</c> works on Kiota's RequestInformation, not
/// on <see cref="HttpRequestMessage"/>, so NSwag clients cannot use it directly; this handler is the
/// HttpMessageHandler form of it.
/// </remarks>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    /// <summary>
    /// Key set in the authentication context when the previous token was rejected with 401; its value is the
    /// rejected token (a string) or <see langword="true"/>.
    /// </summary>
    public const string PreviousTokenRejectedKey = "candidatefiles.previousTokenRejected";

    private readonly IAccessTokenProvider _tokens;
    private readonly CredentialHosts _hosts;
    private readonly Func<HttpResponseMessage, CancellationToken, Task<bool>> _isTokenRejected;

    /// <summary>Creates the handler.</summary>
    /// <param name="tokens">The token source.</param>
    /// <param name="hosts">Where the token may go.</param>
    /// <param name="isTokenRejected">
    /// Tells whether a response means "this token is no longer good" (default: status 401). A provider
    /// that signals an expired token otherwise (for example a 403 with an error code saying so) passes its own test.
    /// </param>
    public BearerTokenHandler(IAccessTokenProvider tokens, CredentialHosts hosts, Func<HttpResponseMessage, CancellationToken, Task<bool>>? isTokenRejected = null)
    {
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _hosts = hosts ?? throw new ArgumentNullException(nameof(hosts));
        _isTokenRejected = isTokenRejected ?? ((response, _) => Task.FromResult(response.StatusCode == HttpStatusCode.Unauthorized));
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_hosts.Allows(request.RequestUri))
        {
            request.Headers.Authorization = null;
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = await AttachAsync(request, null, cancellationToken).ConfigureAwait(false);
        var response = await SendRedactingFailuresAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || !await _isTokenRejected(response, cancellationToken).ConfigureAwait(false))
        {
            return response;
        }

        if (!ReplayableContent.CanReplay(request.Content))
        {
            // The body cannot be sent again, so this call ends with the rejection; the rejected token must not
            // be reused by the next call.
            (_tokens as IRejectableTokenSource)?.Reject(token);
            return response;
        }

        response.Dispose();
        await AttachAsync(request, new Dictionary<string, object> { [PreviousTokenRejectedKey] = token }, cancellationToken).ConfigureAwait(false);
        return await SendRedactingFailuresAsync(request, cancellationToken).ConfigureAwait(false);
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

    private async Task<string> AttachAsync(HttpRequestMessage request, Dictionary<string, object>? context, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAuthorizationTokenAsync(request.RequestUri!, context, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }
}
