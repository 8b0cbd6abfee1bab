using System.Net;

namespace CandidateFiles;

/// <summary>
/// Sends a call's attempts: retries with backoff within the call's time limits (<see cref="CallDeadline"/>,
/// <see cref="AttemptTimer"/>), following redirects inside each attempt (<see cref="RedirectFollower"/>).
/// </summary>
/// <remarks>
/// Replaces Kiota's <c>RetryHandler</c> (2.1.6), which copies the request body into memory to retry, retries a
/// POST with a replayable body (a processed one could run twice), throws <see cref="AggregateException"/> when
/// retries run out (losing the response for the typed exception), misreads an HTTP-date <c>Retry-After</c>, adds
/// no jitter, and does not retry connection failures, 408 or 502. Here: connection failures and 408/429/502/503/504
/// are retried for idempotent methods; a POST only on 429/503 with <c>Retry-After</c> (not processed); only bodies
/// that can be sent again without a copy (<see cref="ReplayableContent"/>). Delays: exponential with full jitter, or
/// <c>Retry-After</c> (in UTC), capped by <see cref="RetryOptions.MaxDelay"/>. When retries run out the last response
/// goes back to the client for its typed exception. Redirects are followed here rather than by a handler of their
/// own, so a call without one takes no async step for them.
/// </remarks>
internal sealed class RetryHandler : DelegatingHandler
{
    /// <summary>Largest JSON success body read inside the attempt (so a cut JSON body is retried like a cut connection).</summary>
    private const long MaxPrefetchedJsonBytes = 4 * 1024 * 1024;

    /// <summary>Request bodies from this size (or of unknown size) are sent with <c>Expect: 100-continue</c>.</summary>
    private const long ExpectContinueFromBytes = 64 * 1024;

    private readonly string _provider;
    private readonly RetryOptions _retry;
    private readonly TimeoutOptions _timeouts;
    private readonly TimeProvider _time;
    private readonly RedirectFollower _redirects;
    private readonly long _maxPrefetchedJsonBytes;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _sendHop;

    public RetryHandler(ProviderClientOptions options)
    {
        _provider = options.ProviderName;
        _retry = options.Retry;
        _timeouts = options.Timeouts;
        _time = options.TimeProvider ?? TimeProvider.System;
        _redirects = new RedirectFollower(options.Redirects);
        _maxPrefetchedJsonBytes = Math.Min(MaxPrefetchedJsonBytes, options.MaxBufferedBodyBytes);
        _sendHop = (request, token) => base.SendAsync(request, token);
    }

    /// <summary>The wait a response asks for: <c>Retry-After</c> in seconds or as an HTTP date (compared in UTC); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date.ToUniversalTime() - (now ?? DateTimeOffset.UtcNow).ToUniversalTime() : (TimeSpan?)null);
        return wait is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _time.GetTimestamp();
        var deadline = new CallDeadline(CallTimeouts.Apply(_timeouts));
        var idempotent = IsIdempotent(request.Method) || (request.Options.TryGetValue(ProviderHttpPipeline.RepeatableKey, out var repeatable) && repeatable);
        for (var attempt = 1; ; attempt++)
        {
            request.Options.Set(ProviderHttpPipeline.AttemptKey, attempt);
            var canRetry = attempt <= _retry.MaxRetries && ReplayableContent.CanReplay(request.Content);
            var attemptStarted = _time.GetTimestamp();
            var (limit, overallEndsFirst) = deadline.Next();
            if (limit != Timeout.InfiniteTimeSpan && limit <= TimeSpan.Zero)
            {
                throw TimedOut(request, ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), deadline.Timeouts.Overall);
            }

            HttpResponseMessage? response = null;
            Exception? failure = null;
            var prefetched = false;
            TimeSpan delay;
            var timer = AttemptTimer.Start(limit, cancellationToken);
            try
            {
                var body = request.Content;
                if (body is not null && request.Headers.ExpectContinue is null && (body.Headers.ContentLength ?? long.MaxValue) >= ExpectContinueFromBytes)
                {
                    // A server refusing an upload (413, a multipart parser's error) can answer before or while the body is
                    // sent, and close: with 100-continue the transport reads that answer instead of failing on the closed
                    // connection with "Error while copying content".
                    request.Headers.ExpectContinue = true;
                }

                if (timer is not null && body is not null)
                {
                    request.Content = WatchUpload(body, timer, deadline);
                }

                try
                {
                    var token = timer?.Token ?? cancellationToken;
                    response = await base.SendAsync(request, token).ConfigureAwait(false);
                    if (RedirectFollower.Applies(request, response))
                    {
                        response = await _redirects.FollowAsync(request, response, _sendHop, token).ConfigureAwait(false);
                    }

                    if (idempotent && response.IsSuccessStatusCode)
                    {
                        prefetched = await BufferedBodyLimitContent.PrefetchJsonAsync(response, _maxPrefetchedJsonBytes, token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    throw;
                }
                catch (OperationCanceledException ex) when (timer?.Fired == true && (overallEndsFirst || deadline.Next().OverallEndsFirst))
                {
                    response?.Dispose();
                    throw TimedOut(request, ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), deadline.Timeouts.Overall, ex);
                }
                catch (OperationCanceledException ex) when (timer?.Fired == true)
                {
                    response?.Dispose();
                    response = null;
                    failure = TimedOut(request, ProviderTimeoutKind.Attempt, attempt, _time.GetElapsedTime(attemptStarted), deadline.Timeouts.PerAttempt, ex);
                }
                catch (HttpRequestException ex)
                {
                    response?.Dispose();
                    response = null;
                    failure = ex;
                }
                finally
                {
                    timer?.Unlink();
                    request.Content = body;
                }

                if (response is not null)
                {
                    var retryAfter = RetryAfter(response);
                    var retryable = idempotent
                        ? IsTransientStatus(response.StatusCode)
                        : response.StatusCode is TooManyRequests or HttpStatusCode.ServiceUnavailable && retryAfter is not null;
                    delay = Cap(retryAfter ?? Backoff(attempt));
                    if (!retryable || !canRetry || !FitsInDeadline(deadline, started, delay))
                    {
                        if (response.IsSuccessStatusCode && !prefetched)
                        {
                            // The body's stall watch takes over the attempt's timer.
                            StallWatchingStream.Watch(response, deadline.Timeouts, _provider, request.Method.Method, request.RequestUri, attempt, timer?.HandOff());
                        }

                        return response;
                    }

                    response.Dispose();
                }
                else
                {
                    // No response: the server may or may not have acted, so only idempotent calls are repeated.
                    delay = Cap(Backoff(attempt));
                    if (!idempotent || !canRetry || !FitsInDeadline(deadline, started, delay))
                    {
                        throw failure is HttpRequestException http
                            ? HttpRequestExceptions.Create(http.HttpRequestError, $"{_provider} {request.Method.Method} {PathOf(request.RequestUri)}: {http.Message} (after {attempt} attempt{(attempt == 1 ? string.Empty : "s")}).", http, http.StatusCode)
                            : failure!;
                    }
                }
            }
            finally
            {
                timer?.Dispose();
            }

            // The wait is bounded by what is left of the overall deadline.
            using var waitLimit = deadline.Remaining == Timeout.InfiniteTimeSpan ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            waitLimit?.CancelAfter(deadline.Remaining);
            try
            {
                await Task.Delay(delay, _time, waitLimit?.Token ?? cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(request, ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), deadline.Timeouts.Overall, ex);
            }
        }
    }

    /// <summary>The per-attempt limit is for waiting, not for sending a large body that keeps flowing: each write restarts it.</summary>
    private static UploadWatchingContent WatchUpload(HttpContent body, AttemptTimer timer, CallDeadline deadline)
        => new(body, () => timer.Restart(deadline.Next().Limit));

    private static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Head || method == HttpMethod.Options;

    // netstandard2.0's HttpStatusCode has no member for 429.
    private const HttpStatusCode TooManyRequests = (HttpStatusCode)429;

    private static bool IsTransientStatus(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The request's path for messages (no query: it can identify people).</summary>
    private static string PathOf(Uri? uri) => uri?.IsAbsoluteUri == true ? uri.AbsolutePath : "?";

    private ProviderTimeoutException TimedOut(HttpRequestMessage request, ProviderTimeoutKind kind, int attempt, TimeSpan elapsed, TimeSpan limit, Exception? cause = null)
        => new(_provider, request.Method.Method, PathOf(request.RequestUri), kind, attempt, elapsed, limit, cause);

    private TimeSpan Backoff(int attempt)
    {
        // Full jitter: uniform in [0, base * 2^(attempt-1)], so synchronized clients spread out.
        var ceiling = _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private TimeSpan Cap(TimeSpan delay) => delay > _retry.MaxDelay ? _retry.MaxDelay : delay;

    private bool FitsInDeadline(CallDeadline deadline, long started, TimeSpan delay)
        => deadline.Timeouts.Overall == Timeout.InfiniteTimeSpan || _time.GetElapsedTime(started) + delay < deadline.Timeouts.Overall;
}
