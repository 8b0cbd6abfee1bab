using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace CandidateFiles.Sandbox;

/// <summary>
/// 104 Ehrweb Resume: the OAuth 2.0 client-credentials token endpoint (<c>POST /oauth2/token</c>) and the
/// two file endpoints under <c>/external</c> (<c>GET /external/files/headshot</c>,
/// <c>GET /external/files/attachment</c>). Every 500 is sent as <c>Content-Type: image/png</c> with a JSON
/// body, exactly like the real provider.
/// </summary>
internal static class Ehrweb104Endpoints
{
    internal const string TokenPath = "/oauth2/token";
    internal const string HeadshotPath = "/external/files/headshot";
    internal const string AttachmentPath = "/external/files/attachment";
    internal const string AdditionalInfoHeader = "104-Additional-Info";

    internal const int CodeMissingHeader = 500;
    internal const string MessageMissingHeader = "Header沒有帶到必填參數";
    internal const string MessageMissingParameter = "缺少必填參數";
    internal const string MessageBadType = "附件類型錯誤 (type 必須是 1, 2 或 3)";
    internal const int CodeCompanyMismatch = 900;
    internal const string MessageCompanyMismatch = "Token 與所屬公司統編不符，請檢查設定。";
    internal const int CodeFileExpired = 895;
    internal const string MessageFileExpired = "檔案已過期或是暫時無法取得檔案，請稍後再試";

    private const string ErrorContentType = "image/png";
    private const int LargeChunkSize = 64 * 1024;

    /// <summary>One 64 KiB chunk of the large-file pattern; it repeats every 256 bytes, so every chunk is this one.</summary>
    private static readonly byte[] LargeChunk = BuildLargeChunk();

    private static readonly Dictionary<string, SeededFile> Headshots = new(StringComparer.Ordinal)
    {
        [SandboxCredentials.EhrwebHeadshotFileId] = new("image/png", SampleFiles.Png, null),
    };

    private static readonly Dictionary<string, SeededFile> Attachments = new(StringComparer.Ordinal)
    {
        [SandboxCredentials.EhrwebPngAttachmentFileId] = new("image/png", SampleFiles.Png, null),
        [SandboxCredentials.EhrwebGifAttachmentFileId] = new("image/gif", SampleFiles.Gif, null),
        [SandboxCredentials.EhrwebJpgAttachmentFileId] = new("image/jpg", SampleFiles.Jpeg, null),
        [SandboxCredentials.EhrwebDocAttachmentFileId] = new("application/octet-stream", SampleFiles.Pdf, "attachment; filename=\"resume.pdf\""),
    };

    internal static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost(TokenPath, context => TokenAsync(context, state));
        routes.MapGet(HeadshotPath, context => FileAsync(context, state, Headshots, requireType: false));
        routes.MapGet(AttachmentPath, context => FileAsync(context, state, Attachments, requireType: true));
    }

    // ------------------------------------------------------------------ POST /oauth2/token

    private static async Task TokenAsync(HttpContext context, SandboxState state)
    {
        state.CountTokenRequest();
        var request = context.Request;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        if (!request.HasFormContentType)
        {
            await SandboxHttp.DrainRequestAsync(context, state.Options);
            await OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request");
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);

        // Client authentication: HTTP Basic (RFC 6749 2.3.1: each part form-urlencoded) or form fields.
        var usedBasic = false;
        string? clientId = null;
        string? clientSecret = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            usedBasic = true;
            if (!TryParseBasic(authorization["Basic ".Length..].Trim(), out clientId, out clientSecret))
            {
                await InvalidClientAsync(context, usedBasic);
                return;
            }

            var formId = Single(form["client_id"]);
            if (formId is not null && formId != clientId)
            {
                await OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request");
                return;
            }
        }
        else
        {
            clientId = Single(form["client_id"]);
            clientSecret = Single(form["client_secret"]);
        }

        var guiNum = clientId is null || clientSecret is null ? null : EhrwebClients.Authenticate(clientId, clientSecret);
        if (guiNum is null)
        {
            await InvalidClientAsync(context, usedBasic);
            return;
        }

        if (Single(form["grant_type"]) != "client_credentials")
        {
            await OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request");
            return;
        }

        var scope = Single(form["scope"]);
        var scopes = scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (scopes.Length == 0 || Array.Exists(scopes, s => s != SandboxCredentials.EhrwebScope))
        {
            await OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_scope");
            return;
        }

        var token = state.IssueEhrwebTokenCore(clientId!, guiNum);
        await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)state.Options.TokenLifetime.TotalSeconds,
        });
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static bool TryParseBasic(string encoded, out string? clientId, out string? clientSecret)
    {
        clientId = null;
        clientSecret = null;
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        clientId = WebUtility.UrlDecode(decoded[..colon]);
        clientSecret = WebUtility.UrlDecode(decoded[(colon + 1)..]);
        return true;
    }

    private static Task InvalidClientAsync(HttpContext context, bool usedBasic)
    {
        if (usedBasic)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"104 sandbox\"";
        }

        return OAuthErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client");
    }

    private static Task OAuthErrorAsync(HttpContext context, int status, string error) =>
        SandboxHttp.WriteJsonAsync(context, status, new JsonObject { ["error"] = error });

    // ------------------------------------------------------------------ GET /external/files/*

    private static async Task FileAsync(HttpContext context, SandboxState state, Dictionary<string, SeededFile> files, bool requireType)
    {
        var request = context.Request;

        var token = SandboxHttp.BearerToken(request);
        var tokenCompany = token is null ? null : state.EhrwebTokenCompany(token);
        if (tokenCompany is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["error"] = "invalid_token" });
            return;
        }

        var guiNum = ParseGuiNum(request.Headers[AdditionalInfoHeader]);
        if (guiNum is null)
        {
            await FileErrorAsync(context, CodeMissingHeader, MessageMissingHeader);
            return;
        }

        if (guiNum != tokenCompany)
        {
            await FileErrorAsync(context, CodeCompanyMismatch, MessageCompanyMismatch);
            return;
        }

        var fileId = request.Query["fileId"].ToString();
        if (fileId.Length == 0)
        {
            await FileErrorAsync(context, 500, MessageMissingParameter + " fileId");
            return;
        }

        if (requireType)
        {
            var type = request.Query["type"].ToString();
            if (type is not ("1" or "2" or "3"))
            {
                await FileErrorAsync(context, 500, MessageBadType);
                return;
            }
        }

        if (fileId.StartsWith(SandboxCredentials.EhrwebLargeFileIdPrefix, StringComparison.Ordinal))
        {
            if (long.TryParse(fileId.AsSpan(SandboxCredentials.EhrwebLargeFileIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                await StreamLargeAsync(context, length);
                return;
            }
        }
        else if (files.TryGetValue(fileId, out var file))
        {
            if (file.ContentDisposition is not null)
            {
                context.Response.Headers.ContentDisposition = file.ContentDisposition;
            }

            await SandboxHttp.WriteBytesAsync(context, StatusCodes.Status200OK, file.ContentType, file.Content);
            return;
        }

        // Unknown ids, expired-1 and malformed large-N ids alike.
        await FileErrorAsync(context, CodeFileExpired, MessageFileExpired);
    }

    /// <summary>The 8-digit guiNum of a <c>guiNum=NNNNNNNN</c> header, or null when missing or malformed.</summary>
    private static string? ParseGuiNum(StringValues header)
    {
        if (header.Count != 1)
        {
            return null;
        }

        var value = (header[0] ?? string.Empty).Trim();
        const string Prefix = "guiNum=";
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = value[Prefix.Length..];
        if (digits.Length != 8)
        {
            return null;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return digits;
    }

    /// <summary>The provider's quirk: JSON error, status 500, labelled image/png.</summary>
    private static Task FileErrorAsync(HttpContext context, int code, string message) =>
        SandboxHttp.WriteJsonAsync(context, StatusCodes.Status500InternalServerError, new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
        }, ErrorContentType);

    private static async Task StreamLargeAsync(HttpContext context, long length)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        var remaining = length;
        try
        {
            while (remaining > 0)
            {
                var count = (int)Math.Min(remaining, LargeChunk.Length);
                await response.Body.WriteAsync(LargeChunk.AsMemory(0, count), context.RequestAborted);
                remaining -= count;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client stopped reading; nothing to do.
        }
    }

    private static byte[] BuildLargeChunk()
    {
        var chunk = new byte[LargeChunkSize];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = SampleFiles.LargeFileByte(i);
        }

        return chunk;
    }

    private sealed record SeededFile(string ContentType, ReadOnlyMemory<byte> Content, string? ContentDisposition);
}

/// <summary>The 104 OAuth clients the sandbox knows.</summary>
internal static class EhrwebClients
{
    private static readonly Dictionary<string, (string Secret, string GuiNum)> Clients = new(StringComparer.Ordinal)
    {
        [SandboxCredentials.EhrwebClientId] = (SandboxCredentials.EhrwebClientSecret, SandboxCredentials.EhrwebGuiNum),
        [SandboxCredentials.EhrwebOtherClientId] = (SandboxCredentials.EhrwebOtherClientSecret, SandboxCredentials.EhrwebOtherGuiNum),
    };

    /// <summary>The company of the client, or null when id or secret is wrong.</summary>
    internal static string? Authenticate(string clientId, string clientSecret) =>
        Clients.TryGetValue(clientId, out var client) && client.Secret == clientSecret ? client.GuiNum : null;

    internal static string? GuiNumOf(string clientId) => Clients.TryGetValue(clientId, out var client) ? client.GuiNum : null;
}
