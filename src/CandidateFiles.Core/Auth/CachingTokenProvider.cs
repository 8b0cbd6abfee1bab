using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>
/// A Kiota token provider that keeps one token and fetches it single-flight: however many calls need a token at
/// once, one fetch runs and every one of them gets its outcome, the token or the failure. A failure is not kept:
/// the first need after it fetches anew.
/// </summary>
/// <remarks>
/// A token is reused until a margin before its expiry: <see cref="RefreshBeforeExpiry"/>, or half its lifetime
/// when it lives shorter than twice that (a 30 s token is used for 15 s, not fetched again for every call). A
/// token without life (<c>expires_in</c> 0 or -100) serves only the calls that waited for its fetch. A rejected
/// token is dropped. The fetch runs on its own, not under a caller's cancellation: a caller that gives up stops
/// waiting without failing the others.
/// </remarks>
internal abstract class CachingTokenProvider(IEnumerable<string> allowedHosts, TimeProvider? timeProvider) : IAccessTokenProvider, IDisposable
{
    private static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromSeconds(60);

    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private Cached? _cached;
    private Task<string>? _inflight;

    /// <inheritdoc />
    public AllowedHostsValidator AllowedHostsValidator { get; } = new(allowedHosts);

    protected TimeProvider Time { get; } = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    /// <remarks>
    /// A fresh token comes back as the one completed task kept with it: nothing allocated per call. The context may
    /// carry <see cref="BearerTokenHandler.PreviousTokenRejectedKey"/>, naming the rejected token or saying true.
    /// </remarks>
    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var rejection = additionalAuthenticationContext?.GetValueOrDefault(BearerTokenHandler.PreviousTokenRejectedKey);
        var rejected = rejection is not (null or false);
        if (Volatile.Read(ref _cached) is { } seen && IsUsable(seen, rejected, rejection as string))
        {
            return seen.Completed;
        }

        Task<string> flight;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_cached is { } current && IsUsable(current, rejected, rejection as string))
            {
                return current.Completed;
            }

            if (rejected)
            {
                Reject(rejection as string);
            }

            // Started on the thread pool while the lock is held: its own locking below runs after this assignment.
            flight = _inflight ??= Task.Run(() => FetchAndKeepAsync(uri, rejected));
        }

        return flight.IsCompleted || !cancellationToken.CanBeCanceled ? flight : flight.WaitAsync(cancellationToken);
    }

    /// <summary>Drops <paramref name="token"/> if it is the cached one (any cached token when null), so the next need fetches anew.</summary>
    internal void Reject(string? token)
    {
        lock (_lock)
        {
            if (token is null || string.Equals(_cached?.Token, token, StringComparison.Ordinal))
            {
                _cached = null;
            }
        }
    }

    /// <summary>Stops a fetch in flight and refuses further use.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed.Cancel();
        }
    }

    /// <summary>Gets a new token and when it expires (null: unknown, kept until rejected), stopping when this provider is disposed.</summary>
    protected abstract Task<(string Token, DateTimeOffset? ExpiresAt)> FetchAsync(Uri uri, bool previousRejected, CancellationToken cancellationToken);

    // A rejection naming a token leaves a newer cached one alone; one naming none drops whatever is cached.
    private bool IsUsable(Cached cached, bool rejected, string? rejectedToken)
        => cached.RefreshAt > Time.GetUtcNow() && !(rejected && (rejectedToken is null || rejectedToken == cached.Token));

    private async Task<string> FetchAndKeepAsync(Uri uri, bool previousRejected)
    {
        try
        {
            var requestedAt = Time.GetUtcNow();
            var (token, expiresAt) = await FetchAsync(uri, previousRejected, _disposed.Token).ConfigureAwait(false);
            var life = (expiresAt ?? DateTimeOffset.MaxValue) - requestedAt;
            var refreshAt = expiresAt is not { } at ? DateTimeOffset.MaxValue
                : life <= TimeSpan.Zero ? DateTimeOffset.MinValue
                : at - (life < RefreshBeforeExpiry * 2 ? life / 2 : RefreshBeforeExpiry);
            lock (_lock)
            {
                _cached = new Cached(token, Task.FromResult(token), refreshAt);
            }

            return token;
        }
        finally
        {
            // Every waiter of this fetch has its outcome; the next need after a failure starts a new fetch.
            lock (_lock)
            {
                _inflight = null;
            }
        }
    }

    private sealed record Cached(string Token, Task<string> Completed, DateTimeOffset RefreshAt);
}
