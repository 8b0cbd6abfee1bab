using System.Diagnostics;

namespace CandidateFiles;

/// <summary>The span and duration of one client operation across its attempts, kept only while something listens.</summary>
internal sealed class OperationScope
{
    private readonly ProviderTelemetry _telemetry;
    private readonly Activity? _activity;
    private readonly bool _measured;
    private readonly long _started = Stopwatch.GetTimestamp();
    private TagList _tags;

    private OperationScope(ProviderTelemetry telemetry, Activity? activity, bool measured, TagList tags)
        => (_telemetry, _activity, _measured, _tags) = (telemetry, activity, measured, tags);

    /// <summary>Starts the operation's span and timing; null, at no cost, when neither has a listener.</summary>
    public static OperationScope? Start(ProviderTelemetry telemetry, string client, HttpRequestMessage request)
    {
        if (!telemetry.Source.HasListeners() && !telemetry.OperationDuration.Enabled)
        {
            return null;
        }

        var operation = ProviderHttpPipeline.OperationOf(request);
        var activity = telemetry.Source.StartActivity(client + "." + operation, ActivityKind.Client);
        var measured = telemetry.OperationDuration.Enabled;
        if (activity is null && !measured)
        {
            return null;
        }

        var tags = ProviderTelemetry.Tags(client, operation, request, withScheme: false);
        if (activity is { IsAllDataRequested: true })
        {
            foreach (var tag in tags)
            {
                activity.SetTag(tag.Key, tag.Value);
            }

            if (request.RequestUri is { IsAbsoluteUri: true } uri)
            {
                activity.SetTag("url.scheme", uri.Scheme);
                activity.SetTag("url.path", uri.AbsolutePath);
            }
        }

        return new OperationScope(telemetry, activity, measured, tags);
    }

    /// <summary>Ends the span and records the duration, with the final <paramref name="response"/> or the <paramref name="failure"/>.</summary>
    public void Stop(HttpRequestMessage request, HttpResponseMessage? response, Exception? failure)
    {
        int? status = response is null ? null : (int)response.StatusCode;
        var errorType = failure is not null ? ProviderTelemetry.ErrorType(failure) : status >= 400 ? ProviderTelemetry.StatusText(status.Value) : null;
        if (_activity is not null)
        {
            if (_activity.IsAllDataRequested)
            {
                _activity.SetTag(ProviderDiagnostics.AttemptsTag, ProviderHttpPipeline.AttemptOf(request));
                _activity.SetTag("http.response.status_code", status);
                _activity.SetTag("error.type", errorType);
            }

            if (errorType is not null)
            {
                _activity.SetStatus(ActivityStatusCode.Error, errorType);
            }

            _activity.Dispose();
        }

        if (_measured)
        {
            if (status is not null)
            {
                _tags.Add("http.response.status_code", status.Value);
            }

            if (errorType is not null)
            {
                _tags.Add("error.type", errorType);
            }

            _telemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _tags);
        }
    }
}
