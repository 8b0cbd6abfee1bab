using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// Retries, backoff and time limits for one provider call.
/// </summary>
/// <remarks>
/// This replaces Kiota's <c>RetryHandler</c> in the chain rather than wrapping it, because of gaps
/// checked against kiota-dotnet 2.1.6 that no wrapper can undo:
/// <list type="number">
/// <item>it copies the request body into memory to be able to retry, so a 256 MiB upload costs 256 MiB;</item>
/// <item>it retries any method with a replayable body, so a POST the server already processed could run twice;</item>
/// <item>when retries run out it throws <see cref="AggregateException"/>, losing the response the client needs
///   for its typed exception;</item>
/// <item>it reads an HTTP-date <c>Retry-After</c> by its seconds component in local time, and adds no jitter;</item>
/// <item>it does not retry connection failures, 408 or 502.</item>
/// </list>
/// Behaviour here: connection failures and 408/429/502/503/504 are retried for GET, PUT, DELETE, HEAD and
/// OPTIONS; a POST only on 429/503 with <c>Retry-After</c> (the server said it did not process it) and only
/// when its body can be replayed from the start without buffering (no body, a buffered body, or seekable
/// streams). Delays are exponential with full jitter, or <c>Retry-After</c> (seconds or HTTP date, in UTC),
/// capped by <see cref="RetryOptions.MaxDelay"/>. When retries run out the last response goes back to the
/// client, which throws its usual typed exception with the attempt count.
/// </remarks>
internal sealed class ResilienceHandler : DelegatingHandler
{
    /// <summary>Largest JSON success body buffered inside the retry scope (so a cut JSON body is retried like a cut connection).</summary>
    public const long MaxBufferedJsonBytes = 4 * 1024 * 1024;

    /// <summary>Request bodies from this size (or of unknown size) are sent with <c>Expect: 100-continue</c>.</summary>
    private const long ExpectContinueFromBytes = 64 * 1024;

    private readonly string _provider;
    private readonly RetryOptions _retry;
    private readonly TimeoutOptions _timeouts;
    private readonly TimeProvider _time;

    /// <summary>Creates the handler.</summary>
    /// <param name="provider">Provider display name, for messages.</param>
    /// <param name="retry">Retry settings.</param>
    /// <param name="timeouts">Time limits.</param>
    /// <param name="timeProvider">Clock and timers; null uses the system's.</param>
    public ResilienceHandler(string provider, RetryOptions retry, TimeoutOptions timeouts, TimeProvider? timeProvider = null)
    {
        _provider = provider ?? throw new ArgumentNullException(nameof(provider));
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
        _timeouts = timeouts ?? throw new ArgumentNullException(nameof(timeouts));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _time.GetTimestamp();

        // The overall deadline runs on the real clock, like the per-attempt one (a TimeProvider only paces
        // the waits between attempts and the elapsed times in messages).
        // The client's limits, or those of a CallTimeouts scope around this call.
        var timeouts = CallTimeouts.Apply(_timeouts);
        var deadline = timeouts.Overall == Timeout.InfiniteTimeSpan ? (long?)null : Stopwatch.GetTimestamp() + (long)(timeouts.Overall.TotalSeconds * Stopwatch.Frequency);
        var method = request.Method.Method;
        var uri = request.RequestUri;
        var idempotent = IsIdempotent(request.Method) || (request.Options.TryGetValue(ProviderHttpPipeline.RepeatableKey, out var repeatable) && repeatable);
        for (var attempt = 1; ; attempt++)
        {
            request.Options.Set(ProviderHttpPipeline.AttemptKey, attempt);
            var canRetry = attempt <= _retry.MaxRetries && ReplayableContent.CanReplay(request.Content);
            var attemptStarted = _time.GetTimestamp();
            HttpResponseMessage? response = null;
            Exception? failure;
            var buffered = false;

            // One timer per attempt: the per-attempt limit, or what is left of the overall one when that ends first.
            var (limit, overallEndsFirst) = AttemptLimit(timeouts, deadline);
            if (limit != Timeout.InfiniteTimeSpan && limit <= TimeSpan.Zero)
            {
                throw new ProviderTimeoutException(_provider, method, PathOf(uri), ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), timeouts.Overall);
            }

            TimeSpan delay;
            var attemptLimit = limit == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource();
            try
            {
                // The attempt's source is linked to the caller's token by a registration, not by a linked
                // source, so that once the attempt is over it can be reset and handed to the body's stall watch
                // (one source and one timer per call instead of two).
                var callerLink = attemptLimit is not null && cancellationToken.CanBeCanceled
                    ? cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), attemptLimit)
                    : default;
                attemptLimit?.CancelAfter(limit);
                var token = attemptLimit?.Token ?? cancellationToken;
                var body = request.Content;
                if (body is not null && request.Headers.ExpectContinue is null && (body.Headers.ContentLength ?? long.MaxValue) >= ExpectContinueFromBytes)
                {
                    // A server refusing an upload (413, a multipart parser's error) can answer before the body is
                    // sent, or while it is, and close: with 100-continue the transport reads that answer alongside the
                    // body instead of failing on the closed connection with "Error while copying content".
                    request.Headers.ExpectContinue = true;
                }

                if (attemptLimit is not null && body is not null)
                {
                    // Each write of the request body restarts the attempt's clock (never past the overall deadline):
                    // the per-attempt limit is for waiting, not for sending a large body that keeps flowing.
                    var watched = attemptLimit;
                    request.Content = new UploadWatchingContent(body, () => watched.CancelAfter(AttemptLimit(timeouts, deadline).Limit is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero));
                }

                try
                {
                    response = await base.SendAsync(request, token).ConfigureAwait(false);
                    if (idempotent && response.IsSuccessStatusCode)
                    {
                        buffered = await BufferSmallJsonAsync(response, token).ConfigureAwait(false);
                    }

                    failure = null;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    throw;
                }
                catch (OperationCanceledException ex) when (attemptLimit?.IsCancellationRequested == true && (overallEndsFirst || AttemptLimit(timeouts, deadline).OverallEndsFirst))
                {
                    response?.Dispose();
                    throw new ProviderTimeoutException(_provider, method, PathOf(uri), ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), timeouts.Overall, ex);
                }
                catch (OperationCanceledException ex) when (attemptLimit?.IsCancellationRequested == true)
                {
                    response?.Dispose();
                    response = null;
                    failure = new ProviderTimeoutException(_provider, method, PathOf(uri), ProviderTimeoutKind.Attempt, attempt, _time.GetElapsedTime(attemptStarted), timeouts.PerAttempt, ex);
                }
                catch (HttpRequestException ex)
                {
                    response?.Dispose();
                    response = null;
                    failure = ex;
                }
                finally
                {
                    callerLink.Dispose();
                    request.Content = body;
                }

                if (response is not null)
                {
                    var retryAfter = RetryAfter(response);
                    var retryable = idempotent
                        ? IsTransientStatus(response.StatusCode)
                        : response.StatusCode is TooManyRequests or HttpStatusCode.ServiceUnavailable && retryAfter is not null;
                    delay = Cap(retryAfter ?? Backoff(attempt));
                    if (!retryable || !canRetry || !FitsInDeadline(timeouts, started, delay))
                    {
                        if (response.IsSuccessStatusCode && !buffered)
                        {
                            // The body's stall watch takes over the attempt's time-limit source.
                            var spare = attemptLimit;
                            attemptLimit = null;
                            return WatchBody(timeouts, response, method, uri, attempt, spare);
                        }

                        return response;
                    }

                    response.Dispose();
                }
                else
                {
                    // No response: the server may or may not have acted, so only idempotent calls are repeated.
                    delay = Cap(Backoff(attempt));
                    if (!idempotent || !canRetry || !FitsInDeadline(timeouts, started, delay))
                    {
                        throw failure is HttpRequestException http
                            ? HttpRequestExceptions.Create(http.HttpRequestError, $"{_provider} {method} {PathOf(uri)}: {http.Message} (after {attempt} attempt{(attempt == 1 ? string.Empty : "s")}).", http, http.StatusCode)
                            : failure!;
                    }
                }
            }
            finally
            {
                attemptLimit?.Dispose();
            }

            // The wait is bounded by what is left of the overall deadline (retries only, so its timer is no hot path).
            using var waitLimit = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (waitLimit is not null)
            {
                var (rest, _) = AttemptLimit(timeouts, deadline, Timeout.InfiniteTimeSpan);
                waitLimit.CancelAfter(rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
            }

            try
            {
                await Task.Delay(delay, _time, waitLimit?.Token ?? cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProviderTimeoutException(_provider, method, PathOf(uri), ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), timeouts.Overall, ex);
            }
        }
    }

    /// <summary>The time limit of the next attempt (or wait), and whether it is the overall deadline's rest rather than <paramref name="perAttempt"/>.</summary>
    private static (TimeSpan Limit, bool OverallEndsFirst) AttemptLimit(TimeoutOptions timeouts, long? deadline, TimeSpan? perAttempt = null)
    {
        var own = perAttempt ?? timeouts.PerAttempt;
        if (deadline is not { } end)
        {
            return (own, false);
        }

        var rest = TimeSpan.FromSeconds((end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        return own == Timeout.InfiniteTimeSpan || rest <= own ? (rest, true) : (own, false);
    }

    /// <summary>The wait a response asks for: <c>Retry-After</c> in seconds or as an HTTP date (compared in UTC).</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time; null uses the system clock.</param>
    /// <returns>The wait, or null when the header is absent or unusable.</returns>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date.ToUniversalTime() - (now ?? DateTimeOffset.UtcNow).ToUniversalTime();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Head || method == HttpMethod.Options;

    // netstandard2.0's HttpStatusCode has no member for 429.
    private const HttpStatusCode TooManyRequests = (HttpStatusCode)429;

    private static bool IsTransientStatus(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static async Task<bool> BufferSmallJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content;
        var mediaType = content.Headers.ContentType?.MediaType;
        if (mediaType is not null
            && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            && content.Headers.ContentLength is { } length && length <= MaxBufferedJsonBytes)
        {
            // JSON is read whole by the client anyway; reading it here, inside the attempt, makes a body
            // cut short (Content-Length mismatch, reset mid-body) a retryable failure of this attempt.
            await content.LoadIntoBufferAsync(MaxBufferedJsonBytes, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private TimeSpan Backoff(int attempt)
    {
        // Full jitter: uniform in [0, base * 2^(attempt-1)], so synchronized clients spread out.
        var ceiling = _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private TimeSpan Cap(TimeSpan delay) => delay > _retry.MaxDelay ? _retry.MaxDelay : delay;

    private bool FitsInDeadline(TimeoutOptions timeouts, long started, TimeSpan delay)
        => timeouts.Overall == Timeout.InfiniteTimeSpan || _time.GetElapsedTime(started) + delay < timeouts.Overall;

    /// <summary>The request's path for messages (no query: it can identify people), made only when a message needs it.</summary>
    private static string PathOf(Uri? uri) => uri?.IsAbsoluteUri == true ? uri.AbsolutePath : "?";

    /// <summary>
    /// Wraps a success body in the stall watch. <paramref name="spare"/> is the finished attempt's time-limit
    /// source: reset, it becomes the watch's timer source (its timer object is reused); else it is disposed.
    /// </summary>
    private HttpResponseMessage WatchBody(TimeoutOptions timeouts, HttpResponseMessage response, string method, Uri? uri, int attempt, CancellationTokenSource? spare)
    {
        if ((timeouts.PerAttempt == Timeout.InfiniteTimeSpan && timeouts.MinimumBytesPerSecond == 0) || response.Content is null)
        {
            spare?.Dispose();
            return response;
        }

        if (spare is not null && !spare.TryReset())
        {
            // It fired after the headers came (a late timer): of no use to the body.
            spare.Dispose();
            spare = null;
        }

        response.Content = new StallWatchingContent(response.Content, timeouts, _provider, method, uri, attempt, spare);
        return response;
    }

    [DebuggerDisplay("{Inner}")]
    private sealed class StallWatchingContent : StreamWrappingContent
    {
        private readonly TimeoutOptions _timeouts;
        private readonly string _provider;
        private readonly string _method;
        private readonly Uri? _uri;
        private readonly int _attempt;
        private CancellationTokenSource? _spare;

        public StallWatchingContent(HttpContent inner, TimeoutOptions timeouts, string provider, string method, Uri? uri, int attempt, CancellationTokenSource? spare)
            : base(inner)
        {
            _spare = spare;
            _timeouts = timeouts;
            _provider = provider;
            _method = method;
            _uri = uri;
            _attempt = attempt;
        }

        protected override System.IO.Stream Wrap(System.IO.Stream inner)
            => new StallWatchingStream(inner, _timeouts.PerAttempt, _provider, _method, _uri, _attempt, Interlocked.Exchange(ref _spare, null), _timeouts.MinimumBytesPerSecond, _timeouts.LowSpeedWindow);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.Exchange(ref _spare, null)?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
