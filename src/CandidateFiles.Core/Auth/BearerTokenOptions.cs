using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>
/// Options of a provider whose calls carry a user's bearer token that the caller obtains: give either a
/// callback or a Kiota token provider.
/// </summary>
public abstract class BearerTokenOptions : ProviderClientOptions
{
    private readonly object _providerLock = new();
    private CallbackTokenProvider? _callbackProvider;

    /// <summary>
    /// Returns the user's access token. The SDK caches what it returns and asks again only when the
    /// provider rejects the token (then with <see cref="AccessTokenRequestContext.PreviousTokenRejected"/>
    /// set) or shortly before a JWT's <c>exp</c>; 50 calls starting together ask once.
    /// </summary>
    public AccessTokenCallback? AccessTokenCallback { get; set; }

    /// <summary>A Kiota token provider, instead of <see cref="AccessTokenCallback"/>.</summary>
    public IAccessTokenProvider? AccessTokenProvider { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if ((AccessTokenCallback is null) == (AccessTokenProvider is null))
        {
            throw Invalid(nameof(AccessTokenCallback), "or AccessTokenProvider must be set (exactly one): it supplies the user's access token for each call.");
        }
    }

    /// <summary>
    /// The exception thrown when <see cref="AccessTokenCallback"/> throws or returns an empty token. A
    /// provider returns its own exception type; the default is a <see cref="ProviderApiException"/> with
    /// status 0 (no response: nothing was sent).
    /// </summary>
    /// <param name="message">What went wrong; carries no token.</param>
    /// <param name="cause">What the callback threw (or an <see cref="InvalidOperationException"/> for an empty token).</param>
    /// <returns>The exception, with <paramref name="cause"/> as its inner exception.</returns>
    protected virtual ProviderApiException CreateTokenSourceException(string message, Exception cause)
        => new(message, NoResponse(), providerErrorCode: null, providerMessage: null, cause);

    /// <summary>The response description of a call that failed before anything was sent (status 0).</summary>
    /// <returns>The description.</returns>
    protected ProviderResponseInfo NoResponse()
        => new(ProviderName, 0, requestMethod: null, requestPath: null, new Dictionary<string, IEnumerable<string>>(), contentType: null, body: null, bodyTruncated: false);

    /// <summary>
    /// The bearer-token handler for these options, for <see cref="ProviderClientOptions.Endpoint"/> (or
    /// <paramref name="defaultEndpoint"/>); <paramref name="isTokenRejected"/> null means status 401. A callback
    /// gets one cache per options instance, shared by every client built from them.
    /// </summary>
    internal BearerTokenHandler CreateBearerTokenHandler(Uri defaultEndpoint, Func<HttpResponseMessage, CancellationToken, Task<bool>>? isTokenRejected = null)
    {
        var hosts = CredentialHosts.For(Endpoint ?? defaultEndpoint, AdditionalAllowedHosts);
        lock (_providerLock)
        {
            var tokens = AccessTokenProvider ?? (_callbackProvider ??= new CallbackTokenProvider(AccessTokenCallback!, hosts.Hosts, TimeProvider, CreateTokenSourceException));
            return new BearerTokenHandler(tokens, hosts, isTokenRejected);
        }
    }
}
