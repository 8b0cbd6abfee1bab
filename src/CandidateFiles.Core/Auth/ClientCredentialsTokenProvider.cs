using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions.Authentication;
using Newtonsoft.Json.Linq;

namespace CandidateFiles.Auth;

/// <summary>How the client id and secret travel to the token endpoint.</summary>
public enum ClientCredentialStyle
{
    /// <summary>As <c>client_id</c> and <c>client_secret</c> form fields (the common form).</summary>
    FormBody,

    /// <summary>As an HTTP Basic <c>Authorization</c> header (RFC 6749 section 2.3.1).</summary>
    BasicAuthorizationHeader,
}

/// <summary>
/// OAuth 2.0 client-credentials token source for Kiota's <see cref="IAccessTokenProvider"/>.
/// The token is cached until shortly before <c>expires_in</c>; however many calls run at once, only
/// one token request is in flight; a token rejected with 401 is dropped and fetched anew.
/// </summary>
internal sealed partial class ClientCredentialsTokenProvider : IAccessTokenProvider, IRejectableTokenSource, IDisposable
{
    /// <summary>How long before expiry a cached token is replaced.</summary>
    public static readonly TimeSpan RefreshBeforeExpiry = TokenCache.RefreshBeforeExpiry;

    private readonly HttpClient _tokenClient;
    private readonly bool _ownsTokenClient;
    private readonly Uri _tokenEndpoint;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly string? _scope;
    private readonly ClientCredentialStyle _style;
    private readonly TimeProvider _time;
    private readonly TokenCache _cache;

    /// <summary>Creates the token source.</summary>
    /// <param name="tokenEndpoint">The OAuth token URL.</param>
    /// <param name="clientId">Client id.</param>
    /// <param name="clientSecret">Client secret.</param>
    /// <param name="scope">Scope to request, or null.</param>
    /// <param name="style">How the credentials are sent.</param>
    /// <param name="allowedHosts">Hosts the token may be sent to (the API host, not the token host).</param>
    /// <param name="tokenHttpClient">HTTP client for token requests; null creates (and owns) one.</param>
    /// <param name="timeProvider">Clock, for tests; null uses the system clock.</param>
    public ClientCredentialsTokenProvider(
        Uri tokenEndpoint,
        string clientId,
        string clientSecret,
        string? scope,
        ClientCredentialStyle style,
        IEnumerable<string> allowedHosts,
        HttpClient? tokenHttpClient = null,
        TimeProvider? timeProvider = null)
    {
        _tokenEndpoint = tokenEndpoint ?? throw new ArgumentNullException(nameof(tokenEndpoint));
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        _clientId = clientId;
        _clientSecret = clientSecret;
        _scope = scope;
        _style = style;
        AllowedHostsValidator = new AllowedHostsValidator(allowedHosts);
        _ownsTokenClient = tokenHttpClient is null;
        _tokenClient = tokenHttpClient ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        _time = timeProvider ?? TimeProvider.System;
        _cache = new TokenCache(_time);
    }

    /// <inheritdoc />
    public AllowedHostsValidator AllowedHostsValidator { get; }

    /// <summary>Number of token requests sent so far (diagnostics).</summary>
    public int TokenRequestCount => Volatile.Read(ref _tokenRequests);

    private int _tokenRequests;

    /// <inheritdoc />
    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        // A fresh cached token comes back as one completed task kept with it: nothing is allocated per call.
        var rejection = TokenCache.RejectionIn(additionalAuthenticationContext);
        return _cache.TryGetFresh(rejection) ?? _cache.GetAsync(rejection, RequestTokenAsync, cancellationToken);
    }

    /// <inheritdoc />
    void IRejectableTokenSource.Reject(string token) => _cache.Invalidate(token);

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.Dispose();
        if (_ownsTokenClient)
        {
            _tokenClient.Dispose();
        }
    }

    private async Task<(string Token, DateTimeOffset? ExpiresAt)> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrEmpty(_scope))
        {
            form.Add(new("scope", _scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint);
        if (_style == ClientCredentialStyle.BasicAuthorizationHeader)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials());
        }
        else
        {
            form.Add(new("client_id", _clientId));
            form.Add(new("client_secret", _clientSecret));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // Through a provider pipeline this request gets retries (asking for a token twice is harmless, so it is
        // repeated like a GET), logging and a span like any call; it carries the client secret, so it never
        // follows a redirect anywhere.
        request.Options.Set(ProviderHttpPipeline.OperationKey, TokenOperation);
        request.Options.Set(ProviderHttpPipeline.FollowRedirectsKey, false);
        request.Options.Set(ProviderHttpPipeline.RepeatableKey, true);
        Interlocked.Increment(ref _tokenRequests);
        var requestedAt = _time.GetUtcNow();
        using var response = await _tokenClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var (body, truncated) = await ResponseExcerpt.ReadAsync(response.Content, MaxTokenResponseBytes, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, body, truncated, $"answered {(int)response.StatusCode}");
        }

        if (truncated)
        {
            throw Failure(response, body: null, truncated, $"sent a response longer than {MaxTokenResponseBytes / 1024} KiB");
        }

        string? token = null;
        JToken? expiresIn = null;
        try
        {
            if (JToken.Parse(body ?? string.Empty) is JObject json)
            {
                token = json["access_token"]?.Type == JTokenType.String ? json.Value<string>("access_token") : null;
                expiresIn = json["expires_in"];
            }
        }
        catch (Newtonsoft.Json.JsonException)
        {
            token = null;
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            // A success answer that cannot be used may still carry a freshly issued token in some shape (nested,
            // cut, not a string): its body is described, never excerpted.
            throw Failure(response, body: null, truncated, $"sent no access_token string in a JSON object ({DescribeBody(body)})");
        }

        return (token, requestedAt + Lifetime(expiresIn));
    }

    /// <summary>
    /// How long a token lives by its <c>expires_in</c>: seconds as a number or a numeric string, capped at a
    /// year. Missing or null: five minutes (a short life rather than caching forever). Zero, negative or
    /// unreadable (<c>"soon"</c>, an object): no life at all, so the token serves the calls waiting for this
    /// request and the next need asks again.
    /// </summary>
    internal static TimeSpan Lifetime(JToken? expiresIn)
    {
        double seconds;
        switch (expiresIn?.Type)
        {
            case null or JTokenType.Null or JTokenType.Undefined:
                return DefaultLifetime;
            case JTokenType.Integer or JTokenType.Float:
                seconds = expiresIn.Value<double>();
                break;
            case JTokenType.String when double.TryParse(expiresIn.Value<string>(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed):
                seconds = parsed;
                break;
            default:
                return TimeSpan.Zero;
        }

        return double.IsFinite(seconds) || double.IsPositiveInfinity(seconds)
            ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxLifetime.TotalSeconds))
            : TimeSpan.Zero;
    }

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    /// <summary>Most bytes of a token response read; a longer one is refused.</summary>
    internal const int MaxTokenResponseBytes = 64 * 1024;

    /// <summary>The operation name of the token request in telemetry.</summary>
    internal const string TokenOperation = "RequestAccessToken";

    private static string DescribeBody(string? body)
    {
        var text = body?.TrimStart() ?? string.Empty;
        var shape = text.Length == 0 ? "no body"
            : text[0] == '{' ? "a JSON object without a usable access_token, or invalid JSON"
            : text[0] == '[' ? "a JSON array"
            : text[0] == '<' ? "markup, not JSON"
            : "text that is not JSON";
        return $"{shape}; {System.Text.Encoding.UTF8.GetByteCount(body ?? string.Empty)} bytes, body not kept: it may hold an issued token";
    }

    private string BasicCredentials()
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(_clientId) + ":" + Uri.EscapeDataString(_clientSecret)));

    private ProviderApiException Failure(HttpResponseMessage response, string? body, bool truncated, string what)
    {
        // Whatever the endpoint echoed (the form, the Basic header) and whatever it issued (an access token in
        // a body refused for its size or shape) is redacted in every form.
        var redactor = CredentialRedactor.For(
            new[] { _clientSecret, _clientId, BasicCredentials(), Uri.EscapeDataString(_clientSecret) },
            IssuedTokens(body));
        var info = new ProviderResponseInfo(
            "OAuth token endpoint " + _tokenEndpoint.Host,
            (int)response.StatusCode,
            "POST",
            _tokenEndpoint.AbsolutePath,
            redactor.Redact(SafeHeaders.From(response)),
            response.Content?.Headers.ContentType?.MediaType,
            ResponseExcerpt.Cut(redactor.Redact(body), out var cut),
            truncated || cut,
            response.RequestMessage?.Options.TryGetValue(ProviderHttpPipeline.AttemptKey, out var attempts) == true ? attempts : 1);
        return new ProviderApiException(
            $"The token request to {_tokenEndpoint.GetLeftPart(UriPartial.Path)} failed: the endpoint {what}. Check the client id, secret and scope.",
            info,
            providerErrorCode: null,
            providerMessage: null,
            innerException: null);
    }

    /// <summary>Every value the body gives an <c>access_token</c> (or any <c>*token</c> field), read leniently: the body may be cut or invalid.</summary>
    private static IEnumerable<string> IssuedTokens(string? body)
        => body is null
            ? Array.Empty<string>()
            : IssuedTokenPattern().Matches(body).Cast<System.Text.RegularExpressions.Match>().SelectMany(m => new[] { m.Groups["value"].Value, JsonUnescaped(m.Groups["value"].Value) });

    private static string JsonUnescaped(string escaped)
    {
        try
        {
            return JToken.Parse("\"" + escaped + "\"").Value<string>() ?? escaped;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return escaped;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"[A-Za-z_]*token\"\\s*:\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex IssuedTokenPattern();
}
