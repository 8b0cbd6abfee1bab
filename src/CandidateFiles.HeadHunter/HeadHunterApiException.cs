using System;
using System.Collections.Generic;
using System.Linq;

namespace CandidateFiles.HeadHunter;

/// <summary>
/// One entry of hh.ru's error body <c>{request_id, description?, errors: [{type, value?, reason?, pointer?,
/// description?, captcha_url?, fallback_url?}]}</c> (hh.ru's OpenAPI and its error reference, docs/errors.md).
/// </summary>
public sealed class HeadHunterError
{
    /// <summary>Creates the entry.</summary>
    /// <param name="type">Error type (artifacts, bad_argument, bad_json_data, oauth, forbidden, captcha_required, bad_user_agent, not_found, service_unavailable, ...).</param>
    /// <param name="value">Error value (the wrong field for artifacts/bad_argument/bad_json_data, else the reason: token_expired, limit_exceeded, ...), or null.</param>
    public HeadHunterError(string type, string? value)
        : this(type, value, reason: null, pointer: null, description: null, captchaUrl: null, fallbackUrl: null)
    {
    }

    /// <summary>Creates the entry with every documented field.</summary>
    /// <param name="type">Error type.</param>
    /// <param name="value">Error value, or null.</param>
    /// <param name="reason">Why the field is wrong (bad_json_data: required, invalid, ...; bad_argument: too_long_value, ...), or null.</param>
    /// <param name="pointer">JSON Pointer (RFC 6901) to the wrong field (bad_json_data), or null.</param>
    /// <param name="description">hh.ru's description of this error, or null.</param>
    /// <param name="captchaUrl">captcha_required: the page where the user passes the CAPTCHA, or null.</param>
    /// <param name="fallbackUrl">captcha_required: a page where the same operation can be done, or null.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "hh.ru's field is a JSON Pointer (RFC 6901) and is called pointer.")]
    public HeadHunterError(string type, string? value, string? reason, string? pointer, string? description, Uri? captchaUrl, Uri? fallbackUrl)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Value = value;
        Reason = reason;
        Pointer = pointer;
        Description = description;
        CaptchaUrl = captchaUrl;
        FallbackUrl = fallbackUrl;
    }

    /// <summary>Error type.</summary>
    public string Type { get; }

    /// <summary>Error value, or null.</summary>
    public string? Value { get; }

    /// <summary>Why the field is wrong (<c>reason</c>), or null.</summary>
    public string? Reason { get; }

    /// <summary>JSON Pointer to the wrong field (<c>pointer</c>), or null.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "hh.ru's field is a JSON Pointer (RFC 6901) and is called pointer.")]
    public string? Pointer { get; }

    /// <summary>hh.ru's description of this error (<c>description</c>), or null.</summary>
    public string? Description { get; }

    /// <summary>captcha_required: the page where the user passes the CAPTCHA (<c>captcha_url</c>), or null.</summary>
    public Uri? CaptchaUrl { get; }

    /// <summary>captcha_required: a page where the same operation can be done (<c>fallback_url</c>), or null.</summary>
    public Uri? FallbackUrl { get; }

    /// <summary>The pair as <c>type:value</c> (or <c>type</c>), the exception's <see cref="ProviderApiException.ProviderErrorCode"/>.</summary>
    internal string Code => Value is null ? Type : Type + ":" + Value;

    /// <inheritdoc />
    public override string ToString()
        => Code + (Reason is null ? string.Empty : " (" + Reason + (Pointer is null ? string.Empty : " at " + Pointer) + ")");
}

/// <summary>
/// The failures hh.ru documents for artifacts (its OpenAPI and its error reference), from the first entry of
/// its error body, or from the status when there is none. Each has advice in <see cref="Exception.Message"/>.
/// </summary>
public enum HeadHunterErrorKind
{
    /// <summary>Not a documented case; the message and <see cref="HeadHunterApiException.Errors"/> give the type/value pair.</summary>
    Other = 0,

    /// <summary>400 bad_user_agent (unset, blacklisted): User-Agent / HH-User-Agent missing or blacklisted.</summary>
    BadUserAgent,

    /// <summary>403 oauth bad_authorization (or oauth without a value): the token is invalid. Also status 0, nothing sent: the token source (AccessTokenCallback) failed or returned no token.</summary>
    BadAuthorization,

    /// <summary>403 oauth token_expired: refresh the user's token.</summary>
    TokenExpired,

    /// <summary>403 oauth token_revoked: the user or hh.ru revoked the token.</summary>
    TokenRevoked,

    /// <summary>403 oauth application_not_found: the application was deleted.</summary>
    ApplicationNotFound,

    /// <summary>403 forbidden, or 403 without a body: the current user is not an applicant (or may not do this).</summary>
    Forbidden,

    /// <summary>
    /// 400 bad_argument, or 400 artifacts file / type / description: a parameter or part is wrong;
    /// <see cref="HeadHunterError.Value"/> names it (file: missing or several; type: not photo/portfolio;
    /// description: too long).
    /// </summary>
    BadArgument,

    /// <summary>400 artifacts limit_exceeded: too many artifacts of the type; delete some first.</summary>
    LimitExceeded,

    /// <summary>413 (or 400) artifacts image_too_large: the image is too large.</summary>
    ImageTooLarge,

    /// <summary>400 artifacts unknown_format: the file format is not accepted.</summary>
    UnknownFormat,

    /// <summary>404 not_found: the artifact does not exist or belongs to another user.</summary>
    NotFound,

    /// <summary>400 bad_json_data: a field is wrong; <see cref="HeadHunterApiException.Reason"/> and <see cref="HeadHunterApiException.Pointer"/> say which and why.</summary>
    BadJsonData,

    /// <summary>403 oauth user_auth_expected: an application token was sent where a user's token is needed.</summary>
    UserAuthExpected,

    /// <summary>403 oauth application_auth_expected: a user's token was sent where the application's token is needed.</summary>
    ApplicationAuthExpected,

    /// <summary>403 captcha_required: the user must pass a CAPTCHA at <see cref="HeadHunterApiException.CaptchaUrl"/> (with a backurl added), then repeat the call.</summary>
    CaptchaRequired,

    /// <summary>503 service_unavailable, or 503 without a JSON body: hh.ru cannot handle the request now; try again later.</summary>
    ServiceUnavailable,

    /// <summary>500 or another 5xx (but 503) without a documented error: an unexpected failure at hh.ru.</summary>
    ServerError,
}

/// <summary>
/// A failed hh.ru call. Test <see cref="Kind"/> or inspect <see cref="Errors"/>; the message says what
/// happened (with hh.ru's own description, when it sent one) and what to do.
/// </summary>
public sealed class HeadHunterApiException : ProviderApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="response">The failed response.</param>
    /// <param name="kind">The documented failure.</param>
    /// <param name="errors">The entries of hh.ru's error body (empty when there was none); the first gives <see cref="ProviderApiException.ProviderErrorCode"/>.</param>
    /// <param name="requestId">hh.ru's request id, for support, or null.</param>
    /// <param name="description">The body's top-level <c>description</c>, or null.</param>
    /// <param name="innerException">The cause, or null.</param>
    public HeadHunterApiException(string message, ProviderResponseInfo response, HeadHunterErrorKind kind, IReadOnlyList<HeadHunterError> errors, string? requestId, string? description = null, Exception? innerException = null)
        : base(message, response, errors is { Count: > 0 } ? errors[0].Code : null, description ?? FirstOf(errors, e => e.Description) ?? (errors is { Count: > 0 } ? errors[0].Value : null), innerException)
    {
        Kind = kind;
        Errors = errors ?? Array.Empty<HeadHunterError>();
        RequestId = requestId;
        Description = description;
        CaptchaUrl = FirstOf(Errors, e => e.CaptchaUrl);
        FallbackUrl = FirstOf(Errors, e => e.FallbackUrl);
        Reason = FirstOf(Errors, e => e.Reason);
        Pointer = FirstOf(Errors, e => e.Pointer);
    }

    /// <summary>The documented failure, or <see cref="HeadHunterErrorKind.Other"/>.</summary>
    public HeadHunterErrorKind Kind { get; }

    /// <summary>All entries of hh.ru's error body.</summary>
    public IReadOnlyList<HeadHunterError> Errors { get; }

    /// <summary>hh.ru's request id, for support (api@hh.ru), or null.</summary>
    public string? RequestId { get; }

    /// <summary>The body's top-level <c>description</c> (also in <see cref="ProviderApiException.ProviderMessage"/> and the message), or null.</summary>
    public string? Description { get; }

    /// <summary>
    /// <see cref="HeadHunterErrorKind.CaptchaRequired"/>: the page where the user passes the CAPTCHA, after
    /// which the same call succeeds. Add a <c>backurl</c> query parameter (with a scheme, such as https:// or
    /// your app's) for hh.ru to send the user back to. Null when hh.ru gave none.
    /// </summary>
    public Uri? CaptchaUrl { get; }

    /// <summary><see cref="HeadHunterErrorKind.CaptchaRequired"/>: a page where the user can do the same operation on the site (often behind a CAPTCHA too), or null.</summary>
    public Uri? FallbackUrl { get; }

    /// <summary>Why the field is wrong (bad_json_data / bad_argument <c>reason</c>: required, invalid, too_long_value, ...), or null.</summary>
    public string? Reason { get; }

    /// <summary>JSON Pointer to the wrong field (bad_json_data <c>pointer</c>), or null.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "hh.ru's field is a JSON Pointer (RFC 6901) and is called pointer.")]
    public string? Pointer { get; }

    /// <summary>True when the body holds an error of <paramref name="type"/> (and <paramref name="value"/>, when given).</summary>
    /// <param name="type">Error type.</param>
    /// <param name="value">Error value, or null for any.</param>
    /// <returns>Whether such an error was returned.</returns>
    public bool HasError(string type, string? value = null)
        => Errors.Any(e => e.Type == type && (value is null || e.Value == value));

    private protected override Enum ClassifiedKind => Kind;

    private static T? FirstOf<T>(IReadOnlyList<HeadHunterError>? errors, Func<HeadHunterError, T?> field)
        where T : class
        => errors?.Select(field).FirstOrDefault(value => value is not null);
}

/// <summary>hh.ru's documented type/value pairs and statuses, mapped to <see cref="HeadHunterErrorKind"/> with advice.</summary>
internal static class HeadHunterErrorClassifier
{
    /// <summary>The kind of the first error entry; only when there is none, the kind the status alone implies.</summary>
    internal static HeadHunterErrorKind Classify(int status, HeadHunterError? first)
    {
        if (first is null)
        {
            return status switch
            {
                403 => HeadHunterErrorKind.Forbidden,
                404 => HeadHunterErrorKind.NotFound,
                413 => HeadHunterErrorKind.ImageTooLarge,
                503 => HeadHunterErrorKind.ServiceUnavailable,
                >= 500 and < 600 => HeadHunterErrorKind.ServerError,
                _ => HeadHunterErrorKind.Other,
            };
        }

        return (first.Type, first.Value) switch
        {
            ("bad_user_agent", "unset" or "blacklisted") => HeadHunterErrorKind.BadUserAgent,
            ("oauth", null or "bad_authorization") => HeadHunterErrorKind.BadAuthorization,
            ("oauth", "token_expired") => HeadHunterErrorKind.TokenExpired,
            ("oauth", "token_revoked") => HeadHunterErrorKind.TokenRevoked,
            ("oauth", "application_not_found") => HeadHunterErrorKind.ApplicationNotFound,
            ("oauth", "user_auth_expected") => HeadHunterErrorKind.UserAuthExpected,
            ("oauth", "application_auth_expected") => HeadHunterErrorKind.ApplicationAuthExpected,
            ("forbidden", _) => HeadHunterErrorKind.Forbidden,
            ("captcha_required", _) => HeadHunterErrorKind.CaptchaRequired,

            // bad_argument and bad_json_data name whichever parameter or field is wrong.
            ("bad_argument", _) => HeadHunterErrorKind.BadArgument,
            ("bad_json_data", _) => HeadHunterErrorKind.BadJsonData,
            ("artifacts", "file" or "type" or "description") => HeadHunterErrorKind.BadArgument,
            ("artifacts", "limit_exceeded") => HeadHunterErrorKind.LimitExceeded,
            ("artifacts", "image_too_large") => HeadHunterErrorKind.ImageTooLarge,
            ("artifacts", "unknown_format") => HeadHunterErrorKind.UnknownFormat,
            ("not_found", _) => HeadHunterErrorKind.NotFound,
            ("service_unavailable", _) => HeadHunterErrorKind.ServiceUnavailable,
            _ => HeadHunterErrorKind.Other,
        };
    }

    /// <summary>What the caller can do about <paramref name="kind"/>; empty when nothing specific.</summary>
    internal static string Advice(HeadHunterErrorKind kind, HeadHunterError? first) => kind switch
    {
        HeadHunterErrorKind.BadUserAgent => "hh.ru rejected the application's user agent: check HeadHunterClientOptions.UserAgent (\"AppName/1.0 (contact@example.com)\").",
        HeadHunterErrorKind.TokenExpired => "The user's access token expired: refresh it.",
        HeadHunterErrorKind.BadAuthorization => "The access token does not exist or is not valid: authorize the user again.",
        HeadHunterErrorKind.TokenRevoked => "The user or hh.ru revoked the access token: authorize the user again.",
        HeadHunterErrorKind.ApplicationNotFound => "hh.ru no longer knows this application (it was deleted): register it again and use its new credentials.",
        HeadHunterErrorKind.UserAuthExpected => "An application token was sent, but this call needs a user's token: authorize the applicant (OAuth authorization code) and return that token from AccessTokenCallback.",
        HeadHunterErrorKind.ApplicationAuthExpected => "A user's token was sent, but this call needs the application's token (client credentials): return that from AccessTokenCallback.",
        HeadHunterErrorKind.Forbidden => "The current user is not an applicant (or may not do this): artifacts belong to applicants.",
        HeadHunterErrorKind.CaptchaRequired => "The user must pass a CAPTCHA first: open CaptchaUrl in their browser with a backurl query parameter added (an absolute URL with a scheme, such as https:// or your app's) to return to, then repeat the call; FallbackUrl is a page where they can do the same on the site.",
        HeadHunterErrorKind.BadArgument => first?.Value switch
        {
            "file" => "hh.ru rejected the file: send exactly one file part with the image.",
            "type" => "hh.ru rejected the artifact type: send photo or portfolio.",
            "description" => "hh.ru rejected the description: it is too long (see GetUploadConditionsAsync for the limit). Shorten it.",
            null => "A request parameter is wrong.",
            var name => $"The parameter \"{name}\" is wrong{(first.Reason is null ? string.Empty : $" ({first.Reason})")}: correct it.",
        },
        HeadHunterErrorKind.BadJsonData => $"The field \"{first?.Value}\"{(first?.Pointer is null ? string.Empty : $" at {first.Pointer}")} is wrong{(first?.Reason is null ? string.Empty : $" ({first.Reason})")}: correct it.",
        HeadHunterErrorKind.LimitExceeded => "The applicant has as many artifacts of this type as hh.ru allows: delete some before uploading more.",
        HeadHunterErrorKind.ImageTooLarge => "The image is too large: make it smaller (GetUploadConditionsAsync gives hh.ru's limit).",
        HeadHunterErrorKind.UnknownFormat => "hh.ru does not accept this file format: convert the image to one GetUploadConditionsAsync lists (JPEG, PNG or PSD).",
        HeadHunterErrorKind.NotFound => "The artifact does not exist or belongs to another user.",
        HeadHunterErrorKind.ServiceUnavailable => "hh.ru cannot handle the request now: try again later.",
        HeadHunterErrorKind.ServerError => "hh.ru failed unexpectedly: try again later, and quote the request id to hh.ru support (api@hh.ru) if it persists.",
        _ => first is null ? string.Empty : $"hh.ru's error {first} is not one the SDK knows; see Errors and hh.ru's error reference.",
    };
}
