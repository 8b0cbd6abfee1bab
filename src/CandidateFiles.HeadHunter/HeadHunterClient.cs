using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace CandidateFiles.HeadHunter;

/// <summary>
/// Client for hh.ru (HeadHunter) resume artifacts: photos and portfolio images, as hh.ru's official OpenAPI
/// (api.hh.ru/openapi) and its error reference describe them. The hh.ru quirks the SDK handles live in this
/// file and its partials:
/// <list type="bullet">
/// <item>Every request needs the application's <c>HH-User-Agent</c> ("AppName/1.0 (contact)"): required in
///   options (checked at construction) and added here to every call.</item>
/// <item><c>locale</c> and <c>host</c> go on every call's query, from <see cref="HeadHunterClientOptions.Locale"/>
///   and <see cref="HeadHunterClientOptions.Host"/>.</item>
/// <item>Errors are <c>{request_id, description?, errors: [{type, value, reason?, pointer?, captcha_url?, ...}]}</c>,
///   and a 5xx may come without JSON; every documented pair and status maps to <see cref="HeadHunterErrorKind"/>
///   with advice.</item>
/// <item>Bearer token from your token source, asked again once when hh.ru answers 403 oauth/token_expired
///   (hh.ru's way of saying 401).</item>
/// <item>Uploads and description edits are checked before the request exists against the type's upload conditions
///   (<see cref="GetUploadConditionsAsync"/>: size, media type, description length, how many more may be
///   uploaded); a part with no media type is labelled from its file name.</item>
/// </list>
/// </summary>
public partial class HeadHunterClient
{
    /// <summary>Production base URL (the spec's server).</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.hh.ru/");

    private const string UserAgentHeader = "HH-User-Agent";

    /// <summary>This provider's handlers: the caller's bearer token, for the API host only, asked again on token_expired; <paramref name="transport"/> is not used, as they send no request of their own.</summary>
    internal static DelegatingHandler[] CreateProviderHandlers(HeadHunterClientOptions options, HttpMessageHandler? transport)
        => new DelegatingHandler[] { options.CreateBearerTokenHandler(DefaultEndpoint, IsTokenRejectedAsync) };

    /// <summary>
    /// Adds <c>locale</c> and <c>host</c> from the options to every call's query.
    /// </summary>
    /// <remarks>
    /// hh.ru's OpenAPI puts both on every operation. They are excluded from the generated signatures
    /// (build/nswag/client.nswag, as HH-User-Agent is) and taken from <see cref="HeadHunterClientOptions.Locale"/>
    /// and <see cref="HeadHunterClientOptions.Host"/>: they describe the application's site and language, not
    /// one call, so seven methods do not each grow two parameters that every caller would pass the same way,
    /// and the site is validated once, when the client is built. An application serving several sites
    /// registers one named client per site.
    /// </remarks>
    private protected override void PrepareUrl(HttpRequestMessage request, StringBuilder urlBuilder)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(urlBuilder);
        urlBuilder.Append(urlBuilder.ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?')
            .Append("locale=").Append(Uri.EscapeDataString(Settings.Locale))
            .Append("&host=").Append(Uri.EscapeDataString(Settings.Host));
    }

    /// <summary>
    /// Adds HH-User-Agent. On an upload, labels an image part that has no media type from its file name (hh.ru
    /// judges the format by it) and notes the upload's type, so that the kept counters go up once hh.ru accepted it.
    /// The arguments were checked before the request was built (HeadHunterClient.Arguments.cs).
    /// </summary>
    private protected override async Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(UserAgentHeader);
        request.Headers.TryAddWithoutValidation(UserAgentHeader, Settings.UserAgent);

        // The application also leads User-Agent; the pipeline appends this SDK's product token to it.
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", Settings.UserAgent);

        if (ProviderHttpPipeline.OperationOf(request) == UploadOperation && request.Content is MultipartFormDataContent upload)
        {
            foreach (var part in upload)
            {
                var disposition = part.Headers.ContentDisposition;
                if (disposition?.FileName is { } fileName && part.Headers.ContentType is null)
                {
                    part.Headers.ContentType = new MediaTypeHeaderValue(FileContentTypes.FromFileName(fileName.Trim('"')));
                }
                else if (disposition?.Name?.Trim('"') == "type")
                {
                    request.Options.Set(UploadTypeKey, await part.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                }
            }
        }
    }

    private static readonly HttpRequestOptionsKey<string> UploadTypeKey = new("CandidateFiles.HeadHunter.UploadType");

    // The generated code's name for specs/headhunter.yaml's uploadArtifact (ProviderHttpPipeline.OperationKey).
    private const string UploadOperation = "UploadArtifact";

    // Keeps the cached upload counters in step with what this client uploads and deletes.
    private protected override async Task ProcessResponseAsync(HttpClient client, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await base.ProcessResponseAsync(client, response, cancellationToken).ConfigureAwait(false);
        var request = response.RequestMessage;
        if (request is null)
        {
            return;
        }

        if (request.Method == HttpMethod.Delete)
        {
            ForgetConditions();
        }
        else if (request.Options.TryGetValue(UploadTypeKey, out var uploaded))
        {
            CountUpload(uploaded == "photo" ? ArtifactType.Photo : ArtifactType.Portfolio);
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

    private protected override ProviderApiException CreateException(ProviderResponseInfo response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var json = ProviderErrorBody.TryParseObject(response.Body);
        var errors = (json?["errors"] as JArray ?? new JArray())
            .OfType<JObject>()
            .Where(e => ProviderErrorBody.Text(e, "type") is not null)
            .Select(e => new HeadHunterError(
                ProviderErrorBody.Text(e, "type")!,
                ProviderErrorBody.Text(e, "value"),
                ProviderErrorBody.Text(e, "reason"),
                ProviderErrorBody.Text(e, "pointer"),
                ProviderErrorBody.Text(e, "description"),
                AbsoluteUri(ProviderErrorBody.Text(e, "captcha_url")),
                AbsoluteUri(ProviderErrorBody.Text(e, "fallback_url"))))
            .ToArray();
        var first = errors.FirstOrDefault();
        var kind = HeadHunterErrorClassifier.Classify(response.StatusCode, first);
        var description = ProviderErrorBody.Text(json, "description");

        var message = new StringBuilder(DescribeFailure(response));
        var explanation = description ?? first?.Description;
        if (explanation is not null)
        {
            message.Append(": ").Append(explanation.TrimEnd('.'));
        }

        if (errors.Length > 0)
        {
            message.Append(" (").AppendJoin(", ", errors.Select(e => e.ToString())).Append(')');
        }
        else if (json is null && response.StatusCode >= 500 && !string.IsNullOrEmpty(response.Body))
        {
            message.Append(" (the body is not JSON; hh.ru says to go by the status then)");
        }

        message.Append('.');
        var advice = HeadHunterErrorClassifier.Advice(kind, first);
        if (advice.Length > 0)
        {
            message.Append(' ').Append(advice);
        }

        return new HeadHunterApiException(message.ToString(), response, kind, errors, ProviderErrorBody.Text(json, "request_id"), description);
    }

    private static Uri? AbsoluteUri(string? text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
}
