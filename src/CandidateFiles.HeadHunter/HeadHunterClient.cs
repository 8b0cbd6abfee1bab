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
/// <item>Bearer token from your token source, asked again once when hh.ru answers 403 oauth/token_expired
///   (hh.ru's way of saying 401).</item>
/// <item>Type, description length (255), image type (JPEG/PNG/PSD) and size (6 MiB) are checked before
///   uploading; a part with no media type is labelled from its file name.</item>
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
        return ProviderHttpPipeline.CreateHttpClient(options, CreateProviderHandlers(options), transport);
    }

    /// <summary>This provider's handlers: the caller's bearer token, for the API host only, asked again on token_expired.</summary>
    internal static DelegatingHandler[] CreateProviderHandlers(HeadHunterClientOptions options)
        => new DelegatingHandler[] { options.CreateBearerTokenHandler(DefaultEndpoint, IsTokenRejectedAsync) };

    partial void Initialize()
    {
        BaseUrl = ResolveBaseUrl(BaseUrl, _httpClient);
        ReadResponseAsString = ReadJsonAsText;
    }

    /// <summary>Adds HH-User-Agent, and refuses before sending what hh.ru would reject.</summary>
    /// <inheritdoc />
    protected override async Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(UserAgentHeader);
        request.Headers.TryAddWithoutValidation(UserAgentHeader, Settings.UserAgent);

        // The application also leads User-Agent; the pipeline appends this SDK's product token to it.
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", Settings.UserAgent);

        if (RequestInspection.Is(request, HttpMethod.Post, "/artifacts"))
        {
            var type = await RequestInspection.TextAsync(RequestInspection.Part(request, "type"), cancellationToken).ConfigureAwait(false);
            if (type is not ("photo" or "portfolio"))
            {
                throw InvalidArgument.For("type", "type must be ArtifactType.Photo or ArtifactType.Portfolio.");
            }

            CheckDescription(await RequestInspection.TextAsync(RequestInspection.Part(request, "description"), cancellationToken).ConfigureAwait(false));
            CheckImage(RequestInspection.Part(request, "file"));
        }
        else if (request.Method == HttpMethod.Put)
        {
            CheckDescription(await RequestInspection.FormFieldAsync(request, "description", cancellationToken).ConfigureAwait(false));
        }
    }

    // hh.ru signals an expired user token with 403 {errors:[{type:"oauth",value:"token_expired"}]},
    // not 401: that is the one answer after which asking the token source again can help.
    private static async Task<bool> IsTokenRejectedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            return true;
        }

        if (response.StatusCode != System.Net.HttpStatusCode.Forbidden || response.Content is null)
        {
            return false;
        }

        try
        {
            // Buffered (small, capped) so the body is still there for the error the client builds.
            await response.Content.LoadIntoBufferAsync(64 * 1024, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return body.Contains("token_expired", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void CheckDescription(string? description)
    {
        if (description is { Length: > HeadHunterClientOptions.MaxDescriptionLength })
        {
            throw InvalidArgument.For("description", $"description is {description.Length} characters; hh.ru accepts at most {HeadHunterClientOptions.MaxDescriptionLength}. Shorten it.");
        }
    }

    private void CheckImage(HttpContent? file)
    {
        if (file is null)
        {
            throw InvalidArgument.For("file", "file is missing: pass the image to upload.");
        }

        // A part without a media type is labelled from its file name, since hh.ru judges the format by it.
        if (file.Headers.ContentType is null)
        {
            var inferred = FileContentTypes.FromFileName(file.Headers.ContentDisposition?.FileName?.Trim('"'));
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(inferred);
        }

        var mediaType = file.Headers.ContentType.MediaType;
        if (mediaType is null || !Settings.AcceptedImageTypes.Contains(mediaType))
        {
            throw InvalidArgument.For("file", $"hh.ru accepts {string.Join(", ", Settings.AcceptedImageTypes)} images; this file is {mediaType ?? "of no known type"}. Convert it, or give the right content type.");
        }

        if (file.Headers.ContentLength is { } length && length > Settings.MaxImageBytes)
        {
            throw InvalidArgument.For("file", $"The image is {length} bytes; hh.ru accepts at most {Settings.MaxImageBytes} bytes (HeadHunterClientOptions.MaxImageBytes). Make it smaller.");
        }
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
