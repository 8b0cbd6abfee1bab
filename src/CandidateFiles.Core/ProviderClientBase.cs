using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;

namespace CandidateFiles;

/// <summary>
/// Base class of every generated provider client (NSwag's <c>clientBaseClass</c>). It owns the
/// behaviour the providers share: the base URL, the request/response hooks NSwag's generated code
/// calls, and turning every error status into the provider's <see cref="ProviderApiException"/>
/// before NSwag's own status handling runs (so an error body under a wrong media type, an HTML page
/// or invalid JSON never surfaces as a parse failure).
/// </summary>
public abstract class ProviderClientBase : IDisposable
{
    private HttpClient? _ownedHttpClient;

    /// <summary>Validates <paramref name="options"/> and keeps them.</summary>
    /// <param name="options">The provider's options.</param>
    /// <exception cref="ArgumentException">A setting is missing or wrong; the message names it.</exception>
    protected ProviderClientBase(ProviderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ClientOptions = options;
    }

    /// <summary>The options this client was created with.</summary>
    protected ProviderClientOptions ClientOptions { get; }

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

    /// <summary>
    /// Called by each provider's Initialize: success bodies are read whole before parsing (see
    /// <see cref="ReadJsonBodyAsync"/>), so a 2xx with invalid or truncated JSON becomes a
    /// <see cref="ProviderApiException"/> carrying a body excerpt instead of a bare parse error. JSON bodies
    /// here are small (one page, one record); file downloads are streams and are not affected.
    /// </summary>
    protected static bool ReadJsonAsText => true;

    /// <summary>
    /// Reads a JSON success body for the generated code (the <c>ReadResponseAsString</c> branch of
    /// <c>ReadObjectResponseAsync</c>, see build/nswag/templates): the body is loaded into memory (a no-op
    /// when the pipeline already buffered it) and parsed from those bytes; it is decoded as text only when
    /// a failure needs it. Results and exceptions are those of reading the text and parsing it with
    /// <c>JsonConvert.DeserializeObject</c> (except that no string is guessed to be a date, see
    /// <see cref="JsonBodySerializer"/>), without holding the body a second time as a string.
    /// </summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="content">The response content.</param>
    /// <param name="settings">The client's serializer settings.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>
    /// The value; the body text when the value is null or the body is not valid JSON (else empty); the
    /// parse error, if any.
    /// </returns>
    protected static async ValueTask<(T? Value, string Text, JsonException? Error)> ReadJsonBodyAsync<T>(HttpContent content, JsonSerializerSettings? settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentType?.CharSet is { } charset && !IsUtf8(charset))
        {
            // A declared non-UTF-8 charset: decode exactly as HttpContent does, then parse the text.
            var text = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var textReader = new StringReader(text);
                using var textJson = new JsonTextReader(textReader);
                var parsed = JsonBodySerializer.For(settings).Deserialize<T>(textJson);
                return (parsed, parsed is null ? text : string.Empty, null);
            }
            catch (JsonException exception)
            {
                return (default, text, exception);
            }
        }

        // Read whole within the cap with one allocation of its size (LoadIntoBufferAsync's buffer doubles and is copied).
        var stream = await BufferedBodyLimitContent.ReadBufferedAsync(content, cancellationToken).ConfigureAwait(false);
        T? value;
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            using var json = new JsonTextReader(reader);
            value = JsonBodySerializer.For(settings).Deserialize<T>(json);
        }
        catch (JsonException exception)
        {
            return (default, await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), exception);
        }

        return value is null
            ? (default, await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), null)
            : (value, string.Empty, null);
    }

    private static bool IsUtf8(string charset)
    {
        var name = charset.Trim('"');
        return name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// One serializer per settings object, made as <c>JsonConvert.DeserializeObject</c> makes its own on every
    /// call (<c>JsonSerializer.CreateDefault</c>, trailing content checked), except that no string is guessed
    /// to be a date; made again if <c>JsonConvert.DefaultSettings</c> is replaced.
    /// </summary>
    private static class JsonBodySerializer
    {
        private static readonly ConditionalWeakTable<JsonSerializerSettings, Entry> BySettings = new();

        public static JsonSerializer For(JsonSerializerSettings? settings)
        {
            var defaults = JsonConvert.DefaultSettings;
            if (settings is null)
            {
                return Create(null);
            }

            if (BySettings.TryGetValue(settings, out var entry) && ReferenceEquals(entry.Defaults, defaults))
            {
                return entry.Serializer;
            }

            entry = new Entry(defaults, Create(settings));
            BySettings.AddOrUpdate(settings, entry);
            return entry.Serializer;
        }

        private static JsonSerializer Create(JsonSerializerSettings? settings)
        {
            // DeserializeObject checks for trailing content unless the settings say otherwise; the clients'
            // settings never set it, so it is always on here.
            var serializer = JsonSerializer.CreateDefault(settings);
            serializer.CheckAdditionalContent = true;

            // No date guessing: a string that looks like a date stays the string the provider sent (an unknown
            // field in AdditionalProperties keeps its text and offset). Properties the spec types as dates are
            // still read as dates, offset kept (DateTimeOffset).
            serializer.DateParseHandling = DateParseHandling.None;
            return serializer;
        }

        private sealed record Entry(Func<JsonSerializerSettings>? Defaults, JsonSerializer Serializer);
    }

    /// <summary>Marks <paramref name="httpClient"/> as created by this client, so it is disposed with it.</summary>
    /// <param name="httpClient">The HTTP client this client created.</param>
    /// <returns>The same HTTP client.</returns>
    protected HttpClient Own(HttpClient httpClient) => _ownedHttpClient = httpClient;

    /// <summary>
    /// The base URL to use: <see cref="ProviderClientOptions.Endpoint"/> when set, else the HTTP
    /// client's <see cref="HttpClient.BaseAddress"/>, else the spec's server.
    /// </summary>
    /// <param name="specServer">The server URL from the provider's spec.</param>
    /// <param name="httpClient">The HTTP client the generated client sends with.</param>
    /// <returns>The base URL.</returns>
    protected string ResolveBaseUrl(string specServer, HttpClient httpClient)
        => ClientOptions.Endpoint?.ToString() ?? httpClient?.BaseAddress?.ToString() ?? specServer;

    /// <summary>
    /// NSwag hook: runs while the URL is still being built. Records when the call started (error bodies are read
    /// only within what is left of the call's Overall limit): an override must call this base method.
    /// </summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="request">The request being prepared.</param>
    /// <param name="urlBuilder">The URL under construction.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A completed task.</returns>
    protected virtual Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, StringBuilder urlBuilder, CancellationToken cancellationToken)
    {
        // The call's start, so reading an error body later stays inside the call's Overall limit.
        request?.Options.Set(CallStartedKey, System.Diagnostics.Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }

    /// <summary>Request option: when the generated code began building the request (a Stopwatch timestamp).</summary>
    private static readonly HttpRequestOptionsKey<long> CallStartedKey = new("CandidateFiles.CallStarted");

    /// <summary>
    /// What is left of <see cref="TimeoutOptions.Overall"/> for the call that sent <paramref name="request"/>;
    /// null when unlimited or unknown.
    /// </summary>
    private TimeSpan? RemainingOverall(HttpRequestMessage? request)
    {
        var overall = CallTimeouts.Apply(ClientOptions.Timeouts).Overall;
        if (overall == Timeout.InfiniteTimeSpan || request?.Options.TryGetValue(CallStartedKey, out var started) != true)
        {
            return null;
        }

        var left = overall - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>NSwag hook: runs just before the request is sent. Providers add their own headers here.</summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="request">The request about to be sent.</param>
    /// <param name="url">The final URL.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A completed task.</returns>
    protected virtual Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
        => Task.CompletedTask;

    /// <summary>
    /// NSwag hook: runs on every response before the generated status checks. Any non-2xx status
    /// is read (up to <see cref="ProviderClientOptions.MaxErrorBodyBytes"/>) and thrown as the
    /// provider's <see cref="ProviderApiException"/>.
    /// </summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the response is accepted.</returns>
    /// <exception cref="ProviderApiException">The status is not a success.</exception>
    protected virtual async Task ProcessResponseAsync(HttpClient client, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
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
        // The configured secrets and every credential the request carried (tokens, keys, emails, file tokens):
        // an error body or header may echo any of them.
        var redactor = Auth.CredentialRedactor.For(ClientOptions.GetSecrets(), Auth.RequestCredentials.Of(response.RequestMessage));
        var info = new ProviderResponseInfo(
            ClientOptions.ProviderName,
            status,
            response.RequestMessage?.Method.Method,
            response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : null,
            redactor.Redact(SafeHeaders.From(response)),
            response.Content?.Headers.ContentType?.MediaType,
            redactor.Redact(body),
            truncated,
            response.RequestMessage?.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var attempts) == true ? attempts : 1)
        {
            Problem = response.RequestMessage?.Options.TryGetValue(RedirectFollower.RefusalKey, out var refusal) == true ? "its redirect was not followed: " + refusal : null,
        };
        throw CreateException(info) ?? throw new InvalidOperationException("CreateException returned null.");
    }

    /// <summary>
    /// Caps what reading <paramref name="response"/>'s body into memory may take: at most
    /// <see cref="ProviderClientOptions.MaxBufferedBodyBytes"/>, within what is left of Overall. A body streamed to
    /// the caller (a download) is not affected.
    /// </summary>
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
                request?.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : "?",
                ProviderTimeoutKind.Overall,
                request?.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var attempt) == true ? attempt : 1,
                request?.Options.TryGetValue(CallStartedKey, out var started) == true ? System.Diagnostics.Stopwatch.GetElapsedTime(started) : CallTimeouts.Apply(ClientOptions.Timeouts).Overall,
                CallTimeouts.Apply(ClientOptions.Timeouts).Overall,
                cause));
    }

    /// <summary>
    /// The provider's exception for a success status whose body the generated code could not use (not JSON,
    /// cut short, the wrong shape, empty where a result was documented): the same type, excerpt and redaction
    /// as an error status, with <paramref name="problem"/> in the message (<see cref="ProviderResponseInfo.Problem"/>).
    /// Called by the generated <c>ReadObjectResponseAsync</c> (build/nswag/templates).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="problem">What was wrong with it, for people (JSON errors are redacted of secrets).</param>
    /// <param name="bodyText">The body text as read, or null.</param>
    /// <returns>The exception to throw.</returns>
    protected ProviderApiException UnusableResponse(HttpResponseMessage response, string problem, string? bodyText)
    {
        ArgumentNullException.ThrowIfNull(response);
        // The same redaction as an error status: a success body may echo a credential the request carried too.
        var redactor = Auth.CredentialRedactor.For(ClientOptions.GetSecrets(), Auth.RequestCredentials.Of(response.RequestMessage));
        var excerpt = ResponseExcerpt.Cut(redactor.Redact(bodyText), out var truncated);
        var info = new ProviderResponseInfo(
            ClientOptions.ProviderName,
            (int)response.StatusCode,
            response.RequestMessage?.Method.Method,
            response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : null,
            redactor.Redact(SafeHeaders.From(response)),
            response.Content?.Headers.ContentType?.MediaType,
            excerpt,
            truncated,
            response.RequestMessage?.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var attempts) == true ? attempts : 1)
        {
            Problem = redactor.Redact(problem),
        };
        return CreateException(info) ?? throw new InvalidOperationException("CreateException returned null.");
    }

    /// <summary>
    /// Builds the provider's exception for a failed response: parse the provider's error body from
    /// <see cref="ProviderResponseInfo.Body"/> (which may be empty, HTML, cut short or not JSON at all)
    /// and map documented codes. Must not throw.
    /// </summary>
    /// <param name="response">The failed response, already made safe.</param>
    /// <returns>The exception to throw.</returns>
    protected abstract ProviderApiException CreateException(ProviderResponseInfo response);

    /// <summary>A one-line description of the status for messages: "440" or "440 (body: ...)".</summary>
    /// <param name="response">The failed response.</param>
    /// <returns>The text.</returns>
    protected static string DescribeFailure(ProviderResponseInfo response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var attempts = response.Attempts > 1 ? $" after {response.Attempts} attempts" : string.Empty;
        var problem = response.Problem is null ? string.Empty : ", but " + response.Problem;
        return $"{response.Provider} {response.RequestMethod} {response.RequestPath} answered {response.StatusCode}{attempts}{problem}";
    }
}
