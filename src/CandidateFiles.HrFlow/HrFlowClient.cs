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
/// <item><see cref="ListProfileAttachmentsAsync"/> calls HrFlow's current <c>GET /v1/profile/indexing/attachments</c>,
///   which needs exactly one of key / reference / email: none, several, or a blank one is refused before the request exists.</item>
/// <item>The deprecated <c>GET /v1/profile/attachments</c> (<c>ListProfileAttachmentsLegacyAsync</c>, <c>[Obsolete]</c>) still
///   works and is refused before sending when no profile identifier is given, as before.</item>
/// <item>Dates come with a colon-less offset (<c>+0000</c>) and are read into <see cref="DateTimeOffset"/>; no other
///   string is read as a date.</item>
/// <item>Error bodies <c>{code, message}</c> (401's message can echo the key: it is redacted).</item>
/// </list>
/// </summary>
public partial class HrFlowClient
{
    /// <summary>Production base URL (the spec's server).</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.hrflow.ai/v1/");

    /// <summary>This provider's handlers: the API key headers, for the API host only; <paramref name="transport"/> is not used, as they send no request of their own.</summary>
    internal static DelegatingHandler[] CreateProviderHandlers(HrFlowClientOptions options, HttpMessageHandler? transport)
    {
        var headers = new List<KeyValuePair<string, string>> { new(HrFlowClientOptions.ApiKeyHeader, options.ApiKey!) };
        if (options.UserEmail is not null)
        {
            headers.Add(new(HrFlowClientOptions.UserEmailHeader, options.UserEmail));
        }

        var hosts = CredentialHosts.For(options.Endpoint ?? DefaultEndpoint, options.AdditionalAllowedHosts);
        return new DelegatingHandler[] { new ApiKeyHandler(headers, hosts) };
    }

    /// <summary>
    /// HrFlow's current page: one of key, reference or email identifies the profile. Sending none, or several
    /// (which one would HrFlow use?) is refused here, before the request exists; a blank source key or identifier
    /// is refused by the guards of specs/hrflow.yaml, before this.
    /// </summary>
    partial void CheckListProfileAttachmentsArguments(string sourceKey, string? key, string? reference, string? email, CancellationToken cancellationToken, ref Task? providerCheck)
    {
        var given = new (string Name, string? Value)[] { (nameof(key), key), (nameof(reference), reference), (nameof(email), email) }
            .Where(identifier => identifier.Value is not null).Select(identifier => identifier.Name).ToArray();
        if (given.Length == 0)
        {
            throw InvalidArgument.For(nameof(key), "HrFlow needs exactly one profile identifier: pass one of key, reference or email (none was given).");
        }

        if (given.Length > 1)
        {
            throw InvalidArgument.For(
                given[1],
                $"HrFlow needs exactly one profile identifier: pass only one of key, reference or email ({string.Join(" and ", given)} were given).");
        }
    }

    /// <summary>The deprecated endpoint, as the SDK always checked it: at least one identifier with a value.</summary>
    partial void CheckListProfileAttachmentsLegacyArguments(string sourceId, string? profileId, string? profileReference, string? profileEmail, CancellationToken cancellationToken, ref Task? providerCheck)
    {
        if (string.IsNullOrWhiteSpace(profileId) && string.IsNullOrWhiteSpace(profileReference) && string.IsNullOrWhiteSpace(profileEmail))
        {
            throw InvalidArgument.For(
                nameof(profileId),
                "HrFlow needs one profile identifier with a value: pass profileId, profileReference or profileEmail (not empty or whitespace).");
        }
    }

    private protected override ProviderApiException CreateException(ProviderResponseInfo response)
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
            HrFlowErrorKind.BadRequest => " Check the source key and the profile identifier: no source or profile matched the query.",
            HrFlowErrorKind.Unauthorized => " The API key was rejected: check HrFlowClientOptions.ApiKey (and UserEmail if your key needs it).",
            HrFlowErrorKind.QuotaExceeded => " The HrFlow plan's quota is used up.",
            _ => string.Empty,
        };
        var detail = message is null ? string.Empty : $" ({message})";
        return new HrFlowApiException($"{DescribeFailure(response)}{detail}.{advice}", response, kind, code, message);
    }
}
