using System.Reflection;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CandidateFiles;

/// <summary>Builds the HTTP pipeline every provider client sends through, and names what its handlers share.</summary>
internal static class ProviderHttpPipeline
{
    /// <summary>Product token this SDK puts in User-Agent.</summary>
    public const string ProductName = "CandidateFiles";

    /// <summary>This SDK's version, as put in User-Agent.</summary>
    public static string ProductVersion { get; } =
        typeof(ProviderHttpPipeline).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Request option: the attempt number of the current send, set from the second on (absent means 1).</summary>
    public static readonly HttpRequestOptionsKey<int> AttemptKey = new("CandidateFiles.Attempt");

    /// <summary>The attempt number <paramref name="request"/> was sent with (1 when unknown or the first).</summary>
    public static int AttemptOf(HttpRequestMessage? request) => request?.Options.TryGetValue(AttemptKey, out var attempt) == true ? attempt : 1;

    /// <summary>Request option: the client operation sending the request (for example <c>GetHeadshot</c>), set by the generated clients.</summary>
    public static readonly HttpRequestOptionsKey<string> OperationKey = new("CandidateFiles.Operation");

    /// <summary>The operation <paramref name="request"/> belongs to (<see cref="OperationKey"/>), else its method.</summary>
    public static string OperationOf(HttpRequestMessage request)
        => request.Options.TryGetValue(OperationKey, out var name) && !string.IsNullOrEmpty(name) ? name : request.Method.Method;

    /// <summary>
    /// Request option that, set to false, hands a redirect back instead of following it: for requests whose body
    /// carries a credential (the OAuth token request), which no redirect may take elsewhere.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<bool> FollowRedirectsKey = new("CandidateFiles.FollowRedirects");

    /// <summary>
    /// Request option that, set to true, repeats a request whose method is not idempotent as if it were: for the
    /// OAuth token request, a POST that only asks for a token.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<bool> RepeatableKey = new("CandidateFiles.Repeatable");

    /// <summary>
    /// The handlers, outermost first, unchained and without a transport (what an <c>IHttpClientFactory</c> client
    /// adds to its own chain; new instances each call): <see cref="CallHandler"/> (user agent, operation span, time
    /// limits, retries, redirects, logging), then <paramref name="providerHandlers"/> (authentication, run again for
    /// every attempt and hop), then <see cref="RequestMetricsHandler"/>. The transport under them must not follow
    /// redirects (<see cref="CreateTransport"/>).
    /// </summary>
    public static IReadOnlyList<DelegatingHandler> CreateDelegatingHandlers(ProviderClientOptions options, IEnumerable<DelegatingHandler> providerHandlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providerHandlers);
        var telemetry = ProviderTelemetry.For(options.TelemetryName);
        return [new CallHandler(options, telemetry), .. providerHandlers, new RequestMetricsHandler(telemetry, options.ClientName)];
    }

    /// <summary>
    /// The transport every client uses unless given another: it does not follow redirects (the pipeline does, by
    /// its own rules) and renews pooled connections every five minutes (so DNS changes are seen).
    /// </summary>
    public static HttpMessageHandler CreateTransport()
        => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    /// <summary>An <see cref="HttpClient"/> over the handlers and <paramref name="transport"/> (null creates one); its own Timeout is off (<see cref="TimeoutOptions"/> govern).</summary>
    public static HttpClient CreateHttpClient(ProviderClientOptions options, IEnumerable<DelegatingHandler> providerHandlers, HttpMessageHandler? transport = null)
        => new(KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(transport ?? CreateTransport(), [.. CreateDelegatingHandlers(options, providerHandlers)])!)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
