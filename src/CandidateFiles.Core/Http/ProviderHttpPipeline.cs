using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CandidateFiles;

/// <summary>
/// Builds the HTTP pipeline every provider client sends through: user agent, retries and time limits, redirects, then the provider's own handlers (authentication, provider headers), then the
/// transport.
/// </summary>
internal static class ProviderHttpPipeline
{
    /// <summary>Product token this SDK puts in User-Agent.</summary>
    public const string ProductName = "CandidateFiles";

    /// <summary>This SDK's version, as put in User-Agent.</summary>
    public static string ProductVersion { get; } =
        typeof(ProviderHttpPipeline).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Request option carrying the attempt number (1-based) of the current send.</summary>
    public static readonly HttpRequestOptionsKey<int> AttemptKey = new("CandidateFiles.Attempt");

    /// <summary>
    /// Request option carrying the name of the client operation that sends the request (for example
    /// <c>GetHeadshot</c>); the generated clients set it, telemetry reads it.
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> OperationKey = new("CandidateFiles.Operation");

    /// <summary>
    /// Request option that, set to false, makes the pipeline hand a redirect back instead of following it: for
    /// requests whose body carries a credential (the OAuth token request), which no redirect may take elsewhere.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<bool> FollowRedirectsKey = new("CandidateFiles.FollowRedirects");

    /// <summary>
    /// Request option that, set to true, lets the pipeline repeat a request whose method is not idempotent as if
    /// it were (after a lost connection, a timed-out attempt, a transient status): for the OAuth token request, a
    /// POST that only asks for a token.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<bool> RepeatableKey = new("CandidateFiles.Repeatable");

    /// <summary>
    /// Creates the handler chain, outermost first: the operation's span and duration (<see cref="ProviderDiagnostics"/>);
    /// this SDK's product token in User-Agent; retries and
    /// time limits (<see cref="ResilienceHandler"/>); logging of each attempt; redirects (<c>OriginRedirectHandler</c>:
    /// the endpoint's origin only unless a host is allowed, never with credentials elsewhere); then <paramref name="providerHandlers"/>
    /// (authentication, run again for every attempt and every redirect hop); then per-request metrics; then the transport.
    /// </summary>
    /// <remarks>
    /// Kiota's UserAgentHandler and HeadersInspectionHandler used to lead the chain. The first parsed a
    /// ProductInfoHeaderValue (and every User-Agent value already there) on every call to add the same
    /// token; <see cref="ProductTokenHandler"/> adds the same text, made once. The second acts only on
    /// requests carrying Kiota's HeadersInspectionHandlerOption, which the generated clients never
    /// attach, and otherwise only cost an async step per call. Issue #6 has the measurements.
    /// </remarks>
    /// <param name="options">The client's options (retry, timeouts, logging).</param>
    /// <param name="providerHandlers">The provider's handlers (authentication first).</param>
    /// <param name="transport">The innermost handler; null creates one with <see cref="CreateTransport"/>. Must not follow redirects itself.</param>
    /// <returns>The first handler of the chain.</returns>
    public static HttpMessageHandler CreateHandler(ProviderClientOptions options, IEnumerable<DelegatingHandler> providerHandlers, HttpMessageHandler? transport = null)
        => KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(
            transport ?? CreateTransport(),
            CreateDelegatingHandlers(options, providerHandlers).ToArray())
            ?? throw new InvalidOperationException("Kiota returned no handler chain.");

    /// <summary>
    /// The handlers of <see cref="CreateHandler"/> as a list, outermost first, not chained and without a
    /// transport: what an <c>IHttpClientFactory</c> client adds to its own chain (each call returns new
    /// instances). The transport under them must not follow redirects itself (see <see cref="CreateTransport"/>).
    /// </summary>
    /// <param name="options">The client's options (retry, timeouts, logging).</param>
    /// <param name="providerHandlers">The provider's handlers (authentication first); only the per-request metrics handler comes after them.</param>
    /// <returns>The handlers, outermost first.</returns>
    public static IReadOnlyList<DelegatingHandler> CreateDelegatingHandlers(ProviderClientOptions options, IEnumerable<DelegatingHandler> providerHandlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providerHandlers);
        var telemetry = ProviderTelemetry.For(options.TelemetryName);
        var handlers = new List<DelegatingHandler>
        {
            new OperationTelemetryHandler(telemetry, options.ClientName, RedactionPolicy.For(options)),
            new ProductTokenHandler(),
            new ResilienceHandler(options.ProviderName, options.Retry, options.Timeouts, options.TimeProvider),
            new LoggingHandler(options.CreateLogger(), options.ProviderName),
            new OriginRedirectHandler(options.Redirects),
        };
        handlers.AddRange(providerHandlers);
        handlers.Add(new RequestTelemetryHandler(telemetry, options.ClientName));
        return handlers;
    }

    /// <summary>
    /// The transport every client uses unless given another: a <see cref="SocketsHttpHandler"/> that does
    /// not follow redirects (the pipeline does, stripping credentials when the host changes) and renews
    /// pooled connections every five minutes (so DNS changes are seen).
    /// </summary>
    /// <returns>A new transport.</returns>
    public static HttpMessageHandler CreateTransport()
        => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    /// <summary>Creates an <see cref="HttpClient"/> over <see cref="CreateHandler"/>.</summary>
    /// <param name="options">The client's options.</param>
    /// <param name="providerHandlers">The provider's handlers.</param>
    /// <param name="transport">The innermost handler; null creates one.</param>
    /// <returns>The HTTP client. Its own Timeout is off: <see cref="TimeoutOptions"/> governs time, per attempt and overall.</returns>
    public static HttpClient CreateHttpClient(ProviderClientOptions options, IEnumerable<DelegatingHandler> providerHandlers, HttpMessageHandler? transport = null)
        => new(CreateHandler(options, providerHandlers, transport)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>Most redirects followed in one attempt by default (<see cref="RedirectOptions.MaxRedirects"/>).</summary>
    public const int MaxRedirects = 5;

    /// <summary>
    /// Appends "CandidateFiles/&lt;version&gt;" to User-Agent unless a product of that name is already
    /// there (what Kiota's UserAgentHandler does), from one string made once: nothing parsed per call.
    /// </summary>
    private sealed class ProductTokenHandler : DelegatingHandler
    {
        private static readonly string Token = ProductName + "/" + ProductVersion;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            if (!HasProduct(request))
            {
                request.Headers.TryAddWithoutValidation("User-Agent", Token);
            }

            return base.SendAsync(request, cancellationToken);
        }

        private static bool HasProduct(HttpRequestMessage request)
        {
            if (!request.Headers.NonValidated.TryGetValues("User-Agent", out var values))
            {
                return false;
            }

            foreach (var value in values)
            {
                // Product tokens are separated by spaces; compared in place (no Split: nothing allocated per call).
                foreach (var range in value.AsSpan().Split(' '))
                {
                    var product = value.AsSpan()[range];
                    var slash = product.IndexOf('/');
                    if ((slash < 0 ? product : product[..slash]).Equals(ProductName, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
