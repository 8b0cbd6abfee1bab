using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions.Authentication;
using Newtonsoft.Json.Linq;

namespace CandidateFiles.Auth;

/// <summary>
/// Turns an <see cref="AccessTokenCallback"/> into a Kiota <see cref="IAccessTokenProvider"/> that asks
/// the callback as rarely as possible: once at first use (however many calls start at the same time),
/// again only when the provider rejects the token, or shortly before a JWT's <c>exp</c> when the token
/// is a JWT. Opaque tokens are kept until rejected.
/// </summary>
internal sealed class CachingAccessTokenProvider : IAccessTokenProvider, IRejectableTokenSource, IDisposable
{
    private readonly AccessTokenCallback _callback;
    private readonly TokenCache _cache;
    private readonly Func<string, Exception, Exception> _failure;

    /// <summary>Creates the provider.</summary>
    /// <param name="callback">The caller's token source.</param>
    /// <param name="allowedHosts">Hosts the token may be sent to.</param>
    /// <param name="timeProvider">Clock; null uses the system clock.</param>
    public CachingAccessTokenProvider(AccessTokenCallback callback, IEnumerable<string> allowedHosts, TimeProvider? timeProvider = null)
        : this(callback, allowedHosts, timeProvider, failure: null)
    {
    }

    /// <summary>Creates the provider with the provider's exception for a callback that fails.</summary>
    /// <param name="callback">The caller's token source.</param>
    /// <param name="allowedHosts">Hosts the token may be sent to.</param>
    /// <param name="timeProvider">Clock; null uses the system clock.</param>
    /// <param name="failure">
    /// Builds the exception thrown when the callback throws or returns an empty token, from a message and
    /// the cause; null throws <see cref="InvalidOperationException"/> with the cause inside.
    /// </param>
    internal CachingAccessTokenProvider(AccessTokenCallback callback, IEnumerable<string> allowedHosts, TimeProvider? timeProvider, Func<string, Exception, Exception>? failure)
    {
        _callback = callback ?? throw new ArgumentNullException(nameof(callback));
        AllowedHostsValidator = new AllowedHostsValidator(allowedHosts);
        _cache = new TokenCache(timeProvider);
        _failure = failure ?? ((message, cause) => new InvalidOperationException(message, cause));
    }

    /// <inheritdoc />
    public AllowedHostsValidator AllowedHostsValidator { get; }

    /// <inheritdoc />
    /// <remarks>A fresh cached token comes back as one completed task kept with it: nothing is allocated per call.</remarks>
    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var rejection = TokenCache.RejectionIn(additionalAuthenticationContext);
        return _cache.TryGetFresh(rejection) ?? _cache.GetAsync(rejection, ct => AskAsync(uri, rejection is not null, ct), cancellationToken);
    }

    /// <inheritdoc />
    void IRejectableTokenSource.Reject(string token) => _cache.Invalidate(token);

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();

    private async Task<(string Token, DateTimeOffset? ExpiresAt)> AskAsync(Uri uri, bool rejected, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await _callback(new AccessTokenRequestContext(uri, rejected), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The cause is kept as the inner exception; its text is the caller's and is not copied into the message.
            throw _failure($"The access token callback (AccessTokenCallback) failed with {ex.GetType().Name}: no request was sent. See the inner exception.", ex);
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            var what = token is null ? "null" : token.Length == 0 ? "an empty string" : "only white space";
            throw _failure($"The access token callback (AccessTokenCallback) returned {what} instead of a token: no request was sent.", new InvalidOperationException("The access token callback returned an empty token."));
        }

        return (token, JwtExpiry(token));
    }

    /// <summary>The <c>exp</c> of a JWT, or null when the token is not a readable JWT.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The expiry, or null.</returns>
    internal static DateTimeOffset? JwtExpiry(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            var json = JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return json["exp"]?.Type is JTokenType.Integer or JTokenType.Float
                ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(json.Value<double>("exp"), 0, 253402300799))
                : null;
        }
        catch (Exception ex) when (ex is FormatException or Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }
}
