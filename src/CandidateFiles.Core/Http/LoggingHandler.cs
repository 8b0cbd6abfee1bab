using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CandidateFiles;

/// <summary>
/// Logs each attempt: method, path with query values redacted, status, attempt number and duration.
/// No header is logged, and query values are shown only for the parameters the provider declares in
/// <see cref="ProviderClientOptions.LoggedQueryParameters"/> (file tokens, emails, profile ids and keys are
/// replaced with "***"). The allow-list is the only rule: a parameter nobody declared is never shown.
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

    /// <summary>
    /// The request URL as logged: the path, then the query in one pass, segment by segment as sent, with the
    /// value of every parameter <paramref name="policy"/> does not show (and every segment without a name)
    /// replaced by "***" (Azure.Core's HttpMessageSanitizer does the same with its allow-list).
    /// </summary>
    /// <param name="uri">The request URL.</param>
    /// <param name="policy">The provider's declaration of the parameters shown.</param>
    /// <returns>The loggable text.</returns>
    internal static string Redact(Uri? uri, RedactionPolicy policy)
    {
        if (uri is null)
        {
            return "?";
        }

        var target = uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
        var mark = target.IndexOf('?', StringComparison.Ordinal);
        return mark < 0 ? target : WithQueryRedacted(target.AsSpan(0, mark), target.AsSpan(mark + 1), policy);
    }

    private static string WithQueryRedacted(ReadOnlySpan<char> path, ReadOnlySpan<char> query, RedactionPolicy policy)
    {
        var text = new StringBuilder(path.Length + query.Length + 16).Append(path);
        var pathAndMark = path.Length + 1;
        foreach (var range in query.Split('&'))
        {
            var segment = query[range];
            if (segment.IsEmpty)
            {
                continue;
            }

            text.Append(text.Length < pathAndMark ? '?' : '&');

            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                text.Append(Auth.CredentialRedactor.Mask);
                continue;
            }

            var name = segment[..equals];
            text.Append(name).Append('=');
            if (policy.IsLogged(name.Contains('%') || name.Contains('+') ? Uri.UnescapeDataString(name.ToString().Replace('+', ' ')) : name.ToString()))
            {
                text.Append(segment[(equals + 1)..]);
            }
            else
            {
                text.Append(Auth.CredentialRedactor.Mask);
            }
        }

        return text.ToString();
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogResponse(string provider, string method, string target, int status, int attempt, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogFailedResponse(string provider, string method, string target, int status, int attempt, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Provider} {Method} {Target} failed without a response: {Failure} (attempt {Attempt}, {ElapsedMs:0.0} ms)")]
    private partial void LogFailure(string provider, string method, string target, int attempt, double elapsedMs, string failure);
}
