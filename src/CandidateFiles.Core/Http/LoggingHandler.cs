using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace CandidateFiles;

/// <summary>
/// Logs each attempt: method, path with query values redacted, status, attempt number and duration.
/// No header is logged, and query values are shown only for the parameters the provider declares in
/// <see cref="ProviderClientOptions.LoggedQueryParameters"/> (file tokens, emails, profile ids and keys are
/// replaced with "***").
/// </summary>
internal sealed partial class LoggingHandler : DelegatingHandler
{
    private readonly ILogger _logger;
    private readonly string _provider;

    /// <summary>Creates the handler.</summary>
    /// <param name="logger">Where to log.</param>
    /// <param name="provider">Provider display name.</param>
    public LoggingHandler(ILogger logger, string provider)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _provider = provider ?? throw new ArgumentNullException(nameof(provider));
    }

    /// <summary>The request URL as logged: path and query, with the values of parameters <paramref name="policy"/> does not show redacted.</summary>
    /// <param name="uri">The request URL.</param>
    /// <param name="policy">The provider's declaration of the parameters shown.</param>
    /// <returns>The loggable text.</returns>
    internal static string Redact(Uri? uri, RedactionPolicy policy)
    {
        if (uri is null)
        {
            return "?";
        }

        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        var query = uri.IsAbsoluteUri ? uri.Query : string.Empty;
        if (query.Length <= 1)
        {
            return path;
        }

        return QueryString.Redact(path, query, policy.LoggedQueryParameters);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_logger.IsEnabled(LogLevel.Information) && !_logger.IsEnabled(LogLevel.Warning))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var attempt = request.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var a) ? a : 1;
        var target = Redact(request.RequestUri, RedactionPolicy.Of(request));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                LogResponse(_provider, request.Method.Method, target, (int)response.StatusCode, attempt, elapsed);
            }
            else
            {
                LogFailedResponse(_provider, request.Method.Method, target, (int)response.StatusCode, attempt, elapsed);
            }

            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogFailure(_provider, request.Method.Method, target, attempt, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name);
            throw;
        }
    }

    // Events 1 and 2 are written by hand rather than with [LoggerMessage]: for six parameters or fewer the
    // generator falls back to LoggerMessage.Define, which boxes the numbers and formats through
    // string.Format on every call. ResponseLog formats with one interpolated string (what the generator
    // emits for larger messages); levels, event ids, message text and structured values are unchanged.
    private static readonly EventId ResponseEvent = new(1, nameof(LogResponse));
    private static readonly EventId FailedResponseEvent = new(2, nameof(LogFailedResponse));

    private void LogResponse(string provider, string method, string target, int status, int attempt, double elapsedMs)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.Log(LogLevel.Information, ResponseEvent, new ResponseLog(provider, method, target, status, attempt, elapsedMs), null, ResponseLog.Format);
        }
    }

    private void LogFailedResponse(string provider, string method, string target, int status, int attempt, double elapsedMs)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            _logger.Log(LogLevel.Warning, FailedResponseEvent, new ResponseLog(provider, method, target, status, attempt, elapsedMs), null, ResponseLog.Format);
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Provider} {Method} {Target} failed without a response: {Failure} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogFailure(string provider, string method, string target, int attempt, double elapsedMs, string failure);

    /// <summary>The state of events 1 and 2: "{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)".</summary>
    private readonly struct ResponseLog : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public static readonly Func<ResponseLog, Exception?, string> Format = (state, _) => state.ToString();

        private const string Template = "{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)";
        private readonly string _provider;
        private readonly string _method;
        private readonly string _target;
        private readonly int _status;
        private readonly int _attempt;
        private readonly double _elapsedMs;

        public ResponseLog(string provider, string method, string target, int status, int attempt, double elapsedMs)
        {
            _provider = provider;
            _method = method;
            _target = target;
            _status = status;
            _attempt = attempt;
            _elapsedMs = elapsedMs;
        }

        public int Count => 7;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Provider", _provider),
            1 => new("Method", _method),
            2 => new("Target", _target),
            3 => new("Status", _status),
            4 => new("Attempt", _attempt),
            5 => new("ElapsedMs", _elapsedMs),
            6 => new("{OriginalFormat}", Template),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
            => string.Create(CultureInfo.InvariantCulture, $"{_provider} {_method} {_target} -> {_status} (attempt {_attempt}, {_elapsedMs:0.0} ms)");
    }
}
