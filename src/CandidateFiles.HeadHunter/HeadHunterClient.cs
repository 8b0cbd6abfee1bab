using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace CandidateFiles.HeadHunter;

/// <summary>
/// Client for hh.ru (HeadHunter) resume artifacts: photos and portfolio images. The hh.ru quirks the
/// SDK handles live in this file:
/// <list type="bullet">
/// <item>Every request needs the application's <c>HH-User-Agent</c> ("AppName/1.0 (contact)"): required in
///   options (checked at construction) and added here to every call.</item>
/// <item>Errors are <c>{errors: [{type, value}], request_id}</c>; every documented type/value pair maps to
///   <see cref="HeadHunterErrorKind"/>.</item>
/// <item>Bearer token from your token source, asked again once on 401.</item>
/// </list>
/// </summary>
public partial class HeadHunterClient
{
    /// <summary>Production base URL (the spec's server).</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.hh.ru/");

    private const string UserAgentHeader = "HH-User-Agent";

    /// <summary>Creates a client with its own HTTP pipeline. Create one and reuse it.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentException">A setting is missing or wrong; the message names it.</exception>
    public HeadHunterClient(HeadHunterClientOptions options)
        : this(options, CreateHttpClient(options))
    {
        Own(_httpClient);
    }

    private HeadHunterClientOptions Settings => (HeadHunterClientOptions)ClientOptions;

    /// <summary>Creates the HTTP client this provider needs (bearer token for the API host only, user agent, redirects).</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="transport">Innermost handler; null creates one.</param>
    /// <returns>The HTTP client.</returns>
    public static HttpClient CreateHttpClient(HeadHunterClientOptions options, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ProviderHttpPipeline.CreateHttpClient(new DelegatingHandler[] { options.CreateBearerTokenHandler(DefaultEndpoint) }, transport);
    }

    partial void Initialize() => BaseUrl = ResolveBaseUrl(BaseUrl, _httpClient);

    /// <inheritdoc />
    protected override Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(UserAgentHeader);
        request.Headers.TryAddWithoutValidation(UserAgentHeader, Settings.UserAgent);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override ProviderApiException CreateException(ProviderResponseInfo response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var json = ProviderErrorBody.TryParseObject(response.Body);
        var errors = (json?["errors"] as JArray ?? new JArray())
            .OfType<JObject>()
            .Select(e => (Type: ProviderErrorBody.Text(e, "type"), Value: ProviderErrorBody.Text(e, "value")))
            .Where(e => e.Type is not null)
            .Select(e => new HeadHunterError(e.Type!, e.Value))
            .ToArray();
        var kind = Classify(response.StatusCode, errors.FirstOrDefault());
        var advice = kind switch
        {
            HeadHunterErrorKind.BadUserAgent => " hh.ru rejected the application's user agent: check HeadHunterClientOptions.UserAgent (\"AppName/1.0 (contact)\").",
            HeadHunterErrorKind.TokenExpired => " The user's access token expired: refresh it.",
            HeadHunterErrorKind.BadAuthorization or HeadHunterErrorKind.TokenRevoked => " The user's access token is not valid: authorize again.",
            HeadHunterErrorKind.Forbidden => " The current user is not an applicant (or may not do this).",
            HeadHunterErrorKind.LimitExceeded => " Too many artifacts: delete some before uploading more.",
            HeadHunterErrorKind.ImageTooLarge => " The image is too large (hh.ru's limit is 6 MiB).",
            HeadHunterErrorKind.UnknownFormat => " The file format is not accepted (use JPEG, PNG or PSD).",
            HeadHunterErrorKind.NotFound => " The artifact does not exist or belongs to another user.",
            _ => string.Empty,
        };
        var detail = errors.Length == 0 ? string.Empty : " (" + string.Join(", ", errors.Select(e => e.ToString())) + ")";
        return new HeadHunterApiException($"{DescribeFailure(response)}{detail}.{advice}", response, kind, errors, ProviderErrorBody.Text(json, "request_id"));
    }

    private static HeadHunterErrorKind Classify(int status, HeadHunterError? first) => (first?.Type, first?.Value) switch
    {
        ("bad_user_agent", _) => HeadHunterErrorKind.BadUserAgent,
        ("oauth", "bad_authorization") => HeadHunterErrorKind.BadAuthorization,
        ("oauth", "token_expired") => HeadHunterErrorKind.TokenExpired,
        ("oauth", "token_revoked") => HeadHunterErrorKind.TokenRevoked,
        ("oauth", "application_not_found") => HeadHunterErrorKind.ApplicationNotFound,
        ("forbidden", _) => HeadHunterErrorKind.Forbidden,
        ("bad_argument", _) => HeadHunterErrorKind.BadArgument,
        ("artifacts", "limit_exceeded") => HeadHunterErrorKind.LimitExceeded,
        ("artifacts", "image_too_large") => HeadHunterErrorKind.ImageTooLarge,
        ("artifacts", "unknown_format") => HeadHunterErrorKind.UnknownFormat,
        _ => status switch
        {
            403 => HeadHunterErrorKind.Forbidden,
            404 => HeadHunterErrorKind.NotFound,
            413 => HeadHunterErrorKind.ImageTooLarge,
            _ => HeadHunterErrorKind.Other,
        },
    };
}
