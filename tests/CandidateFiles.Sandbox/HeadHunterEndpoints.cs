using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CandidateFiles.Sandbox;

/// <summary>
/// hh.ru artifacts: <c>GET /artifacts/photo</c>, <c>GET /artifacts/portfolio</c>, <c>POST /artifacts</c>,
/// <c>PUT /artifacts/{id}</c>, <c>DELETE /artifacts/{id}</c>, plus the processed images the artifacts link to
/// (<c>GET /sandbox/hh/images/{id}/small.jpg|medium.jpg</c>). Order of checks on every API call: user agent
/// (400), then token (403), then the request itself.
/// </summary>
internal static class HeadHunterEndpoints
{
    internal const string PhotoPath = "/artifacts/photo";
    internal const string PortfolioPath = "/artifacts/portfolio";
    internal const string UploadPath = "/artifacts";
    internal const string ArtifactPath = "/artifacts/{id}";
    internal const string ImagePath = "/sandbox/hh/images/{id}/{file}";

    internal const string TypePhoto = "photo";
    internal const string TypePortfolio = "portfolio";
    internal const int MaxDescriptionLength = 255;
    internal const int MaxPerPage = 100;
    internal const int DefaultPerPage = 20;

    private const string UserA = "applicant-a";
    private const string UserB = "applicant-b";

    /// <summary>Longest text field read from a multipart upload before it counts as too long.</summary>
    private const long MaxFieldBytes = 64 * 1024;

    private static readonly string[] AcceptedImageTypes = ["image/jpeg", "image/jpg", "image/png", "image/psd"];

    internal static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet(PhotoPath, context => ListAsync(context, state, TypePhoto));
        routes.MapGet(PortfolioPath, context => ListAsync(context, state, TypePortfolio));
        routes.MapPost(UploadPath, context => UploadAsync(context, state));
        routes.MapPut(ArtifactPath, context => UpdateAsync(context, state));
        routes.MapDelete(ArtifactPath, context => DeleteAsync(context, state));
        routes.MapGet(ImagePath, context => ImageAsync(context, state));
    }

    // ------------------------------------------------------------------ user agent + token

    /// <summary>
    /// Checks the user agent, then the token. Returns the applicant's user id, or null after writing the
    /// error (the request body, if any, is drained first).
    /// </summary>
    private static async Task<string?> AuthenticateAsync(HttpContext context, SandboxState state)
    {
        var headers = context.Request.Headers;
        var agent = headers["HH-User-Agent"].ToString();
        if (string.IsNullOrWhiteSpace(agent))
        {
            agent = headers.UserAgent.ToString();
        }

        string? error = null;
        string? value = null;
        var status = StatusCodes.Status400BadRequest;
        if (string.IsNullOrWhiteSpace(agent))
        {
            (error, value) = ("bad_user_agent", "unset");
        }
        else if (agent.Contains(SandboxCredentials.HhBlacklistedUserAgentWord, StringComparison.OrdinalIgnoreCase))
        {
            (error, value) = ("bad_user_agent", "blacklisted");
        }
        else
        {
            status = StatusCodes.Status403Forbidden;
            var token = SandboxHttp.BearerToken(context.Request);
            switch (token)
            {
                case null:
                    (error, value) = ("oauth", "bad_authorization");
                    break;
                case SandboxCredentials.HhExpiredToken:
                case not null when state.IsHeadHunterTokenExpired(token):
                    (error, value) = ("oauth", "token_expired");
                    break;
                case SandboxCredentials.HhApplicantToken:
                    return UserA;
                case SandboxCredentials.HhApplicant2Token:
                    return UserB;
                case SandboxCredentials.HhEmployerToken:
                    (error, value) = ("forbidden", null);
                    break;
                default:
                    (error, value) = ("oauth", "bad_authorization");
                    break;
            }
        }

        await SandboxHttp.DrainRequestAsync(context, state.Options);
        await ErrorAsync(context, state, status, error!, value);
        return null;
    }

    // ------------------------------------------------------------------ GET /artifacts/{photo|portfolio}

    private static async Task ListAsync(HttpContext context, SandboxState state, string type)
    {
        var user = await AuthenticateAsync(context, state);
        if (user is null)
        {
            return;
        }

        var query = context.Request.Query;
        if (!TryReadInt(query["page"].ToString(), 0, out var page) || page < 0)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "page");
            return;
        }

        if (!TryReadInt(query["per_page"].ToString(), DefaultPerPage, out var perPage) || perPage < 1 || perPage > MaxPerPage)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "per_page");
            return;
        }

        var all = state.ListArtifacts(user, type);
        var items = new JsonArray();
        var start = (long)page * perPage;
        for (var i = start; i < all.Count && i < start + perPage; i++)
        {
            items.Add(ToJson(all[(int)i], context, state));
        }

        await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["items"] = items,
            ["found"] = all.Count,
            ["pages"] = (all.Count + perPage - 1) / perPage,
            ["page"] = page,
            ["per_page"] = perPage,
        });
    }

    private static bool TryReadInt(string text, int fallback, out int value)
    {
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    // ------------------------------------------------------------------ POST /artifacts

    private static async Task UploadAsync(HttpContext context, SandboxState state)
    {
        var user = await AuthenticateAsync(context, state);
        if (user is null)
        {
            return;
        }

        var options = state.Options;
        var aborted = context.RequestAborted;
        var body = new CountingReadStream(context.Request.Body, options.HhMaxRequestBytes);
        string? type = null;
        string? description = null;
        var descriptionTooLong = false;
        var hasFile = false;
        byte[]? content = null;
        string? contentType = null;

        try
        {
            var boundary = SandboxHttp.MultipartBoundary(context.Request);
            if (boundary is not null)
            {
                var reader = new MultipartReader(boundary, body);
                while (await reader.ReadNextSectionAsync(aborted) is { } section)
                {
                    var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                        : null;
                    switch (name)
                    {
                        case "file" when !hasFile:
                            hasFile = true;
                            contentType = section.ContentType;
                            content = await SandboxHttp.ReadCappedAsync(section.Body, options.HhMaxImageBytes, stopWhenOver: false, aborted);
                            break;
                        case "type":
                            type = await SandboxHttp.ReadFieldAsync(section.Body, MaxFieldBytes, aborted) ?? string.Empty;
                            break;
                        case "description":
                            description = await SandboxHttp.ReadFieldAsync(section.Body, MaxFieldBytes, aborted);
                            descriptionTooLong = description is null || description.Length > MaxDescriptionLength;
                            break;
                        default:
                            await SandboxHttp.DrainAsync(section.Body, long.MaxValue, aborted);
                            break;
                    }
                }
            }

            // Epilogue after the closing boundary, or a body that is not multipart at all: it still counts.
            await SandboxHttp.DrainAsync(body, long.MaxValue, aborted);
        }
        catch (RequestBodyTooLargeException)
        {
            await SandboxHttp.DrainRequestAsync(context, options);
            await ErrorAsync(context, state, StatusCodes.Status413RequestEntityTooLarge, "artifacts", "image_too_large");
            return;
        }
        catch (InvalidDataException)
        {
            await SandboxHttp.DrainRequestAsync(context, options);
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "file");
            return;
        }
        catch (IOException) when (!aborted.IsCancellationRequested)
        {
            await SandboxHttp.DrainRequestAsync(context, options);
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "file");
            return;
        }

        if (type is not (TypePhoto or TypePortfolio))
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "type");
            return;
        }

        if (!hasFile)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "file");
            return;
        }

        if (descriptionTooLong)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "description");
            return;
        }

        if (content is null)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "image_too_large");
            return;
        }

        var mediaType = SandboxHttp.BareMediaType(contentType);
        if (mediaType is null || !Array.Exists(AcceptedImageTypes, t => t.Equals(mediaType, StringComparison.OrdinalIgnoreCase)))
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "unknown_format");
            return;
        }

        var artifact = state.TryAddArtifact(user, type, description, content, mediaType, options.HhMaxArtifactsPerUser);
        if (artifact is null)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "limit_exceeded");
            return;
        }

        // The upload answer is always "processing", whatever the delay.
        var created = new JsonObject
        {
            ["id"] = artifact.Id,
            ["state"] = State("processing"),
            ["small"] = null,
            ["medium"] = null,
        };
        if (artifact.Type == TypePortfolio)
        {
            created["description"] = artifact.Description;
        }

        await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status201Created, created);
    }

    // ------------------------------------------------------------------ PUT /artifacts/{id}

    private static async Task UpdateAsync(HttpContext context, SandboxState state)
    {
        var user = await AuthenticateAsync(context, state);
        if (user is null)
        {
            return;
        }

        string? description = null;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form.TryGetValue("description", out var formValue))
            {
                description = formValue.ToString();
            }
        }
        else
        {
            await SandboxHttp.DrainRequestAsync(context, state.Options);
        }

        if (description is null && context.Request.Query.TryGetValue("description", out var queryValue))
        {
            description = queryValue.ToString();
        }

        if (description is null || description.Length > MaxDescriptionLength)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "description");
            return;
        }

        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        if (!state.TryUpdateArtifactDescription(user, id, description))
        {
            await ErrorAsync(context, state, StatusCodes.Status404NotFound, "not_found", null);
            return;
        }

        SandboxHttp.NoContent(context);
    }

    // ------------------------------------------------------------------ DELETE /artifacts/{id}

    private static async Task DeleteAsync(HttpContext context, SandboxState state)
    {
        var user = await AuthenticateAsync(context, state);
        if (user is null)
        {
            return;
        }

        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        if (!state.TryDeleteArtifact(user, id))
        {
            await ErrorAsync(context, state, StatusCodes.Status404NotFound, "not_found", null);
            return;
        }

        SandboxHttp.NoContent(context);
    }

    // ------------------------------------------------------------------ GET /sandbox/hh/images/{id}/{file}

    /// <summary>The "processed" image: the uploaded bytes, once the artifact is <c>ok</c>. No auth, like a CDN.</summary>
    private static Task ImageAsync(HttpContext context, SandboxState state)
    {
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        var file = context.Request.RouteValues["file"] as string;
        var artifact = file is "small.jpg" or "medium.jpg" ? state.FindArtifact(id) : null;
        if (artifact is null || StateOf(artifact, state) != "ok")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return SandboxHttp.WriteBytesAsync(context, StatusCodes.Status200OK, artifact.ContentType, artifact.Content);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>processing until <see cref="SandboxOptions.HhProcessingDelay"/> has passed, then ok or failed by file signature.</summary>
    private static string StateOf(HhArtifact artifact, SandboxState state)
    {
        if (state.Now - artifact.UploadedAt < state.Options.HhProcessingDelay)
        {
            return "processing";
        }

        return SampleFiles.HasImageSignature(artifact.Content) ? "ok" : "failed";
    }

    private static JsonObject State(string id) => new()
    {
        ["id"] = id,
        ["name"] = id switch
        {
            "ok" => "готово",
            "failed" => "ошибка",
            _ => "в обработке",
        },
    };

    private static JsonObject ToJson(HhArtifact artifact, HttpContext context, SandboxState state)
    {
        var stateId = StateOf(artifact, state);
        string? small = null;
        string? medium = null;
        if (stateId == "ok")
        {
            var root = $"{context.Request.Scheme}://{context.Request.Host}/sandbox/hh/images/{artifact.Id}/";
            small = root + "small.jpg";
            medium = root + "medium.jpg";
        }

        var json = new JsonObject
        {
            ["id"] = artifact.Id,
            ["state"] = State(stateId),
            ["small"] = small,
            ["medium"] = medium,
        };
        if (artifact.Type == TypePortfolio)
        {
            json["description"] = artifact.Description;
        }

        return json;
    }

    private static Task ErrorAsync(HttpContext context, SandboxState state, int status, string type, string? value)
    {
        var error = new JsonObject { ["type"] = type };
        if (value is not null)
        {
            error["value"] = value;
        }

        return SandboxHttp.WriteJsonAsync(context, status, new JsonObject
        {
            ["errors"] = new JsonArray(error),
            ["request_id"] = RequestId(state),
        });
    }

    /// <summary>Like hh.ru's: milliseconds since the epoch followed by random hex.</summary>
    private static string RequestId(SandboxState state) =>
        state.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10))[..19];
}

/// <summary>An uploaded hh.ru artifact (immutable; an edit replaces it).</summary>
internal sealed record HhArtifact(string Id, string OwnerId, string Type, string? Description, byte[] Content, string ContentType, DateTimeOffset UploadedAt);
