namespace CandidateFiles;

/// <summary>
/// Names of the SDK's traces and metrics. Each provider package has its own
/// <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>,
/// both named after the package, <c>CandidateFiles.&lt;Provider&gt;</c> (OpenTelemetry: <c>AddSource("CandidateFiles.*")</c>,
/// <c>AddMeter("CandidateFiles.*")</c>).
/// </summary>
/// <remarks>
/// Every client operation is one span (kind Client) named <c>&lt;Client&gt;.&lt;Operation&gt;</c>, covering all its attempts; the per-attempt HTTP spans of
/// <c>System.Net.Http</c> (when that source is listened to) are its children. Attributes follow
/// OpenTelemetry's HTTP client conventions where they apply (<c>http.request.method</c>, <c>server.address</c>,
/// <c>server.port</c>, <c>url.scheme</c>, <c>url.path</c> (never the query, which carries file tokens and
/// emails), <c>http.response.status_code</c>, <c>error.type</c>) plus <see cref="ProviderTag"/>,
/// <see cref="OperationTag"/> and <see cref="AttemptsTag"/>.
/// </remarks>
public static class ProviderDiagnostics
{
    /// <summary>Attribute: the client, the options class name without "ClientOptions".</summary>
    public const string ProviderTag = "candidatefiles.provider";

    /// <summary>Attribute: the client operation, for example <c>GetHeadshot</c>.</summary>
    public const string OperationTag = "candidatefiles.operation";

    /// <summary>Span attribute: how many HTTP attempts the operation took (1 when it was not retried).</summary>
    public const string AttemptsTag = "candidatefiles.attempts";

    /// <summary>
    /// Counter: HTTP requests sent (each attempt and each redirect hop), with the attributes of the operation
    /// duration plus <c>url.scheme</c>. Their duration is .NET's own <c>http.client.request.duration</c>
    /// (meter <c>System.Net.Http</c>), which the SDK does not record a second time: while this package's meter
    /// is listened to, the SDK adds <see cref="ProviderTag"/> and <see cref="OperationTag"/> to it.
    /// </summary>
    public const string RequestCountInstrument = "candidatefiles.client.requests";

    /// <summary>Histogram, seconds: duration of each client operation, retries and back-off included.</summary>
    public const string OperationDurationInstrument = "candidatefiles.client.operation.duration";

    /// <summary>
    /// Counter, bytes: body bytes sent (request bodies of known length) and received (response bodies, counted
    /// as they are read), told apart by <c>network.io.direction</c> = <c>transmit</c> / <c>receive</c>.
    /// </summary>
    public const string TransferredBytesInstrument = "candidatefiles.client.transferred";
}
