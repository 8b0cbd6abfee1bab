using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CandidateFiles.Sandbox;

/// <summary>
/// HrFlow.ai: the current <c>GET /v1/profile/indexing/attachments</c> (<c>source_key</c> + one of <c>key</c>,
/// <c>reference</c>, <c>email</c>; the attachment object with <c>created_at</c>/<c>updated_at</c>, a dotted
/// <c>extension</c>) and the deprecated <c>GET /v1/profile/attachments</c> (<c>source_id</c> + <c>profile_*</c>;
/// Unix <c>timestamp</c>), over the same profiles. A wrong <c>X-API-KEY</c> is echoed verbatim in the 401
/// message, like the real API does (so the SDK has something to redact).
/// </summary>
internal static class HrFlowEndpoints
{
    internal const string AttachmentsPath = "/v1/profile/indexing/attachments";
    internal const string LegacyAttachmentsPath = "/v1/profile/attachments";

    internal const string MessageUnauthorizedPrefix = "Unauthorized. Invalid secret key: ";
    internal const string MessageInvalidSource = "Invalid source";
    internal const string MessageIdentifierRequired = "profile_id or profile_reference or profile_email is required";
    internal const string MessageCurrentIdentifierRequired = "key or reference or email is required";

    /// <summary>The dates the current page's example shows, in HrFlow's colon-less offset form.</summary>
    internal const string AttachmentCreatedAt = "2020-09-11T09:58:32+0000";
    internal const string AttachmentUpdatedAt = "2020-09-11T10:26:29+0000";
    internal const string MessageInvalidProfile = "Invalid profile array";
    internal const string MessageList = "Profile attachment list";

    private static readonly Profile[] Profiles =
    [
        new(SandboxCredentials.HrFlowProfileId, SandboxCredentials.HrFlowProfileReference, SandboxCredentials.HrFlowProfileEmail, HasAttachments: true),
        new(SandboxCredentials.HrFlowEmptyProfileId, SandboxCredentials.HrFlowEmptyProfileReference, SandboxCredentials.HrFlowEmptyProfileEmail, HasAttachments: false),
    ];

    internal static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(AttachmentsPath, AttachmentsAsync);
        routes.MapGet(LegacyAttachmentsPath, LegacyAttachmentsAsync);
    }

    private static Task AttachmentsAsync(HttpContext context)
    {
        var request = context.Request;
        if (RejectedAsync(context, request.Query["source_key"].ToString()) is { } rejected)
        {
            return rejected;
        }

        var key = NonEmpty(request.Query["key"].ToString());
        var reference = NonEmpty(request.Query["reference"].ToString());
        var email = NonEmpty(request.Query["email"].ToString());
        if (key is null && reference is null && email is null)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageCurrentIdentifierRequired);
        }

        var profile = Find(key, reference, email);
        if (profile is null)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageInvalidProfile);
        }

        var data = new JsonArray();
        if (profile.HasAttachments)
        {
            data.Add(Attachment("resume", "resume", 528305, "https://riminder-documents-eu-2019-12.s3-eu-west-1.amazonaws.com/resume.pdf"));
            data.Add(Attachment("original", "original", 537789, "https://riminder-documents-eu-2019-12.s3-eu-west-1.amazonaws.com/original.pdf"));
        }

        return ListAsync(context, data);
    }

    /// <summary>
    /// The 401 for a wrong key, the statuses HrFlow's status list names but its page does not show (on request,
    /// by source), and the 400 for an unknown source; null when the request gets past them.
    /// </summary>
    private static Task? RejectedAsync(HttpContext context, string source)
    {
        // X-USER-EMAIL is accepted and only recorded (in the request log), never validated.
        var apiKey = context.Request.Headers["X-API-KEY"].ToString();
        if (apiKey != SandboxCredentials.HrFlowApiKey)
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, MessageUnauthorizedPrefix + apiKey);
        }

        var statusOnRequest = source switch
        {
            SandboxCredentials.HrFlowQuotaExceededSourceId => (Status: StatusCodes.Status402PaymentRequired, Message: "Quota exceeded"),
            SandboxCredentials.HrFlowNotFoundSourceId => (Status: StatusCodes.Status404NotFound, Message: "Not found"),
            SandboxCredentials.HrFlowUnprocessableSourceId => (Status: StatusCodes.Status422UnprocessableEntity, Message: "Unprocessable entity"),
            _ => (Status: 0, Message: string.Empty),
        };
        if (statusOnRequest.Status != 0)
        {
            return ErrorAsync(context, statusOnRequest.Status, statusOnRequest.Message);
        }

        return source != SandboxCredentials.HrFlowSourceId ? ErrorAsync(context, StatusCodes.Status400BadRequest, MessageInvalidSource) : null;
    }

    /// <summary>The most specific identifier given wins: key (id), then reference, then email.</summary>
    private static Profile? Find(string? key, string? reference, string? email) => Array.Find(Profiles, p =>
        key is not null ? p.Id == key
        : reference is not null ? p.Reference == reference
        : string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));

    private static Task ListAsync(HttpContext context, JsonArray data) =>
        SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["code"] = 200,
            ["message"] = MessageList,
            ["data"] = data,
        });

    /// <summary>One attachment of the current endpoint, shaped (and valued) like the example on its page.</summary>
    private static JsonObject Attachment(string type, string fileName, long fileSize, string publicUrl) => new()
    {
        ["alt"] = "alt_key",
        ["created_at"] = AttachmentCreatedAt,
        ["extension"] = ".pdf",
        ["file_name"] = fileName,
        ["file_size"] = fileSize,
        ["original_file_name"] = fileName,
        ["public_url"] = publicUrl,
        ["type"] = type,
        ["updated_at"] = AttachmentUpdatedAt,
    };

    private static Task LegacyAttachmentsAsync(HttpContext context)
    {
        var request = context.Request;

        if (RejectedAsync(context, request.Query["source_id"].ToString()) is { } rejected)
        {
            return rejected;
        }

        var profileId = NonEmpty(request.Query["profile_id"].ToString());
        var reference = NonEmpty(request.Query["profile_reference"].ToString());
        var email = NonEmpty(request.Query["profile_email"].ToString());
        if (profileId is null && reference is null && email is null)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageIdentifierRequired);
        }

        var profile = Find(profileId, reference, email);
        if (profile is null)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageInvalidProfile);
        }

        var data = new JsonArray();
        if (profile.HasAttachments)
        {
            data.Add(LegacyAttachment("resume", "resume.pdf", "resume", 194094, "http://www.hrflow.ai/profile/attachment?key=key_value&type=resume"));
            data.Add(LegacyAttachment("original", "original.pdf", "original", 137690, "http://www.hrflow.ai/profile/attachment?key=key_value=&type=original"));
        }

        return ListAsync(context, data);
    }

    /// <summary>One attachment of the deprecated endpoint, shaped (and valued) like the example on its old page.</summary>
    private static JsonObject LegacyAttachment(string type, string fileName, string originalFileName, long fileSize, string publicUrl) => new()
    {
        ["type"] = type,
        ["alt"] = "id",
        ["file_name"] = fileName,
        ["original_file_name"] = originalFileName,
        ["file_size"] = fileSize,
        ["extension"] = "pdf",
        ["public_url"] = publicUrl,
        ["timestamp"] = 1579252136,
    };

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    private static Task ErrorAsync(HttpContext context, int status, string message) =>
        SandboxHttp.WriteJsonAsync(context, status, new JsonObject { ["code"] = status, ["message"] = message });

    private sealed record Profile(string Id, string Reference, string Email, bool HasAttachments);
}
