using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;

namespace CandidateFiles.Ehrweb;

/// <summary>
/// Client for the 104 Ehrweb Resume API (resume headshots and attachments).
/// Every 104 Ehrweb quirk the SDK handles lives in this file:
/// <list type="bullet">
/// <item>OAuth2 client credentials against a separate token host (built-in, cached, one request at a time).</item>
/// <item>The <c>104-Additional-Info: guiNum=NNNNNNNN</c> header on every call, filled from options
///   (the spec declares it; the generator leaves it out of method signatures).</item>
/// <item>Errors arrive as HTTP 500 with a JSON <c>{code, message}</c> body under <c>Content-Type: image/png</c>:
///   the body is parsed whatever the media type says, and codes 900/895 become <see cref="EhrwebErrorKind"/>.</item>
/// <item>The attachment endpoint returns png, gif, jpg or any binary: Accept lists all of them.</item>
/// </list>
/// </summary>
public partial class EhrwebResumeClient
{
    /// <summary>Production base URL (the spec's server).</summary>
    public static readonly Uri DefaultEndpoint = new("https://ehrwebapi.104.com.tw/external/");

    private const string AdditionalInfoHeader = "104-Additional-Info";
    private const string AttachmentAccept = "image/png, image/gif, image/jpg, application/octet-stream";

    // The generated code's name for specs/ehrweb-resume.yaml's getAttachment (ProviderHttpPipeline.OperationKey).
    private const string AttachmentOperation = "GetAttachment";

    /// <summary>
    /// This provider's handlers: the OAuth bearer token, for the API host only, from the built-in token source
    /// shared by clients with the same settings (its token requests go through <paramref name="transport"/>),
    /// and the handler that gives the client's share of that source back when the client is disposed.
    /// </summary>
    internal static DelegatingHandler[] CreateProviderHandlers(EhrwebResumeClientOptions options, HttpMessageHandler? transport)
        => CreateProviderHandlers(options, hosts => options.LeaseTokenProvider(hosts, transport));

    /// <summary>This provider's handlers over <paramref name="tokens"/>, the token source for the client's hosts (and its lease, if any).</summary>
    internal static DelegatingHandler[] CreateProviderHandlers(EhrwebResumeClientOptions options, Func<CredentialHosts, (Microsoft.Kiota.Abstractions.Authentication.IAccessTokenProvider Tokens, DelegatingHandler? Lease)> tokens)
    {
        var hosts = CredentialHosts.For(options.Endpoint ?? DefaultEndpoint, options.AdditionalAllowedHosts);
        var (provider, lease) = tokens(hosts);
        var bearer = new BearerTokenHandler(provider, hosts);
        return lease is null ? new DelegatingHandler[] { bearer } : new DelegatingHandler[] { bearer, lease };
    }

    /// <summary>Adds <c>104-Additional-Info</c>, and the Accept header of attachments. The arguments were checked before the request was built (specs/ehrweb-resume.yaml: fileId not blank, type one of 1, 2, 3).</summary>
    private protected override Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(AdditionalInfoHeader);
        request.Headers.TryAddWithoutValidation(AdditionalInfoHeader, "guiNum=" + Settings.GuiNum);

        // NSwag sends only the first documented media type (image/png) as Accept; attachments can be
        // any of these, so ask for all of them (one constant, as the header goes on the wire). The operation is
        // known by the name the generated code tags it with, not by reading its URL back.
        if (ProviderHttpPipeline.OperationOf(request) == AttachmentOperation)
        {
            request.Headers.Remove("Accept");
            request.Headers.TryAddWithoutValidation("Accept", AttachmentAccept);
        }

        return Task.CompletedTask;
    }

    private protected override ProviderApiException CreateException(ProviderResponseInfo response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // The body is JSON even when Content-Type says image/png: parse it regardless.
        var json = ProviderErrorBody.TryParseObject(response.Body);
        var code = ProviderErrorBody.Text(json, "code");
        var message = ProviderErrorBody.Text(json, "message");
        var known = code switch
        {
            "900" => EhrwebErrorKind.CompanyMismatch,
            "895" => EhrwebErrorKind.FileExpiredOrUnavailable,
            _ => EhrwebErrorKind.Other,
        };
        var advice = known switch
        {
            EhrwebErrorKind.CompanyMismatch => $" The access token's company does not match guiNum {Settings.GuiNum}: check EhrwebResumeClientOptions.GuiNum and the client credentials.",
            EhrwebErrorKind.FileExpiredOrUnavailable => " The file has expired or is temporarily unavailable: take a fresh fileId from the resume, or retry later.",
            _ when response.StatusCode == 401 => " The access token was rejected: check the client id, secret and scope.",
            _ => string.Empty,
        };
        var detail = code is null ? string.Empty : $" (code {code}: {message})";
        return new EhrwebApiException($"{DescribeFailure(response)}{detail}.{advice}", response, known, code, message);
    }
}
