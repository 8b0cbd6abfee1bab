using System;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Auth;

/// <summary>
/// One cached access token, fetched single-flight: however many callers ask at once, one fetch runs;
/// a token is reused until <see cref="RefreshBeforeExpiry"/> before its expiry (when it has one) or
/// until a caller reports it rejected.
/// </summary>
internal sealed class TokenCache : IDisposable
{
    /// <summary>How long before expiry a cached token is replaced.</summary>
    internal static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Entry? _cached;

    internal TokenCache(TimeProvider? timeProvider) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>The cached token as a completed task when it is fresh and not <paramref name="rejected"/>; else null.</summary>
    internal Task<string>? TryGetFresh(bool rejected)
    {
        var seen = Volatile.Read(ref _cached);
        return !rejected && seen is not null && seen.IsFresh(_time) ? seen.Completed : null;
    }

    /// <summary>
    /// The slow path, after <see cref="TryGetFresh"/> found nothing usable: single-flight, the cached token
    /// if another caller refreshed it meanwhile, else a fresh one from <paramref name="fetch"/>.
    /// </summary>
    /// <param name="rejected">True when the caller's last token was rejected by the provider.</param>
    /// <param name="fetch">Gets a new token and its expiry (null: no known expiry).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The token.</returns>
    internal async Task<string> GetAsync(bool rejected, Func<CancellationToken, Task<(string Token, DateTimeOffset? ExpiresAt)>> fetch, CancellationToken cancellationToken)
    {
        var seen = Volatile.Read(ref _cached);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _cached;
            // Another caller may have fetched while this one waited: a token newer than the one this
            // caller saw (or found rejected) is good.
            if (current is not null && current.IsFresh(_time) && (!rejected || !ReferenceEquals(current, seen)))
            {
                return current.Token;
            }

            var (token, expiresAt) = await fetch(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _cached, new Entry(token, expiresAt));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private sealed class Entry(string token, DateTimeOffset? expiresAt)
    {
        public string Token { get; } = token;

        /// <summary>The token as a completed task, made once: the fast path returns it without allocating.</summary>
        public Task<string> Completed { get; } = Task.FromResult(token);

        public bool IsFresh(TimeProvider time) => expiresAt is not { } at || time.GetUtcNow() < at - RefreshBeforeExpiry;
    }
}
