using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
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
/// OAuth 2.0 client-credentials token source: one token request per need (<see cref="CachingTokenProvider"/>),
/// the token kept by its <c>expires_in</c>. A failed request becomes a <see cref="ProviderApiException"/> with
/// the client secret and any issued token redacted in every form.
/// </summary>
internal sealed class ClientCredentialsTokenProvider : CachingTokenProvider
{
    // A longer token response is refused.
    private const int MaxTokenResponseBytes = 64 * 1024;
    private const string TokenOperation = "RequestAccessToken";

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    private readonly HttpClient _tokenClient;
    private readonly Uri _tokenEndpoint;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly string? _scope;
    private readonly ClientCredentialStyle _style;

    /// <summary>
    /// Creates the source; the issued token may go to <paramref name="allowedHosts"/> (the API, not the token host), and
    /// token requests go through <paramref name="tokenHttpClient"/> (not disposed here), a provider pipeline.
    /// </summary>
    public ClientCredentialsTokenProvider(Uri tokenEndpoint, string clientId, string clientSecret, string? scope, ClientCredentialStyle style, IEnumerable<string> allowedHosts, HttpClient tokenHttpClient, TimeProvider? timeProvider = null)
        : base(allowedHosts, timeProvider)
    {
        _tokenEndpoint = tokenEndpoint ?? throw new ArgumentNullException(nameof(tokenEndpoint));
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        (_clientId, _clientSecret, _scope, _style) = (clientId, clientSecret, scope, style);
        _tokenClient = tokenHttpClient ?? throw new ArgumentNullException(nameof(tokenHttpClient));
    }

    /// <summary>
    /// How long a token lives by its <c>expires_in</c>: seconds as a number or a numeric string, capped at a year.
    /// Missing or null: five minutes (a short life rather than caching forever). Zero, negative or unreadable
    /// (<c>"soon"</c>, an object): no life, so the token serves the calls that waited for it and no other.
    /// </summary>
    private static TimeSpan Lifetime(JToken? expiresIn)
    {
        var seconds = expiresIn?.Type switch
        {
            null or JTokenType.Null or JTokenType.Undefined => DefaultLifetime.TotalSeconds,
            JTokenType.Integer or JTokenType.Float => expiresIn.Value<double>(),
            JTokenType.String when double.TryParse(expiresIn.Value<string>(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        };
        return double.IsNaN(seconds) ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxLifetime.TotalSeconds));
    }

    /// <inheritdoc />
    protected override async Task<(string Token, DateTimeOffset? ExpiresAt)> FetchAsync(Uri uri, bool previousRejected, CancellationToken cancellationToken)
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
        // repeated like a GET), logging and a span; it carries the client secret, so it never follows a redirect.
        request.Options.Set(ProviderHttpPipeline.OperationKey, TokenOperation);
        request.Options.Set(ProviderHttpPipeline.FollowRedirectsKey, false);
        request.Options.Set(ProviderHttpPipeline.RepeatableKey, true);
        var requestedAt = Time.GetUtcNow();
        using var response = await _tokenClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var (body, truncated) = await ResponseExcerpt.ReadAsync(response.Content, MaxTokenResponseBytes, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(request, response, body, truncated, $"answered {(int)response.StatusCode}");
        }

        var json = truncated ? null : ParseJson(body) as JObject;
        var token = json?["access_token"] is { Type: JTokenType.String } value ? value.Value<string>() : null;
        if (string.IsNullOrWhiteSpace(token))
        {
            // A success answer that cannot be used may still carry a freshly issued token in some shape (nested, cut,
            // not a string): its body is measured, never excerpted.
            var what = truncated ? $"sent a response longer than {MaxTokenResponseBytes / 1024} KiB" : "sent no access_token string in a JSON object";
            throw Failure(request, response, body: null, truncated, $"{what} ({Encoding.UTF8.GetByteCount(body ?? string.Empty)} bytes, not kept: they may hold an issued token)");
        }

        return (token, requestedAt + Lifetime(json!["expires_in"]));
    }

    // Lenient: the body may be cut or invalid JSON (a JSON string's escapes, for the issued-token redaction).
    private static JToken? ParseJson(string? text)
    {
        try
        {
            return JToken.Parse(text ?? string.Empty);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private string BasicCredentials()
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(_clientId) + ":" + Uri.EscapeDataString(_clientSecret)));

    private ProviderApiException Failure(HttpRequestMessage request, HttpResponseMessage response, string? body, bool truncated, string what)
    {
        // Whatever the endpoint echoed (the form, the Basic header) and whatever it issued (an access token in an
        // error body) is redacted in every form; an issued token is read leniently, as the body may be cut or invalid.
        var issued = IssuedTokenPattern.Matches(body ?? string.Empty).Cast<Match>().Select(m => m.Groups["value"].Value).ToList();
        var info = ProviderResponseInfo.Of(
            "OAuth token endpoint " + _tokenEndpoint.Host,
            (int)response.StatusCode,
            request,
            new ResponseHeaderDictionary(response),
            response.Content?.Headers.ContentType?.MediaType,
            body,
            truncated,
            cut: true,
            secrets: [_clientSecret, _clientId, BasicCredentials(), .. issued, .. issued.Select(t => ParseJson('"' + t + '"')?.Value<string>()).OfType<string>()]);
        return new ProviderApiException(
            $"The token request to {_tokenEndpoint.GetLeftPart(UriPartial.Path)} failed: the endpoint {what}. Check the client id, secret and scope.",
            info,
            providerErrorCode: null,
            providerMessage: null,
            innerException: null);
    }

    private static readonly Regex IssuedTokenPattern = new("\"[A-Za-z_]*token\"\\s*:\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)", RegexOptions.IgnoreCase);
}
