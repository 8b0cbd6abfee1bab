using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Metrics;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// Outermost handler: one span per client operation (all attempts) and the operation duration metric.
/// Costs nothing when no listener is attached: the request goes straight on, without an async state
/// machine or the span name (issue #6 measured ~200 B per call for the two before this check).
/// </summary>
internal sealed class OperationTelemetryHandler : DelegatingHandler
{
    private readonly ProviderTelemetry _telemetry;
    private readonly string _client;
    private readonly RedactionPolicy _redaction;

    public OperationTelemetryHandler(ProviderTelemetry telemetry, string client, RedactionPolicy redaction)
    {
        _telemetry = telemetry;
        _client = client;
        _redaction = redaction;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Every handler below (redirects, logging, credential redaction) reads the provider's declaration from here.
        request.Options.Set(RedactionPolicy.Key, _redaction);
        if (!_telemetry.Source.HasListeners() && !_telemetry.OperationDuration.Enabled)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var operation = request.Options.TryGetValue(ProviderHttpPipeline.OperationKey, out var name) && !string.IsNullOrEmpty(name) ? name : request.Method.Method;
        var activity = _telemetry.Source.StartActivity(_client + "." + operation, ActivityKind.Client);
        var measured = _telemetry.OperationDuration.Enabled;
        return activity is null && !measured ? base.SendAsync(request, cancellationToken) : SendObservedAsync(request, operation, activity, measured, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, string operation, Activity? activity, bool measured, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ProviderDiagnostics.ProviderTag, _client);
            activity.SetTag(ProviderDiagnostics.OperationTag, operation);
            activity.SetTag("http.request.method", request.Method.Method);
            if (uri is not null)
            {
                activity.SetTag("server.address", uri.Host);
                activity.SetTag("server.port", uri.Port);
                activity.SetTag("url.scheme", uri.Scheme);
                activity.SetTag("url.path", uri.AbsolutePath);
            }
        }

        var started = Stopwatch.GetTimestamp();
        int? status = null;
        string? errorType = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            errorType = status >= 400 ? ProviderTelemetry.StatusText(status.Value) : null;
            return response;
        }
        catch (Exception ex)
        {
            errorType = ProviderTelemetry.ErrorType(ex);
            throw;
        }
        finally
        {
            var attempts = request.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var a) ? a : 1;
            if (activity is not null)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag(ProviderDiagnostics.AttemptsTag, attempts);
                    if (status is not null)
                    {
                        activity.SetTag("http.response.status_code", status.Value);
                    }

                    if (errorType is not null)
                    {
                        activity.SetTag("error.type", errorType);
                    }
                }

                if (errorType is not null)
                {
                    activity.SetStatus(ActivityStatusCode.Error, errorType);
                }

                activity.Dispose();
            }

            if (measured)
            {
                var tags = new TagList
                {
                    { ProviderDiagnostics.ProviderTag, _client },
                    { ProviderDiagnostics.OperationTag, operation },
                    { "http.request.method", request.Method.Method },
                };
                if (uri is not null)
                {
                    tags.Add("server.address", uri.Host);
                    tags.Add("server.port", uri.Port);
                }

                if (status is not null)
                {
                    tags.Add("http.response.status_code", status.Value);
                }

                if (errorType is not null)
                {
                    tags.Add("error.type", errorType);
                }

                _telemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }
}

/// <summary>
/// Innermost handler (next to the transport): per HTTP request (each attempt, each redirect hop, each
/// re-send after a rejected token) the request count and the body bytes sent and received. The request
/// duration is .NET's own <c>http.client.request.duration</c> (System.Net.Http's meter): recording it here too
/// counted every request twice on dashboards; instead its measurements get the provider and operation tags.
/// Costs nothing when no listener is attached: the request goes straight on, without an async state
/// machine (which, holding a TagList, was the largest single allocation of a small call: issue #6).
/// </summary>
internal sealed class RequestTelemetryHandler : DelegatingHandler
{
    private readonly ProviderTelemetry _telemetry;
    private readonly string _client;

    public RequestTelemetryHandler(ProviderTelemetry telemetry, string client)
    {
        _telemetry = telemetry;
        _client = client;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var timed = _telemetry.Requests.Enabled;
        var counted = _telemetry.Transferred.Enabled;
        return timed || counted ? SendMeasuredAsync(request, timed, counted, cancellationToken) : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendMeasuredAsync(HttpRequestMessage request, bool timed, bool counted, CancellationToken cancellationToken)
    {
        var operation = request.Options.TryGetValue(ProviderHttpPipeline.OperationKey, out var name) && !string.IsNullOrEmpty(name) ? name : request.Method.Method;
        var tags = new TagList
        {
            { ProviderDiagnostics.ProviderTag, _client },
            { ProviderDiagnostics.OperationTag, operation },
            { "http.request.method", request.Method.Method },
        };
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            tags.Add("server.address", uri.Host);
            tags.Add("server.port", uri.Port);
            tags.Add("url.scheme", uri.Scheme);
        }

        if (counted && request.Content?.Headers.ContentLength is > 0 and var sent)
        {
            var transmit = tags;
            transmit.Add("network.io.direction", "transmit");
            _telemetry.Transferred.Add(sent, transmit);
        }

        if (timed)
        {
            var client = _client;
            HttpMetricsEnrichmentContext.AddCallback(request, context =>
            {
                context.AddCustomTag(ProviderDiagnostics.ProviderTag, client);
                context.AddCustomTag(ProviderDiagnostics.OperationTag, operation);
            });
        }

        var outcome = tags;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            outcome.Add("http.response.status_code", status);
            if (status >= 400)
            {
                outcome.Add("error.type", ProviderTelemetry.StatusText(status));
            }

            if (counted && response.Content is not null)
            {
                var receive = tags;
                receive.Add("network.io.direction", "receive");
                var counter = _telemetry.Transferred;
                response.Content = new CountingContent(response.Content, bytes => counter.Add(bytes, receive));
            }

            return response;
        }
        catch (Exception ex)
        {
            outcome.Add("error.type", ProviderTelemetry.ErrorType(ex));
            throw;
        }
        finally
        {
            if (timed)
            {
                _telemetry.Requests.Add(1, outcome);
            }
        }
    }

    /// <summary>Response content that reports the bytes read from it.</summary>
    private sealed class CountingContent : StreamWrappingContent
    {
        private readonly Action<long> _onRead;

        public CountingContent(HttpContent inner, Action<long> onRead)
            : base(inner) => _onRead = onRead;

        protected override Stream Wrap(Stream inner) => new CountingStream(inner, _onRead);
    }

    private sealed class CountingStream : CompatibleStream
    {
        private readonly Stream _inner;
        private readonly Action<long> _onRead;

        public CountingStream(Stream inner, Action<long> onRead)
        {
            _inner = inner;
            _onRead = onRead;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(_inner.Read(buffer));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            if (read > 0)
            {
                _onRead(read);
            }

            return read;
        }
    }
}
