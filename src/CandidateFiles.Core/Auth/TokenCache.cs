using System;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Auth;

/// <summary>
/// One cached access token, fetched single-flight: however many callers need a token at once, one fetch
/// runs and every one of them gets its outcome, the token or the failure. A failure is not cached: the
/// first need after it starts a new fetch.
/// </summary>
/// <remarks>
/// A token is reused until a margin before its expiry: <see cref="RefreshBeforeExpiry"/>, or half its
/// lifetime when it lives shorter than twice that (a 30 s token is used for 15 s, not refetched for every
/// call). A token whose lifetime is zero or negative (<c>expires_in</c> 0 or -100) is handed to the callers
/// that waited for its fetch and never reused. A token is also dropped as soon as a caller reports it
/// rejected. The fetch runs on its own, not under the first caller's cancellation: a caller that gives up
/// stops waiting without failing the others.
/// </remarks>
internal sealed class TokenCache : IDisposable
{
    /// <summary>How long before expiry a cached token is replaced.</summary>
    internal static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private Entry? _cached;
    private Task<string>? _inflight;

    internal TokenCache(TimeProvider? timeProvider) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>The cached token as a completed task when it is fresh and not the rejected one; else null.</summary>
    /// <param name="rejection">Null, or the caller's report that its last token was rejected.</param>
    internal Task<string>? TryGetFresh(TokenRejection? rejection)
    {
        var seen = Volatile.Read(ref _cached);
        return seen is not null && seen.IsFresh(_time) && !Rejects(rejection, seen) ? seen.Completed : null;
    }

    /// <summary>The rejection the caller reports in Kiota's authentication context, or null.</summary>
    /// <param name="context">The context (<see cref="BearerTokenHandler.PreviousTokenRejectedKey"/>: true, or the rejected token).</param>
    /// <returns>The rejection, or null when there is none.</returns>
    internal static TokenRejection? RejectionIn(System.Collections.Generic.Dictionary<string, object>? context)
        => context?.TryGetValue(BearerTokenHandler.PreviousTokenRejectedKey, out var value) == true && value is not false
            ? new TokenRejection(value as string)
            : null;

    // A rejection names the token it is about when it can: a newer cached token is good; without a name, the cached one is dropped.
    private static bool Rejects(TokenRejection? rejection, Entry entry)
        => rejection is not null && (rejection.Token is null || string.Equals(rejection.Token, entry.Token, StringComparison.Ordinal));

    /// <summary>Drops <paramref name="token"/> if it is the cached one, so the next need fetches anew.</summary>
    /// <param name="token">The token the provider rejected.</param>
    internal void Invalidate(string token)
    {
        lock (_lock)
        {
            if (_cached is not null && string.Equals(_cached.Token, token, StringComparison.Ordinal))
            {
                _cached = null;
            }
        }
    }

    /// <summary>
    /// The slow path, after <see cref="TryGetFresh"/> found nothing usable: the cached token if it is fresh
    /// (and not the rejected one), else the outcome of the fetch in flight, else of a new one.
    /// </summary>
    /// <param name="rejection">Null, or the caller's report that its last token was rejected by the provider.</param>
    /// <param name="fetch">Gets a new token and its expiry (null: no known expiry).</param>
    /// <param name="cancellationToken">Stops this caller's wait (not the fetch).</param>
    /// <returns>The token.</returns>
    internal Task<string> GetAsync(TokenRejection? rejection, Func<CancellationToken, Task<(string Token, DateTimeOffset? ExpiresAt)>> fetch, CancellationToken cancellationToken)
    {
        TaskCompletionSource<string>? started = null;
        Task<string> flight;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_cached is { } current)
            {
                if (Rejects(rejection, current))
                {
                    _cached = null;
                }
                else if (current.IsFresh(_time))
                {
                    return current.Completed;
                }
            }

            if (_inflight is null)
            {
                started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inflight = started.Task;
            }

            flight = _inflight;
        }

        if (started is not null)
        {
            _ = RunFetchAsync(started, fetch);
        }

        return flight.IsCompleted || !cancellationToken.CanBeCanceled ? flight : flight.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed.IsCancellationRequested)
            {
                _disposed.Cancel();
            }
        }
    }

    private async Task RunFetchAsync(TaskCompletionSource<string> outcome, Func<CancellationToken, Task<(string Token, DateTimeOffset? ExpiresAt)>> fetch)
    {
        try
        {
            var requestedAt = _time.GetUtcNow();
            var (token, expiresAt) = await fetch(_disposed.Token).ConfigureAwait(false);
            lock (_lock)
            {
                _cached = new Entry(token, requestedAt, expiresAt);
                _inflight = null;
            }

            outcome.SetResult(token);
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _inflight = null;
            }

            // Every waiter of this fetch gets the same failure; the next need starts a new fetch.
            if (ex is OperationCanceledException canceled)
            {
                outcome.SetCanceled(canceled.CancellationToken);
            }
            else
            {
                outcome.SetException(ex);
            }
        }
    }

    private sealed class Entry
    {
        private readonly DateTimeOffset? _refreshAt;

        public Entry(string token, DateTimeOffset requestedAt, DateTimeOffset? expiresAt)
        {
            Token = token;
            Completed = Task.FromResult(token);
            if (expiresAt is { } at)
            {
                var lifetime = at - requestedAt;
                var margin = lifetime < RefreshBeforeExpiry * 2 ? lifetime / 2 : RefreshBeforeExpiry;
                _refreshAt = lifetime <= TimeSpan.Zero ? DateTimeOffset.MinValue : at - margin;
            }
        }

        public string Token { get; }

        /// <summary>The token as a completed task, made once: the fast path returns it without allocating.</summary>
        public Task<string> Completed { get; }

        public bool IsFresh(TimeProvider time) => _refreshAt is not { } at || time.GetUtcNow() < at;
    }
}

/// <summary>A caller's report that the provider rejected its token.</summary>
/// <param name="Token">The rejected token, when the caller knows it.</param>
internal sealed record TokenRejection(string? Token);
