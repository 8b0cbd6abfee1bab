using System.Text;
using Newtonsoft.Json.Linq;

namespace CandidateFiles.Auth;

/// <summary>
/// Supplies an access token for a request. Called before each request (cache inside if tokens are
/// costly) and once more, with <see cref="AccessTokenRequestContext.PreviousTokenRejected"/> set,
/// when the provider answered 401 to the token it returned.
/// </summary>
/// <param name="context">What the token is for.</param>
/// <param name="cancellationToken">Cancellation.</param>
/// <returns>The bare token (without the "Bearer " prefix).</returns>
public delegate ValueTask<string> AccessTokenCallback(AccessTokenRequestContext context, CancellationToken cancellationToken);

/// <summary>What an <see cref="AccessTokenCallback"/> is asked for.</summary>
public sealed class AccessTokenRequestContext
{
    /// <summary>Creates the context.</summary>
    /// <param name="requestUri">The request the token is for.</param>
    /// <param name="previousTokenRejected">True when the provider rejected the last token with 401.</param>
    public AccessTokenRequestContext(Uri requestUri, bool previousTokenRejected)
    {
        RequestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
        PreviousTokenRejected = previousTokenRejected;
    }

    /// <summary>The request the token is for.</summary>
    public Uri RequestUri { get; }

    /// <summary>True when the provider rejected the last token with 401: return a fresh one, not a cached one.</summary>
    public bool PreviousTokenRejected { get; }
}

/// <summary>
/// An <see cref="AccessTokenCallback"/> asked as rarely as possible: once at first use (however many calls start
/// together), then only when the provider rejects the token or shortly before a JWT's <c>exp</c>; an opaque
/// token is kept until rejected. A callback that throws or returns no token becomes the provider's exception.
/// </summary>
internal sealed class CallbackTokenProvider(AccessTokenCallback callback, IEnumerable<string> allowedHosts, TimeProvider? timeProvider = null, Func<string, Exception, Exception>? failure = null)
    : CachingTokenProvider(allowedHosts, timeProvider)
{
    private readonly AccessTokenCallback _callback = callback ?? throw new ArgumentNullException(nameof(callback));

    // The provider's exception for a callback that throws or returns no token, from a message and the cause.
    private readonly Func<string, Exception, Exception> _failure = failure ?? ((message, cause) => new InvalidOperationException(message, cause));

    /// <summary>The <c>exp</c> of a JWT, or null when the token is not a readable JWT.</summary>
    internal static DateTimeOffset? JwtExpiry(string token)
    {
        var parts = token.Split('.');
        try
        {
            var payload = parts.Length == 3 ? parts[1].Replace('-', '+').Replace('_', '/') : null;
            var json = payload is null ? null : JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight((payload.Length + 3) / 4 * 4, '='))));
            return json?["exp"]?.Type is JTokenType.Integer or JTokenType.Float
                ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(json.Value<double>("exp"), 0, 253402300799))
                : null;
        }
        catch (Exception ex) when (ex is FormatException or Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task<(string Token, DateTimeOffset? ExpiresAt)> FetchAsync(Uri uri, bool previousRejected, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await _callback(new AccessTokenRequestContext(uri, previousRejected), cancellationToken).ConfigureAwait(false);
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
}
