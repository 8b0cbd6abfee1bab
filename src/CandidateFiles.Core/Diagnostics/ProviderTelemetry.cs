using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace CandidateFiles;

/// <summary>The activity source, meter and instruments of one provider package (one set per package name, for the process).</summary>
internal sealed class ProviderTelemetry
{
    private static readonly ConcurrentDictionary<string, ProviderTelemetry> Packages = new(StringComparer.Ordinal);

    private ProviderTelemetry(string name)
    {
        Source = new ActivitySource(name, ProviderHttpPipeline.ProductVersion);
        var meter = new Meter(name, ProviderHttpPipeline.ProductVersion);
        Requests = meter.CreateCounter<long>(ProviderDiagnostics.RequestCountInstrument, unit: "{request}", description: "HTTP requests sent.");
        OperationDuration = meter.CreateHistogram(
            ProviderDiagnostics.OperationDurationInstrument,
            unit: "s",
            description: "Duration of client operations, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        Transferred = meter.CreateCounter<long>(ProviderDiagnostics.TransferredBytesInstrument, unit: "By", description: "Body bytes sent and received.");
    }

    public ActivitySource Source { get; }

    public Counter<long> Requests { get; }

    public Histogram<double> OperationDuration { get; }

    public Counter<long> Transferred { get; }

    public static ProviderTelemetry For(string packageName) => Packages.GetOrAdd(packageName, static name => new ProviderTelemetry(name));

    /// <summary>OpenTelemetry's <c>error.type</c> for an exception: the HTTP error kind when known, else the exception type.</summary>
    public static string ErrorType(Exception exception) => exception switch
    {
        ProviderTimeoutException => "timeout",
        HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(http.HttpRequestError.ToString()),
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    /// <summary>The attributes every measurement of a request carries.</summary>
    public static TagList Tags(string client, string operation, HttpRequestMessage request, bool withScheme)
    {
        var tags = new TagList
        {
            { ProviderDiagnostics.ProviderTag, client },
            { ProviderDiagnostics.OperationTag, operation },
            { "http.request.method", request.Method.Method },
        };
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            tags.Add("server.address", uri.Host);
            tags.Add("server.port", uri.Port);
            if (withScheme)
            {
                tags.Add("url.scheme", uri.Scheme);
            }
        }

        return tags;
    }

    public static string StatusText(int status) => status.ToString(CultureInfo.InvariantCulture);
}
