using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;

namespace CandidateFiles.HrFlow;

/// <summary>
/// Client for HrFlow.ai profile attachments. The HrFlow quirks the SDK handles live in this file:
/// <list type="bullet">
/// <item><c>X-API-KEY</c> (and <c>X-USER-EMAIL</c>) headers, only to the API host, stripped on any other.</item>
/// <item>The API needs one of profile_id / profile_reference / profile_email although the upstream page marks
///   only profile_id required: the call is refused before sending when none is given.</item>
/// <item>Error bodies <c>{code, message}</c> (401's message can echo the key: it is redacted).</item>
/// </list>
/// </summary>
public partial class HrFlowClient
{
    /// <summary>Production base URL (the spec's server).</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.hrflow.ai/v1/");

    private static readonly string[] ProfileIdentifiers = { "profile_id", "profile_reference", "profile_email" };

    /// <summary>Creates a client with its own HTTP pipeline. Create one and reuse it.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentException">A setting is missing or wrong; the message names it.</exception>
    public HrFlowClient(HrFlowClientOptions options)
        : this(options, CreateHttpClient(options))
    {
        Own(_httpClient);
    }

    /// <summary>Creates the HTTP client this provider needs (API key headers for the API host only, user agent, redirects).</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="transport">Innermost handler; null creates one.</param>
    /// <returns>The HTTP client.</returns>
    public static HttpClient CreateHttpClient(HrFlowClientOptions options, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ProviderHttpPipeline.CreateHttpClient(options, CreateProviderHandlers(options), transport);
    }

    /// <summary>This provider's handlers: the API key headers, for the API host only.</summary>
    internal static DelegatingHandler[] CreateProviderHandlers(HrFlowClientOptions options)
    {
        var headers = new List<KeyValuePair<string, string>> { new("X-API-KEY", options.ApiKey!) };
        if (options.UserEmail is not null)
        {
            headers.Add(new("X-USER-EMAIL", options.UserEmail));
        }

        var hosts = CredentialHosts.For(options.Endpoint ?? DefaultEndpoint, options.AdditionalAllowedHosts);
        return new DelegatingHandler[] { new ApiKeyHandler(headers, hosts) };
    }

    partial void Initialize()
    {
        BaseUrl = ResolveBaseUrl(BaseUrl, _httpClient);
        ReadResponseAsString = ReadJsonAsText;
    }

    /// <inheritdoc />
    protected override Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { } uri && uri.OriginalString.Contains("profile/attachments", StringComparison.Ordinal))
        {
            var query = uri.IsAbsoluteUri ? uri.Query : string.Empty;
            var given = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Any(pair => ProfileIdentifiers.Contains(pair[0]) && pair.Length == 2 && pair[1].Length > 0);
            if (!given)
            {
#pragma warning disable CA2208 // The parameter named is the caller's, on the generated ListProfileAttachmentsAsync.
                throw new ArgumentException(
                    "HrFlow needs one profile identifier: pass profileId, profileReference or profileEmail.",
                    "profileId");
#pragma warning restore CA2208
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override ProviderApiException CreateException(ProviderResponseInfo response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var json = ProviderErrorBody.TryParseObject(response.Body);
        var code = ProviderErrorBody.Text(json, "code");
        var message = ProviderErrorBody.Text(json, "message");
        var kind = response.StatusCode switch
        {
            400 => HrFlowErrorKind.BadRequest,
            401 => HrFlowErrorKind.Unauthorized,
            402 => HrFlowErrorKind.QuotaExceeded,
            404 => HrFlowErrorKind.NotFound,
            422 => HrFlowErrorKind.Unprocessable,
            >= 500 and < 600 => HrFlowErrorKind.ServerError,
            _ => HrFlowErrorKind.Other,
        };
        var advice = kind switch
        {
            HrFlowErrorKind.BadRequest => " Check source_id and the profile identifier: no profile matched the query.",
            HrFlowErrorKind.Unauthorized => " The API key was rejected: check HrFlowClientOptions.ApiKey (and UserEmail if your key needs it).",
            HrFlowErrorKind.QuotaExceeded => " The HrFlow plan's quota is used up.",
            _ => string.Empty,
        };
        var detail = message is null ? string.Empty : $" ({message})";
        return new HrFlowApiException($"{DescribeFailure(response)}{detail}.{advice}", response, kind, code, message);
    }
}
