using System.Diagnostics;

namespace CandidateFiles;

/// <summary>
/// Outermost handler: what holds once per client operation, across its attempts. Synchronous steps before the
/// send (the client's <see cref="RedactionPolicy"/> on the request, this SDK's product token in User-Agent), and
/// only when something listens, the operation's span and duration around it: an async step is taken only then.
/// </summary>
internal sealed class OperationScopeHandler(ProviderTelemetry telemetry, string client, RedactionPolicy redaction) : DelegatingHandler
{
    private static readonly string ProductToken = ProviderHttpPipeline.ProductName + "/" + ProviderHttpPipeline.ProductVersion;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(RedactionPolicy.Key, redaction);
        if (!HasProductToken(request))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", ProductToken);
        }

        if (!telemetry.Source.HasListeners() && !telemetry.OperationDuration.Enabled)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var operation = ProviderTelemetry.OperationOf(request);
        var activity = telemetry.Source.StartActivity(client + "." + operation, ActivityKind.Client);
        var measured = telemetry.OperationDuration.Enabled;
        return activity is null && !measured ? base.SendAsync(request, cancellationToken) : SendObservedAsync(request, operation, activity, measured, cancellationToken);
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

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, string operation, Activity? activity, bool measured, CancellationToken cancellationToken)
    {
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
            if (activity is not null)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag(ProviderDiagnostics.AttemptsTag, request.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var attempts) ? attempts : 1);
                    activity.SetTag("http.response.status_code", status);
                    activity.SetTag("error.type", errorType);
                }

                if (errorType is not null)
                {
                    activity.SetStatus(ActivityStatusCode.Error, errorType);
                }

                activity.Dispose();
            }

            if (measured)
            {
                if (status is not null)
                {
                    tags.Add("http.response.status_code", status.Value);
                }

                if (errorType is not null)
                {
                    tags.Add("error.type", errorType);
                }

                telemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }
}
