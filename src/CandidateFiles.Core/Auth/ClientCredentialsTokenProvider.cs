using System;
using System.Collections.Generic;
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
    /// <summary>As <c>client_id</c> and <c>client_secret</c> form fields (what 104 documents).</summary>
    FormBody,

    /// <summary>As an HTTP Basic <c>Authorization</c> header (RFC 6749 section 2.3.1).</summary>
    BasicAuthorizationHeader,
}

/// <summary>
/// OAuth 2.0 client-credentials token source for Kiota's <see cref="IAccessTokenProvider"/>.
/// The token is cached until shortly before <c>expires_in</c>; however many calls run at once, only
/// one token request is in flight; a token rejected with 401 is dropped and fetched anew.
/// </summary>
public sealed class ClientCredentialsTokenProvider : IAccessTokenProvider, IDisposable
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
        var rejected = additionalAuthenticationContext?.ContainsKey(BearerTokenHandler.PreviousTokenRejectedKey) == true;
        return _cache.TryGetFresh(rejected) ?? _cache.GetAsync(rejected, RequestTokenAsync, cancellationToken);
    }

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
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(_clientId) + ":" + Uri.EscapeDataString(_clientSecret)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
        else
        {
            form.Add(new("client_id", _clientId));
            form.Add(new("client_secret", _clientSecret));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Interlocked.Increment(ref _tokenRequests);
        var requestedAt = _time.GetUtcNow();
        using var response = await _tokenClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var (body, truncated) = await ResponseExcerpt.ReadAsync(response.Content, 64 * 1024, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, body, truncated, $"answered {(int)response.StatusCode}");
        }

        string? token = null;
        long? expiresIn = null;
        try
        {
            if (!truncated && JToken.Parse(body ?? string.Empty) is JObject json)
            {
                token = json.Value<string>("access_token");
                expiresIn = json["expires_in"]?.Type is JTokenType.Integer or JTokenType.Float or JTokenType.String
                    ? (long?)json.Value<double>("expires_in")
                    : null;
            }
        }
        catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or FormatException or InvalidCastException or OverflowException)
        {
            token = null;
        }

        if (string.IsNullOrEmpty(token))
        {
            throw Failure(response, body, truncated, "sent no access_token in a JSON body");
        }

        // No expires_in: assume a short life rather than caching forever.
        var lifetime = TimeSpan.FromSeconds(Math.Clamp(expiresIn ?? 300, 0, 60L * 60 * 24 * 365));
        return (token, requestedAt + lifetime);
    }

    private ProviderApiException Failure(HttpResponseMessage response, string? body, bool truncated, string what)
    {
        var info = new ProviderResponseInfo(
            "OAuth token endpoint " + _tokenEndpoint.Host,
            (int)response.StatusCode,
            "POST",
            _tokenEndpoint.AbsolutePath,
            SafeHeaders.From(response),
            response.Content?.Headers.ContentType?.MediaType,
            ResponseExcerpt.Redact(ResponseExcerpt.Cut(body, out var cut), new[] { _clientSecret, _clientId }),
            truncated || cut);
        return new ProviderApiException(
            $"The token request to {_tokenEndpoint.GetLeftPart(UriPartial.Path)} failed: the endpoint {what}. Check the client id, secret and scope.",
            info,
            providerErrorCode: null,
            providerMessage: null,
            innerException: null);
    }
}
