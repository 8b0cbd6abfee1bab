using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CandidateFiles.Sandbox;

/// <summary>
/// HrFlow.ai: <c>GET /v1/profile/attachments</c>. A wrong <c>X-API-KEY</c> is echoed verbatim in the 401
/// message, like the real API does (so the SDK has something to redact).
/// </summary>
internal static class HrFlowEndpoints
{
    internal const string AttachmentsPath = "/v1/profile/attachments";

    internal const string MessageUnauthorizedPrefix = "Unauthorized. Invalid secret key: ";
    internal const string MessageInvalidSource = "Invalid source";
    internal const string MessageIdentifierRequired = "profile_id or profile_reference or profile_email is required";
    internal const string MessageInvalidProfile = "Invalid profile array";
    internal const string MessageList = "Profile attachment list";

    private static readonly Profile[] Profiles =
    [
        new(SandboxCredentials.HrFlowProfileId, SandboxCredentials.HrFlowProfileReference, SandboxCredentials.HrFlowProfileEmail, HasAttachments: true),
        new(SandboxCredentials.HrFlowEmptyProfileId, SandboxCredentials.HrFlowEmptyProfileReference, SandboxCredentials.HrFlowEmptyProfileEmail, HasAttachments: false),
    ];

    internal static void Map(IEndpointRouteBuilder routes) => routes.MapGet(AttachmentsPath, AttachmentsAsync);

    private static Task AttachmentsAsync(HttpContext context)
    {
        var request = context.Request;

        // X-USER-EMAIL is accepted and only recorded (in the request log), never validated.
        var apiKey = request.Headers["X-API-KEY"].ToString();
        if (apiKey != SandboxCredentials.HrFlowApiKey)
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, MessageUnauthorizedPrefix + apiKey);
        }

        // Statuses HrFlow's status list names but its page does not show, on request.
        var statusOnRequest = request.Query["source_id"].ToString() switch
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

        if (request.Query["source_id"].ToString() != SandboxCredentials.HrFlowSourceId)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageInvalidSource);
        }

        var profileId = NonEmpty(request.Query["profile_id"].ToString());
        var reference = NonEmpty(request.Query["profile_reference"].ToString());
        var email = NonEmpty(request.Query["profile_email"].ToString());
        if (profileId is null && reference is null && email is null)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageIdentifierRequired);
        }

        // The most specific identifier given wins: id, then reference, then email.
        var profile = Array.Find(Profiles, p =>
            profileId is not null ? p.Id == profileId
            : reference is not null ? p.Reference == reference
            : string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
        if (profile is null)
        {
            return ErrorAsync(context, StatusCodes.Status400BadRequest, MessageInvalidProfile);
        }

        var data = new JsonArray();
        if (profile.HasAttachments)
        {
            data.Add(Attachment("resume", "resume.pdf", "resume", 194094, "http://www.hrflow.ai/profile/attachment?key=key_value&type=resume"));
            data.Add(Attachment("original", "original.pdf", "original", 137690, "http://www.hrflow.ai/profile/attachment?key=key_value=&type=original"));
        }

        return SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["code"] = 200,
            ["message"] = MessageList,
            ["data"] = data,
        });
    }

    /// <summary>One attachment, shaped (and valued) like the example on the upstream page.</summary>
    private static JsonObject Attachment(string type, string fileName, string originalFileName, long fileSize, string publicUrl) => new()
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
