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
/// is a JWT (104 HR Max's are). Opaque tokens (hh.ru's) are kept until rejected.
/// </summary>
public sealed class CachingAccessTokenProvider : IAccessTokenProvider, IDisposable
{
    private readonly AccessTokenCallback _callback;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Cached? _cached;

    /// <summary>Creates the provider.</summary>
    /// <param name="callback">The caller's token source.</param>
    /// <param name="allowedHosts">Hosts the token may be sent to.</param>
    /// <param name="timeProvider">Clock; null uses the system clock.</param>
    public CachingAccessTokenProvider(AccessTokenCallback callback, IEnumerable<string> allowedHosts, TimeProvider? timeProvider = null)
    {
        _callback = callback ?? throw new ArgumentNullException(nameof(callback));
        AllowedHostsValidator = new AllowedHostsValidator(allowedHosts);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public AllowedHostsValidator AllowedHostsValidator { get; }

    /// <inheritdoc />
    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var rejected = additionalAuthenticationContext?.ContainsKey(BearerTokenHandler.PreviousTokenRejectedKey) == true;
        var seen = Volatile.Read(ref _cached);
        if (!rejected && seen is not null && seen.IsFresh(_time))
        {
            return seen.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _cached;
            // A caller that found its token rejected takes a token newer than the one it saw, if another caller already got one.
            if (current is not null && current.IsFresh(_time) && (!rejected || !ReferenceEquals(current, seen)))
            {
                return current.Value;
            }

            var token = await _callback(new AccessTokenRequestContext(uri, rejected), cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new InvalidOperationException("The access token callback returned an empty token.");
            }

            Volatile.Write(ref _cached, new Cached(token, JwtExpiry(token)));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

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

    private sealed class Cached(string value, DateTimeOffset? expiresAt)
    {
        public string Value { get; } = value;

        public bool IsFresh(TimeProvider time) => expiresAt is not { } at || time.GetUtcNow() < at - ClientCredentialsTokenProvider.RefreshBeforeExpiry;
    }
}
