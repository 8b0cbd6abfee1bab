using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace CandidateFiles;

/// <summary>
/// The pipeline's outer handler: sends one client operation, its attempts and their redirects. Steps that need no
/// await of their own run synchronously inside the attempt loop, as Azure.Core's synchronous policies do, rather
/// than as async handlers: the client's <see cref="RedactionPolicy"/> and this SDK's product token on the request,
/// the operation's <see cref="OperationScope"/>, the <see cref="RedirectFollower"/>'s bookkeeping, and one log line
/// per request sent (method, path with the query redacted by the policy, status, attempt, duration; no header).
/// </summary>
/// <remarks>
/// Replaces Kiota's <c>RetryHandler</c> (2.1.6), which copies the request body into memory to retry, retries a
/// POST with a replayable body (a processed one could run twice), throws <see cref="AggregateException"/> when
/// retries run out (losing the response for the typed exception), misreads an HTTP-date <c>Retry-After</c>, adds
/// no jitter, and does not retry connection failures, 408 or 502. Here: connection failures and 408/429/502/503/504
/// are retried for idempotent methods; a POST only on 429/503 with <c>Retry-After</c> (not processed); only bodies
/// that can be sent again without a copy (<see cref="ReplayableContent"/>). Delays: exponential with full jitter, or
/// <c>Retry-After</c> (in UTC), capped by <see cref="RetryOptions.MaxDelay"/>, within the call's time limits
/// (<see cref="CallDeadline"/>, <see cref="AttemptTimer"/>). When retries run out the last response goes back to
/// the client for its typed exception.
/// </remarks>
internal sealed partial class CallHandler : DelegatingHandler
{
    /// <summary>Largest JSON success body read inside the attempt (so a cut JSON body is retried like a cut connection).</summary>
    private const long MaxPrefetchedJsonBytes = 4 * 1024 * 1024;

    /// <summary>Request bodies from this size (or of unknown size) are sent with <c>Expect: 100-continue</c>.</summary>
    private const long ExpectContinueFromBytes = 64 * 1024;

    // netstandard2.0's HttpStatusCode has no member for 429.
    private const HttpStatusCode TooManyRequests = (HttpStatusCode)429;

    private static readonly string ProductToken = ProviderHttpPipeline.ProductName + "/" + ProviderHttpPipeline.ProductVersion;

    private readonly ProviderClientOptions _options;
    private readonly ProviderTelemetry _telemetry;
    private readonly RedactionPolicy _redaction;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RedirectFollower _redirects;
    private readonly long _maxPrefetchedJsonBytes;

    public CallHandler(ProviderClientOptions options, ProviderTelemetry telemetry)
    {
        _options = options;
        _telemetry = telemetry;
        _redaction = RedactionPolicy.For(options);
        _logger = options.CreateLogger();
        _time = options.TimeProvider ?? TimeProvider.System;
        _redirects = new RedirectFollower(options.Redirects);
        _maxPrefetchedJsonBytes = Math.Min(MaxPrefetchedJsonBytes, options.MaxBufferedBodyBytes);
    }

    /// <summary>The wait a response asks for: <c>Retry-After</c> in seconds or as an HTTP date (compared in UTC); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date.ToUniversalTime() - (now ?? DateTimeOffset.UtcNow).ToUniversalTime() : (TimeSpan?)null);
        return wait is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(RedactionPolicy.Key, _redaction);
        if (!HasProductToken(request))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", ProductToken);
        }

        // An async step of its own only while something listens to the operation's span or duration.
        var scope = OperationScope.Start(_telemetry, _options.ClientName, request);
        return scope is null ? SendAttemptsAsync(request, cancellationToken) : SendObservedAsync(request, scope, cancellationToken);
    }

    /// <summary>Whether User-Agent already names this product (what Kiota's UserAgentHandler checks), compared in place.</summary>
    private static bool HasProductToken(HttpRequestMessage request)
    {
        if (!request.Headers.NonValidated.TryGetValues("User-Agent", out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            foreach (var range in value.AsSpan().Split(' '))
            {
                var product = value.AsSpan()[range];
                var slash = product.IndexOf('/');
                if ((slash < 0 ? product : product[..slash]).Equals(ProviderHttpPipeline.ProductName, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The per-attempt limit is for waiting, not for sending a large body that keeps flowing: each write restarts it.
    /// (A method of its own so that the closure is made for uploads only, not in every call's state machine.)
    /// </summary>
    private static UploadWatchingContent WatchUpload(HttpContent body, AttemptTimer timer, CallDeadline deadline)
        => new(body, () => timer.Restart(deadline.Next().Limit));

    private static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Head || method == HttpMethod.Options;

    private static bool IsTransientStatus(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, OperationScope scope, CancellationToken cancellationToken)
    {
        try
        {
            var response = await SendAttemptsAsync(request, cancellationToken).ConfigureAwait(false);
            scope.Stop(request, response, null);
            return response;
        }
        catch (Exception ex)
        {
            scope.Stop(request, null, ex);
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAttemptsAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var deadline = new CallDeadline(CallTimeouts.Apply(_options.Timeouts));
        var idempotent = IsIdempotent(request.Method) || (request.Options.TryGetValue(ProviderHttpPipeline.RepeatableKey, out var repeatable) && repeatable);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                // Readers take a request without the option for a first attempt: most calls box no number and grow no dictionary.
                request.Options.Set(ProviderHttpPipeline.AttemptKey, attempt);
            }

            var canRetry = attempt <= _options.Retry.MaxRetries && ReplayableContent.CanReplay(request.Content);
            var attemptStarted = _time.GetTimestamp();
            var (limit, overallEndsFirst) = deadline.Next();
            if (limit != Timeout.InfiniteTimeSpan && limit <= TimeSpan.Zero)
            {
                throw TimedOut(request, ProviderTimeoutKind.Overall, attempt, _time.GetElapsedTime(started), deadline.Timeouts.Overall);
            }

            HttpResponseMessage? response = null;
            Exception? failure = null;
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

                RedirectFollower.Trail? redirects = null;
                try
                {
                    var token = timer?.Token ?? cancellationToken;
                    do
                    {
                        var sent = Stopwatch.GetTimestamp();
                        try
                        {
                            response = await base.SendAsync(request, token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                        {
                            LogFailure(request, attempt, sent, ex);
                            throw;
                        }

                        LogResponse(request, attempt, sent, response);
                    }
                    while (_redirects.TryFollow(request, response, ref redirects));

                    if (idempotent && response.IsSuccessStatusCode && BufferedBodyLimitContent.ForJson(response, _maxPrefetchedJsonBytes) is { } json)
                    {
                        // Read inside the attempt, a JSON body cut short fails it and is retried like a cut connection.
                        response.Content = json;
                        await json.LoadAsync(token).ConfigureAwait(false);
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
                    redirects?.Restore();
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
                        if (response.IsSuccessStatusCode && response.Content is not BufferedBodyLimitContent)
                        {
                            // The body's stall watch takes over the attempt's timer.
                            StallWatchingStream.Watch(response, deadline.Timeouts, _options.ProviderName, request.Method.Method, request.RequestUri, attempt, timer?.HandOff());
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
                            ? HttpRequestExceptions.Create(http.HttpRequestError, $"{_options.ProviderName} {request.Method.Method} {(ProviderResponseInfo.PathOf(request) ?? "?")}: {http.Message} (after {attempt} attempt{(attempt == 1 ? string.Empty : "s")}).", http, http.StatusCode)
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

    private ProviderTimeoutException TimedOut(HttpRequestMessage request, ProviderTimeoutKind kind, int attempt, TimeSpan elapsed, TimeSpan limit, Exception? cause = null)
        => new(_options.ProviderName, request.Method.Method, (ProviderResponseInfo.PathOf(request) ?? "?"), kind, attempt, elapsed, limit, cause);

    private TimeSpan Backoff(int attempt)
    {
        // Full jitter: uniform in [0, base * 2^(attempt-1)], so synchronized clients spread out.
        var ceiling = _options.Retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private TimeSpan Cap(TimeSpan delay) => delay > _options.Retry.MaxDelay ? _options.Retry.MaxDelay : delay;

    private bool FitsInDeadline(CallDeadline deadline, long started, TimeSpan delay)
        => deadline.Timeouts.Overall == Timeout.InfiniteTimeSpan || _time.GetElapsedTime(started) + delay < deadline.Timeouts.Overall;

    private void LogResponse(HttpRequestMessage request, int attempt, long sent, HttpResponseMessage response)
    {
        var level = response.IsSuccessStatusCode ? LogLevel.Information : LogLevel.Warning;
        if (_logger.IsEnabled(level))
        {
            var target = _redaction.Redact(request.RequestUri);
            var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                LogResponse(_options.ProviderName, request.Method.Method, target, (int)response.StatusCode, attempt, elapsed);
            }
            else
            {
                LogFailedResponse(_options.ProviderName, request.Method.Method, target, (int)response.StatusCode, attempt, elapsed);
            }
        }
    }

    private void LogFailure(HttpRequestMessage request, int attempt, long sent, Exception failure)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            LogFailure(_options.ProviderName, request.Method.Method, _redaction.Redact(request.RequestUri), attempt, Stopwatch.GetElapsedTime(sent).TotalMilliseconds, failure.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogResponse(string provider, string method, string target, int status, int attempt, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogFailedResponse(string provider, string method, string target, int status, int attempt, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Provider} {Method} {Target} failed without a response: {Failure} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogFailure(string provider, string method, string target, int attempt, double elapsedMs, string failure);
}
