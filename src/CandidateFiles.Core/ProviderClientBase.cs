using System.Diagnostics;
using System.Text;
using Newtonsoft.Json;

namespace CandidateFiles;

/// <summary>
/// Base class of every generated provider client: disposal, and turning every error status (and every success
/// body the client cannot use) into the provider's <see cref="ProviderApiException"/> before NSwag's own status
/// handling runs, so an error body under a wrong media type, an HTML page or invalid JSON never surfaces as a
/// parse failure. Only the provider packages derive from it, through <see cref="ProviderClientBase{TOptions}"/>
/// (its hooks are not visible outside them).
/// </summary>
public abstract class ProviderClientBase : IDisposable
{
    private static readonly HttpRequestOptionsKey<long> CallStartedKey = new("CandidateFiles.CallStarted");
    private HttpClient? _ownedHttpClient;

    /// <summary>Validates <paramref name="options"/> and keeps them.</summary>
    /// <param name="options">The provider's options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is missing or wrong; the message names it.</exception>
    protected ProviderClientBase(ProviderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ClientOptions = options;
    }

    private protected ProviderClientOptions ClientOptions { get; }

    /// <summary>Disposes the HTTP client when this client created it; an injected one is left alone.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes owned resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _ownedHttpClient, null)?.Dispose();
        }
    }

    private protected HttpClient Own(HttpClient httpClient) => _ownedHttpClient = httpClient;

    // Endpoint wins over an injected client's BaseAddress, which wins over the spec's server.
    private protected string ResolveBaseUrl(string specServer, HttpClient? httpClient)
        => ClientOptions.Endpoint?.ToString() ?? httpClient?.BaseAddress?.ToString() ?? specServer;

    // NSwag hook, deliberately not virtual: the call's start must be recorded (an error body is read only within
    // what is left of the Overall limit), so providers change the URL in PrepareUrl instead.
    private protected Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, StringBuilder urlBuilder, CancellationToken cancellationToken)
    {
        request.Options.Set(CallStartedKey, Stopwatch.GetTimestamp());
        PrepareUrl(request, urlBuilder);
        return Task.CompletedTask;
    }

    /// <summary>Lets a provider add to the URL while it is built (for example query parameters every call carries).</summary>
    private protected virtual void PrepareUrl(HttpRequestMessage request, StringBuilder urlBuilder)
    {
    }

    /// <summary>NSwag hook, just before sending: providers add their own headers and checks here.</summary>
    private protected virtual Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
        => Task.CompletedTask;

    /// <summary>
    /// NSwag hook on every response before the generated status checks: a non-2xx status is read (up to
    /// <see cref="ProviderClientOptions.MaxErrorBodyBytes"/>) and thrown as the provider's exception.
    /// </summary>
    private protected virtual async Task ProcessResponseAsync(HttpClient client, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            ProviderResponseCapture.Record(status);
            if (status == 206 && response.RequestMessage?.Headers.Range is null)
            {
                // Part of a file, to a request that asked for the whole: saved, it would look complete.
                throw UnusableResponse(response, "206 Partial Content answers a request that asked for no range: the body is only part of the file", null);
            }

            LimitBufferedBody(response);
            return;
        }

        // A body dripped byte by byte must not keep the call past its Overall limit: what arrived in time is the excerpt.
        using var readLimit = RemainingOverall(response.RequestMessage) is { } left ? new CancellationTokenSource(left) : null;
        var (body, truncated) = await ResponseExcerpt.ReadAsync(response.Content, ClientOptions.MaxErrorBodyBytes, cancellationToken, readLimit?.Token ?? default).ConfigureAwait(false);
        var problem = response.RequestMessage?.Options.TryGetValue(RedirectFollower.RefusalKey, out var refusal) == true ? "its redirect was not followed: " + refusal : null;
        throw CreateException(Describe(response, body, truncated, problem, cut: false));
    }

    /// <summary>
    /// The provider's exception for a success status whose body the generated code could not use (not JSON, cut
    /// short, the wrong shape, empty where a result was documented), with <paramref name="problem"/> in the message.
    /// Called by the generated <c>ReadObjectResponseAsync</c> (build/nswag/templates).
    /// </summary>
    private protected ProviderApiException UnusableResponse(HttpResponseMessage response, string problem, string? bodyText)
        => CreateException(Describe(response, bodyText, truncated: false, problem, cut: true));

    /// <summary>
    /// Builds the provider's exception: parses the provider's error body from <see cref="ProviderResponseInfo.Body"/>
    /// (which may be empty, HTML, cut short or not JSON at all) and maps documented codes. Must not throw.
    /// </summary>
    private protected abstract ProviderApiException CreateException(ProviderResponseInfo response);

    /// <summary>"{Provider} GET /files/photo answered 403 after 2 attempts, but ...": the start of every message.</summary>
    private protected static string DescribeFailure(ProviderResponseInfo response)
    {
        var attempts = response.Attempts > 1 ? $" after {response.Attempts} attempts" : string.Empty;
        var problem = response.Problem is null ? string.Empty : ", but " + response.Problem;
        return $"{response.Provider} {response.RequestMethod} {response.RequestPath} answered {response.StatusCode}{attempts}{problem}";
    }

    private ProviderResponseInfo Describe(HttpResponseMessage response, string? body, bool truncated, string? problem, bool cut)
        => ProviderResponseInfo.Of(
            ClientOptions.ProviderName,
            (int)response.StatusCode,
            response.RequestMessage,
            new ResponseHeaderDictionary(response),
            response.Content?.Headers.ContentType?.MediaType,
            body,
            truncated,
            cut,
            problem,
            ClientOptions.GetSecrets());

    private TimeSpan OverallLimit => CallTimeouts.Apply(ClientOptions.Timeouts).Overall;

    private static TimeSpan? SinceCallStarted(HttpRequestMessage? request)
        => request?.Options.TryGetValue(CallStartedKey, out var started) == true ? Stopwatch.GetElapsedTime(started) : null;

    // What is left of the Overall limit for the call that sent the request; null when unlimited or unknown.
    private TimeSpan? RemainingOverall(HttpRequestMessage? request)
        => OverallLimit == Timeout.InfiniteTimeSpan || SinceCallStarted(request) is not { } elapsed
            ? null
            : elapsed < OverallLimit ? OverallLimit - elapsed : TimeSpan.Zero;

    // Reading a success body into memory takes at most MaxBufferedBodyBytes, within what is left of Overall.
    // A body streamed to the caller (a download) is not affected.
    private void LimitBufferedBody(HttpResponseMessage response)
    {
        if (response.Content is null or BufferedBodyLimitContent)
        {
            return;
        }

        var request = response.RequestMessage;
        response.Content = new BufferedBodyLimitContent(
            response.Content,
            ClientOptions.MaxBufferedBodyBytes,
            RemainingOverall(request),
            cap => UnusableResponse(response, $"its body is larger than the {cap} bytes the client reads into memory (MaxBufferedBodyBytes)", null),
            cause => new ProviderTimeoutException(
                ClientOptions.ProviderName,
                request?.Method.Method ?? "?",
                ProviderResponseInfo.PathOf(request) ?? "?",
                ProviderTimeoutKind.Overall,
                ProviderHttpPipeline.AttemptOf(request),
                SinceCallStarted(request) ?? OverallLimit,
                OverallLimit,
                cause));
    }

    // One serializer per client class's settings, made once and shared by its calls (Json.NET's serializer is safe for
    // concurrent use while its settings do not change), instead of a new serializer with its own settings per call.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonSerializerSettings, JsonSerializer> Serializers = new();
    private static readonly JsonSerializerSettings DefaultSettings = new();

    // As JsonConvert.DeserializeObject reads (trailing content checked), except that no string is guessed to be a
    // date: an unknown field keeps the text the provider sent; properties typed as dates still read as dates.
    private static JsonSerializer CreateSerializer(JsonSerializerSettings settings)
    {
        var serializer = JsonSerializer.CreateDefault(settings);
        serializer.CheckAdditionalContent = true;
        serializer.DateParseHandling = DateParseHandling.None;
        return serializer;
    }

    /// <summary>
    /// Reads every JSON success body for the generated <c>ReadObjectResponseAsync</c>. The text is decoded only when
    /// the value is null or the JSON invalid, for the excerpt of the provider's exception (not a bare parse error).
    /// </summary>
    private protected static async ValueTask<(T? Value, string Text, JsonException? Error)> ReadJsonBodyAsync<T>(HttpContent content, JsonSerializerSettings? settings, CancellationToken cancellationToken)
    {
        // Read whole within the cap with one allocation of its size (LoadIntoBufferAsync's buffer doubles and is copied).
        var body = await BufferedBodyLimitContent.ReadBufferedAsync(content, cancellationToken).ConfigureAwait(false);
        var charset = content.Headers.ContentType?.CharSet?.Trim('"');
        try
        {
            using TextReader reader = charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
                ? new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true)
                : new StringReader(await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            using var json = new JsonTextReader(reader);

            var value = Serializers.GetValue(settings ?? DefaultSettings, CreateSerializer).Deserialize<T>(json);
            return value is null ? (default, await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), null) : (value, string.Empty, null);
        }
        catch (JsonException exception)
        {
            return (default, await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), exception);
        }
    }
}

/// <summary>
/// The base of a provider's generated client: validates <typeparamref name="TOptions"/> once per construction,
/// builds the SDK's HTTP pipeline when the client creates its own, and resolves the base URL. The provider's
/// partial class keeps only its quirks.
/// </summary>
/// <typeparam name="TOptions">The provider's options class.</typeparam>
public abstract class ProviderClientBase<TOptions> : ProviderClientBase
    where TOptions : ProviderClientOptions
{
    /// <summary>Validates <paramref name="options"/> and keeps them.</summary>
    /// <param name="options">The provider's options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is missing or wrong; the message names it.</exception>
    protected ProviderClientBase(TOptions options)
        : base(options)
    {
        Settings = options;
    }

    private protected TOptions Settings { get; }

    // For the constructor that creates its own HTTP client. It passes null to the generated constructor and builds the
    // pipeline in its body, after this base validated the options: building it first would validate them twice.
    private protected HttpClient OwnPipeline(IEnumerable<DelegatingHandler> providerHandlers)
        => Own(ProviderHttpPipeline.CreateHttpClient(Settings, providerHandlers));

    // For each provider's public CreateHttpClient: validates, then builds the pipeline over the provider's handlers.
    private protected static HttpClient CreatePipeline(TOptions options, HttpMessageHandler? transport, Func<TOptions, HttpMessageHandler?, IEnumerable<DelegatingHandler>> providerHandlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ProviderHttpPipeline.CreateHttpClient(options, providerHandlers(options, transport), transport);
    }
}
