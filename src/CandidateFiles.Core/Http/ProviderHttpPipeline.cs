using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace CandidateFiles;

/// <summary>
/// Builds the HTTP pipeline every provider client sends through: Kiota's user-agent and redirect
/// middleware, then the provider's own handlers (authentication, provider headers), then the
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
    /// time limits (<see cref="ResilienceHandler"/>); logging of each attempt; Kiota's redirects (which
    /// strip every credential header when leaving the host); then <paramref name="providerHandlers"/>
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
            new RedirectBudgetHandler(),
            new RedirectHandler(new RedirectHandlerOption
            {
                // One above our own limit: ShouldRedirect stops first, so Kiota never throws for it.
                MaxRedirect = MaxRedirects + 1,
                ScrubSensitiveHeaders = ScrubCredentialsOnHostChange,
                ShouldRedirect = ShouldFollow,
            }),
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

    /// <summary>Most redirects followed for one call.</summary>
    public const int MaxRedirects = 5;

    // The redirect count of one attempt. Kiota's redirect clones the request with its options, so every
    // hop of the attempt sees the same counter.
    private static readonly HttpRequestOptionsKey<StrongBox<int>> RedirectHopsKey = new("CandidateFiles.RedirectHops");

    private static Uri? NoProxy(Uri uri) => null;

    // Kiota throws (InvalidOperationException, UriFormatException) for a 3xx without a usable Location
    // and for one hop too many. Such a response is handed back instead, and becomes the provider's
    // typed exception like any other status.
    private static bool ShouldFollow(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Location", out var values)
            || response.RequestMessage?.Options.TryGetValue(FollowRedirectsKey, out var follow) is true && !follow
            || response.RequestMessage?.RequestUri is not { IsAbsoluteUri: true } from
            || values.FirstOrDefault() is not { Length: > 0 } location)
        {
            return false;
        }

        // Kiota builds the next URL from the raw header with new Uri(string): an absolute URL, or a
        // path-absolute one joined to the current authority. Anything else would throw inside Kiota.
        var target = location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal)
            ? from.GetLeftPart(UriPartial.Authority) + location
            : location;
        if (!Uri.TryCreate(target, UriKind.Absolute, out var next) || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        return response.RequestMessage.Options.TryGetValue(RedirectHopsKey, out var hops) is false || ++hops.Value <= MaxRedirects;
    }

    /// <summary>Gives each attempt its own redirect count, read by <see cref="ShouldFollow"/> from the request's options.</summary>
    private sealed class RedirectBudgetHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
        {
            request.Options.Set(RedirectHopsKey, new StrongBox<int>(0));
            return base.SendAsync(request, cancellationToken);
        }
    }

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

    // Kiota's default scrubber removes only Authorization, Cookie and Proxy-Authorization on a host
    // change: a provider's API key header would follow the redirect. This one removes every credential header
    // the provider declares (RedactionPolicy).
    private static void ScrubCredentialsOnHostChange(HttpRequestMessage request, Uri originalUri, Func<Uri, Uri?>? proxyResolver)
    {
        RedirectHandlerOption.DefaultScrubSensitiveHeaders(request, originalUri, proxyResolver ?? NoProxy);
        if (request.RequestUri is { } target
            && !string.Equals(target.Host, originalUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            foreach (var name in RedactionPolicy.Of(request).CredentialHeaderNames.Where(request.Headers.Contains))
            {
                request.Headers.Remove(name);
            }
        }
    }
}
