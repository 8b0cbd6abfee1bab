using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CandidateFiles.Sandbox;

/// <summary>
/// 104 HR Max: sign-in (<c>POST /api/auth/signIn</c>) and the attachment endpoints
/// (<c>POST /api/file/attach</c>, <c>/api/file/detach</c>, <c>/api/file/download</c>). Upload errors mimic
/// the provider's multer middleware (status 450).
/// </summary>
internal static class HrMaxEndpoints
{
    internal const string SignInPath = "/api/auth/signIn";
    internal const string AttachPath = "/api/file/attach";
    internal const string DetachPath = "/api/file/detach";
    internal const string DownloadPath = "/api/file/download";

    internal const string MessageUnauthorized = "認證失敗 (請更新 accessToken 再試一次)";
    internal const string MessageForbidden = "權限不足";
    internal const string MessageSignInFailed = "登入失敗";
    internal const string MessageSystemError = "系統異常";
    internal const string MessageUnexpectedField = "Unexpected field";
    internal const string MessageFileTooLarge = "File too large";
    internal const string MessageFieldTooLong = "Field value too long";
    internal const string MessageUnexpectedEnd = "Unexpected end of form";
    internal const string MessageFunCodeRequired = "funCode is required";
    internal const string MessageUuidRequired = "uuid is required";
    internal const string MessageFileNotFound = "file not found";
    internal const string MessageAccountRequired = "account and password are required";

    /// <summary>Largest text field multer accepts by default (1 MB); longer gives 450 "Field value too long".</summary>
    private const long MaxFieldBytes = 1024 * 1024;

    /// <summary>Largest JSON body read by sign-in, detach and download.</summary>
    private const long MaxJsonBytes = 64 * 1024;

    internal static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost(SignInPath, context => SignInAsync(context, state));
        routes.MapPost(AttachPath, context => WithFileRightsAsync(context, state, AttachAsync));
        routes.MapPost(DetachPath, context => WithFileRightsAsync(context, state, DetachAsync));
        routes.MapPost(DownloadPath, context => WithFileRightsAsync(context, state, DownloadAsync));
    }

    // ------------------------------------------------------------------ POST /api/auth/signIn

    private static async Task SignInAsync(HttpContext context, SandboxState state)
    {
        state.CountHrMaxSignIn();
        var body = await ReadJsonObjectAsync(context, state.Options);
        var account = StringProperty(body, "account");
        var password = StringProperty(body, "password");
        if (string.IsNullOrEmpty(account) || password is null)
        {
            await ErrorAsync(context, 440, MessageAccountRequired);
            return;
        }

        var user = HrMaxUsers.Find(account);
        if (user is null || user.Password != password)
        {
            await ErrorAsync(context, 490, MessageSignInFailed);
            return;
        }

        var accessToken = state.IssueHrMaxTokenCore(user);
        await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["code"] = 200,
            ["data"] = new JsonObject
            {
                ["USER_ID"] = user.UserId,
                ["REFRESH_TOKEN"] = SandboxHttp.RandomToken(),
                ["ACCESS_TOKEN"] = accessToken,
            },
        });
    }

    // ------------------------------------------------------------------ /api/file/*: auth

    private static async Task WithFileRightsAsync(HttpContext context, SandboxState state, Func<HttpContext, SandboxState, Task> handler)
    {
        var token = SandboxHttp.BearerToken(context.Request);
        var user = token is null ? null : state.HrMaxTokenUser(token);
        if (user is null)
        {
            await SandboxHttp.DrainRequestAsync(context, state.Options);
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, MessageUnauthorized);
            return;
        }

        if (!user.CanUseFiles)
        {
            await SandboxHttp.DrainRequestAsync(context, state.Options);
            await ErrorAsync(context, StatusCodes.Status403Forbidden, MessageForbidden);
            return;
        }

        await handler(context, state);
    }

    // ------------------------------------------------------------------ POST /api/file/attach

    private static async Task AttachAsync(HttpContext context, SandboxState state)
    {
        var options = state.Options;
        var aborted = context.RequestAborted;
        string? funCode = null;
        UploadedFile? file = null;

        var boundary = SandboxHttp.MultipartBoundary(context.Request);
        if (boundary is not null)
        {
            var reader = new MultipartReader(boundary, context.Request.Body);
            try
            {
                while (await reader.ReadNextSectionAsync(aborted) is { } section)
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    {
                        await SandboxHttp.DrainAsync(section.Body, long.MaxValue, aborted);
                        continue;
                    }

                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                    if (disposition.IsFileDisposition())
                    {
                        // multer .single('attachment'): any other file field, or a second one, is a MulterError.
                        if (name != "attachment" || file is not null)
                        {
                            await MulterErrorAsync(context, options, MessageUnexpectedField);
                            return;
                        }

                        var content = await SandboxHttp.ReadCappedAsync(section.Body, options.HrMaxMaxUploadBytes, stopWhenOver: true, aborted);
                        if (content is null)
                        {
                            await MulterErrorAsync(context, options, MessageFileTooLarge);
                            return;
                        }

                        var fileName = disposition.FileNameStar.HasValue
                            ? disposition.FileNameStar.Value!
                            : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? string.Empty;
                        var mime = string.IsNullOrWhiteSpace(section.ContentType) ? "application/octet-stream" : section.ContentType!;
                        file = new UploadedFile(fileName, mime, content);
                    }
                    else
                    {
                        var value = await SandboxHttp.ReadFieldAsync(section.Body, MaxFieldBytes, aborted);
                        if (value is null)
                        {
                            await MulterErrorAsync(context, options, MessageFieldTooLong);
                            return;
                        }

                        if (name == "funCode")
                        {
                            funCode = value;
                        }
                    }
                }
            }
            catch (InvalidDataException)
            {
                await MulterErrorAsync(context, options, MessageUnexpectedEnd);
                return;
            }
            catch (IOException) when (!aborted.IsCancellationRequested)
            {
                await MulterErrorAsync(context, options, MessageUnexpectedEnd);
                return;
            }
        }

        // Whatever follows the closing boundary (or a non-multipart body, which multer ignores).
        await SandboxHttp.DrainRequestAsync(context, options);

        if (string.IsNullOrEmpty(funCode))
        {
            await ErrorAsync(context, 440, MessageFunCodeRequired);
            return;
        }

        if (file is null)
        {
            await ErrorAsync(context, 450, MessageUnexpectedField);
            return;
        }

        if (funCode == SandboxCredentials.HrMaxFailingFunCode)
        {
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, MessageSystemError);
            return;
        }

        var stored = new HrMaxStoredFile(Guid.NewGuid().ToString("N"), file.FileName, file.Mime, file.Content);
        state.StoreHrMaxFile(stored);
        await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["fileUUID"] = stored.Uuid,
            ["fileName"] = stored.FileName,
            ["fileSize"] = stored.Content.LongLength,
            ["fileMime"] = stored.Mime,
            ["isTmp"] = 1,
        });
    }

    private static async Task MulterErrorAsync(HttpContext context, SandboxOptions options, string message)
    {
        await SandboxHttp.DrainRequestAsync(context, options);
        await ErrorAsync(context, 450, message);
    }

    // The uuid of a detach or download request; null once the answer to a missing uuid (440) or the
    // failing one (500) has been written.
    private static async Task<string?> AcceptedUuidAsync(HttpContext context, SandboxState state)
    {
        var uuid = StringProperty(await ReadJsonObjectAsync(context, state.Options), "uuid");
        if (string.IsNullOrEmpty(uuid))
        {
            await ErrorAsync(context, 440, MessageUuidRequired);
            return null;
        }

        if (uuid == SandboxCredentials.HrMaxFailingUuid)
        {
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, MessageSystemError);
            return null;
        }

        return uuid;
    }

    // ------------------------------------------------------------------ POST /api/file/detach

    private static async Task DetachAsync(HttpContext context, SandboxState state)
    {
        var uuid = await AcceptedUuidAsync(context, state);
        if (uuid is null)
        {
            return;
        }

        if (!state.RemoveHrMaxFile(uuid))
        {
            await ErrorAsync(context, 440, MessageFileNotFound);
            return;
        }

        await ErrorAsync(context, StatusCodes.Status200OK, "ok");
    }

    // ------------------------------------------------------------------ POST /api/file/download

    private static async Task DownloadAsync(HttpContext context, SandboxState state)
    {
        var uuid = await AcceptedUuidAsync(context, state);
        if (uuid is null)
        {
            return;
        }

        var file = state.FindHrMaxFile(uuid);
        if (file is null)
        {
            await ErrorAsync(context, 440, MessageFileNotFound);
            return;
        }

        context.Response.Headers.ContentDisposition = AttachmentDisposition(file.FileName);
        await SandboxHttp.WriteBytesAsync(context, StatusCodes.Status200OK, file.Mime, file.Content);
    }

    /// <summary><c>attachment; filename="name"</c>, plus <c>filename*=UTF-8''...</c> when the name is not plain ASCII.</summary>
    internal static string AttachmentDisposition(string fileName)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        var fallback = new StringBuilder(fileName.Length);
        foreach (var c in fileName)
        {
            fallback.Append(c is < (char)0x20 or > (char)0x7E ? '_' : c);
        }

        disposition.FileName = HeaderUtilities.EscapeAsQuotedString(fallback.ToString());
        if (fallback.ToString() != fileName)
        {
            // RFC 6266 / 5987: the exact name, UTF-8 percent-encoded.
            disposition.FileNameStar = fileName;
        }

        return disposition.ToString();
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The request body as a JSON object, or null when it is not one (or too long).</summary>
    private static async Task<JsonObject?> ReadJsonObjectAsync(HttpContext context, SandboxOptions options)
    {
        byte[]? bytes;
        try
        {
            bytes = await SandboxHttp.ReadCappedAsync(context.Request.Body, MaxJsonBytes, stopWhenOver: true, context.RequestAborted);
        }
        catch (IOException)
        {
            return null;
        }

        if (bytes is null)
        {
            await SandboxHttp.DrainRequestAsync(context, options);
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringProperty(JsonObject? body, string name) =>
        body is not null && body.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : null;

    private static Task ErrorAsync(HttpContext context, int status, string message) =>
        SandboxHttp.WriteJsonAsync(context, status, new JsonObject { ["code"] = status, ["msg"] = message });

    private sealed record UploadedFile(string FileName, string Mime, byte[] Content);
}

/// <summary>A file stored by HR Max <c>POST /api/file/attach</c>.</summary>
internal sealed record HrMaxStoredFile(string Uuid, string FileName, string Mime, byte[] Content);

/// <summary>An HR Max account.</summary>
internal sealed record HrMaxUser(string Account, string Password, string UserId, bool CanUseFiles);

/// <summary>The HR Max accounts the sandbox knows.</summary>
internal static class HrMaxUsers
{
    private static readonly Dictionary<string, HrMaxUser> Users = new(StringComparer.Ordinal)
    {
        [SandboxCredentials.HrMaxAccount] = new(SandboxCredentials.HrMaxAccount, SandboxCredentials.HrMaxPassword, SandboxCredentials.HrMaxUserId, CanUseFiles: true),
        [SandboxCredentials.HrMaxViewerAccount] = new(SandboxCredentials.HrMaxViewerAccount, SandboxCredentials.HrMaxViewerPassword, SandboxCredentials.HrMaxViewerUserId, CanUseFiles: false),
    };

    internal static HrMaxUser? Find(string account) => Users.TryGetValue(account, out var user) ? user : null;
}
