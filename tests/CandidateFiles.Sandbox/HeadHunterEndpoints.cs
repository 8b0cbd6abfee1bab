using System;
using System.Globalization;
using System.IO;
using System.Linq;
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
/// hh.ru artifacts as hh.ru's official OpenAPI describes them: <c>GET /artifacts/photo</c>,
/// <c>GET /artifacts/portfolio</c>, <c>GET /artifacts/photo/conditions</c>, <c>GET /artifacts/portfolio/conditions</c>,
/// <c>POST /artifacts</c> (multipart), <c>PUT /artifacts/{id}</c> (multipart <c>description</c>),
/// <c>DELETE /artifacts/{id}</c>, plus the processed images the artifacts link to
/// (<c>GET /sandbox/hh/images/{id}/small.jpg|medium.jpg</c>). Order of checks on every API call: user agent
/// (400), then token (403), then <c>host</c> / <c>locale</c> (400 bad_argument), then the request itself.
/// </summary>
internal static class HeadHunterEndpoints
{
    internal const string PhotoPath = "/artifacts/photo";
    internal const string PortfolioPath = "/artifacts/portfolio";
    internal const string PhotoConditionsPath = "/artifacts/photo/conditions";
    internal const string PortfolioConditionsPath = "/artifacts/portfolio/conditions";
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

    /// <summary>The media types the conditions endpoints list (image/jpg is taken as image/jpeg on upload).</summary>
    private static readonly string[] ListedImageTypes = ["image/jpeg", "image/png", "image/psd"];

    private static readonly string[] AcceptedImageTypes = [.. ListedImageTypes, "image/jpg"];

    /// <summary>The official document's <c>host</c> enum.</summary>
    internal static readonly string[] Sites = ["hh.ru", "rabota.by", "hh1.az", "hh.uz", "hh.kz", "headhunter.ge", "headhunter.kg"];

    internal static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet(PhotoPath, context => ListAsync(context, state, TypePhoto));
        routes.MapGet(PortfolioPath, context => ListAsync(context, state, TypePortfolio));
        routes.MapGet(PhotoConditionsPath, context => ConditionsAsync(context, state, TypePhoto));
        routes.MapGet(PortfolioConditionsPath, context => ConditionsAsync(context, state, TypePortfolio));
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
                    return await CheckSiteAsync(context, state) ? UserA : null;
                case SandboxCredentials.HhApplicant2Token:
                    return await CheckSiteAsync(context, state) ? UserB : null;
                case SandboxCredentials.HhEmployerToken:
                    (error, value) = ("forbidden", null);
                    break;
                case SandboxCredentials.HhApplicationToken:
                    (error, value) = ("oauth", "user_auth_expected");
                    break;
                case SandboxCredentials.HhCaptchaToken:
                    await SandboxHttp.DrainRequestAsync(context, state.Options);
                    await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status403Forbidden, new JsonObject
                    {
                        ["errors"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "captcha_required",
                            ["value"] = "captcha_required",
                            ["captcha_url"] = $"{context.Request.Scheme}://{context.Request.Host}/sandbox/hh/captcha?state=" + RequestId(state),
                            ["fallback_url"] = $"{context.Request.Scheme}://{context.Request.Host}/sandbox/hh/applicant",
                        }),
                        ["request_id"] = RequestId(state),
                    });
                    return null;
                default:
                    (error, value) = ("oauth", "bad_authorization");
                    break;
            }
        }

        await SandboxHttp.DrainRequestAsync(context, state.Options);
        await ErrorAsync(context, state, status, error!, value);
        return null;
    }

    /// <summary>
    /// <c>host</c> must be one of the documented sites and <c>locale</c> a locale id, when given (both are
    /// optional, defaulting to hh.ru and RU); otherwise 400 bad_argument naming the parameter, after the body is drained.
    /// </summary>
    private static async Task<bool> CheckSiteAsync(HttpContext context, SandboxState state)
    {
        var query = context.Request.Query;
        string? wrong = null;
        if (query.TryGetValue("host", out var host) && !Array.Exists(Sites, site => site == host.ToString()))
        {
            wrong = "host";
        }
        else if (query.TryGetValue("locale", out var locale) && !IsLocale(locale.ToString()))
        {
            wrong = "locale";
        }

        if (wrong is null)
        {
            return true;
        }

        await SandboxHttp.DrainRequestAsync(context, state.Options);
        await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", wrong, $"{wrong} has a wrong value");
        return false;
    }

    private static bool IsLocale(string text) => text.Length is >= 2 and <= 8 && text.All(char.IsAsciiLetter);

    private static bool IsEnglish(HttpContext context) => string.Equals(context.Request.Query["locale"].ToString(), "EN", StringComparison.OrdinalIgnoreCase);

    // ------------------------------------------------------------------ GET /artifacts/{photo|portfolio}/conditions

    /// <summary>The upload conditions: the sandbox's own limits, and how many artifacts of the type the user has.</summary>
    private static async Task ConditionsAsync(HttpContext context, SandboxState state, string type)
    {
        var user = await AuthenticateAsync(context, state);
        if (user is null)
        {
            return;
        }

        var options = state.Options;
        await SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["counters"] = new JsonObject
            {
                ["max"] = options.HhMaxArtifactsPerUser,
                ["uploaded"] = state.CountArtifacts(user, type),
            },
            ["fields"] = new JsonObject
            {
                ["description"] = new JsonObject { ["max_length"] = MaxDescriptionLength, ["min_length"] = 0, ["required"] = false },
                ["file"] = new JsonObject
                {
                    ["max_size"] = options.HhMaxImageBytes,
                    ["mime_type"] = new JsonArray([.. ListedImageTypes.Select(t => JsonValue.Create(t))]),
                    ["required"] = true,
                },
                ["type"] = new JsonObject { ["required"] = true },
            },
        });
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
        var extraFile = false;
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
                        case "file":
                            // hh.ru: "file" is wrong when no file or several are given.
                            extraFile = true;
                            await SandboxHttp.DrainAsync(section.Body, long.MaxValue, aborted);
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
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "file");
            return;
        }
        catch (IOException) when (!aborted.IsCancellationRequested)
        {
            await SandboxHttp.DrainRequestAsync(context, options);
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "file");
            return;
        }

        if (type is not (TypePhoto or TypePortfolio))
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "type");
            return;
        }

        if (!hasFile || extraFile)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "file");
            return;
        }

        if (descriptionTooLong)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "artifacts", "description");
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
            ["state"] = State("processing", IsEnglish(context)),
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

        // The official document: multipart/form-data with one description part. A form-encoded body (what
        // the SDK sent before) or a query parameter is not read: hh.ru answers as if description were missing.
        string? description = null;
        var boundary = SandboxHttp.MultipartBoundary(context.Request);
        if (boundary is not null)
        {
            try
            {
                var reader = new MultipartReader(boundary, context.Request.Body);
                while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
                {
                    var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                        : null;
                    if (name == "description" && description is null)
                    {
                        description = await SandboxHttp.ReadFieldAsync(section.Body, MaxFieldBytes, context.RequestAborted) ?? new string('x', MaxDescriptionLength + 1);
                    }
                    else
                    {
                        await SandboxHttp.DrainAsync(section.Body, long.MaxValue, context.RequestAborted);
                    }
                }
            }
            catch (InvalidDataException)
            {
                description = null;
            }
        }

        await SandboxHttp.DrainRequestAsync(context, state.Options);
        if (description is null)
        {
            await ErrorAsync(context, state, StatusCodes.Status400BadRequest, "bad_argument", "description", "\"description\" param required (multipart/form-data)");
            return;
        }

        if (description.Length > MaxDescriptionLength)
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

    private static JsonObject State(string id, bool english = false) => new()
    {
        ["id"] = id,
        ["name"] = (id, english) switch
        {
            ("ok", false) => "готово",
            ("failed", false) => "ошибка",
            (_, false) => "в обработке",
            ("ok", true) => "ready",
            ("failed", true) => "failed",
            _ => "processing",
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
            ["state"] = State(stateId, IsEnglish(context)),
            ["small"] = small,
            ["medium"] = medium,
        };
        if (artifact.Type == TypePortfolio)
        {
            json["description"] = artifact.Description;
        }

        return json;
    }

    private static Task ErrorAsync(HttpContext context, SandboxState state, int status, string type, string? value, string? description = null)
    {
        var error = new JsonObject { ["type"] = type };
        if (value is not null)
        {
            error["value"] = value;
        }

        var body = new JsonObject
        {
            ["errors"] = new JsonArray(error),
            ["request_id"] = RequestId(state),
        };
        if (description is not null)
        {
            body["description"] = description;
        }

        return SandboxHttp.WriteJsonAsync(context, status, body);
    }

    /// <summary>Like hh.ru's: milliseconds since the epoch followed by random hex.</summary>
    private static string RequestId(SandboxState state) =>
        state.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10))[..19];
}

/// <summary>An uploaded hh.ru artifact (immutable; an edit replaces it).</summary>
internal sealed record HhArtifact(string Id, string OwnerId, string Type, string? Description, byte[] Content, string ContentType, DateTimeOffset UploadedAt);
