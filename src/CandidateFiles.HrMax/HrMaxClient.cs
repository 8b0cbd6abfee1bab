using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.HrMax;

/// <summary>
/// Client for 104 HR Max attachments (upload, detach, download). The HR Max quirks the SDK handles
/// live in this file and in <see cref="HrMaxClientExtensions"/>:
/// <list type="bullet">
/// <item>Custom status codes 440 (bad parameters) and 450 (upload rejected), mapped to <see cref="HrMaxErrorKind"/>
///   from the <c>{code, msg}</c> body (which may be missing).</item>
/// <item>The upload's multipart part must be named <c>attachment</c> (the spec names it so; the
///   generator uses the name verbatim).</item>
/// <item>A file name that is not plain ASCII is sent as <c>filename*=utf-8''...</c> with an ASCII fallback
///   (<see cref="FormDataParts"/>): HR Max's server runs multer (its 450 is a MulterError), which reads that
///   form exactly and a browser-style raw UTF-8 name as Latin-1 mojibake.</item>
/// <item>Bearer JWT from your token source, asked again once on 401.</item>
/// <item>Empty funCode / uuid (which HR Max answers with 440) are refused before sending.</item>
/// </list>
/// </summary>
public partial class HrMaxClient
{
    /// <summary>Production base URL (the spec's server).</summary>
    public static readonly Uri DefaultEndpoint = new("https://104demotest-api-server.hrmax.104.com.tw/");

    /// <summary>This provider's handlers: the caller's bearer token, for the API host only; <paramref name="transport"/> is not used, as they send no request of their own.</summary>
    internal static DelegatingHandler[] CreateProviderHandlers(HrMaxClientOptions options, HttpMessageHandler? transport)
        => new DelegatingHandler[] { options.CreateBearerTokenHandler(DefaultEndpoint) };

    // What HR Max would answer with 440, refused before the request exists: funCode is checked by the guards its
    // spec gives it (required, not blank); the uuid of a JSON body is a field, not a parameter, so it is checked here.
    partial void CheckDetachFileArguments(FileReference body, CancellationToken cancellationToken, ref Task? providerCheck) => CheckUuid(body);

    partial void CheckDownloadFileArguments(FileReference body, CancellationToken cancellationToken, ref Task? providerCheck) => CheckUuid(body);

    private static void CheckUuid(FileReference body)
    {
        if (string.IsNullOrWhiteSpace(body.Uuid))
        {
            throw InvalidArgument.For("uuid", "uuid is empty: pass the fileUUID that AttachFileAsync returned.");
        }
    }

    private protected override ProviderApiException CreateException(ProviderResponseInfo response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var json = ProviderErrorBody.TryParseObject(response.Body);
        var code = ProviderErrorBody.Text(json, "code");
        var msg = ProviderErrorBody.Text(json, "msg");
        var kind = response.StatusCode switch
        {
            401 => HrMaxErrorKind.Unauthorized,
            403 => HrMaxErrorKind.Forbidden,
            440 => HrMaxErrorKind.InvalidParameters,
            450 => HrMaxErrorKind.UploadRejected,
            500 => HrMaxErrorKind.ServerError,
            _ => HrMaxErrorKind.Other,
        };
        var advice = kind switch
        {
            HrMaxErrorKind.Unauthorized => " The access token is missing or expired. The rejected token is dropped, so the next call asks the token source for a new one (a request whose body can be sent again was already retried once with a new token); if that keeps failing, sign in anew.",
            HrMaxErrorKind.Forbidden => " The signed-in user lacks permission for this file or function.",
            HrMaxErrorKind.InvalidParameters => " A parameter or body field is missing or malformed (funCode, uuid).",
            HrMaxErrorKind.UploadRejected => " The upload was rejected: the file may be too large, or the part is not named 'attachment'.",
            _ => string.Empty,
        };
        var detail = msg is null ? string.Empty : $" ({msg})";
        return new HrMaxApiException($"{DescribeFailure(response)}{detail}.{advice}", response, kind, code, msg);
    }
}
