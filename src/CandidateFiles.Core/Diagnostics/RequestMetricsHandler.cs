using System.Net.Http.Metrics;

namespace CandidateFiles;

/// <summary>
/// Innermost handler (next to the transport): per HTTP request (each attempt, each redirect hop, each re-send after
/// a rejected token) the request count and the body bytes sent and received. The request duration is .NET's own
/// <c>http.client.request.duration</c>: recording it here too counted every request twice on dashboards, so its
/// measurements get the provider and operation tags instead. Without a listener the request goes straight on,
/// without an async step (which, holding a TagList, was the largest single allocation of a small call: issue #6).
/// </summary>
internal sealed class RequestMetricsHandler(ProviderTelemetry telemetry, string client) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var countRequests = telemetry.Requests.Enabled;
        var countBytes = telemetry.Transferred.Enabled;
        return countRequests || countBytes ? SendMeasuredAsync(request, countRequests, countBytes, cancellationToken) : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendMeasuredAsync(HttpRequestMessage request, bool countRequests, bool countBytes, CancellationToken cancellationToken)
    {
        var operation = ProviderHttpPipeline.OperationOf(request);
        var tags = ProviderTelemetry.Tags(client, operation, request, withScheme: true);
        if (countBytes && request.Content?.Headers.ContentLength is > 0 and var sent)
        {
            var transmit = tags;
            transmit.Add("network.io.direction", "transmit");
            telemetry.Transferred.Add(sent, transmit);
        }

        if (countRequests)
        {
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

            if (countBytes && response.Content is not null)
            {
                var receive = tags;
                receive.Add("network.io.direction", "receive");
                var counter = telemetry.Transferred;
                response.Content = new WrappedContent(response.Content, body => new ReportingStream(body, bytes => counter.Add(bytes, receive)));
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
            if (countRequests)
            {
                telemetry.Requests.Add(1, outcome);
            }
        }
    }
}
