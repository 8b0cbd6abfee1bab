using System;
using System.Collections.Generic;
using System.Linq;

namespace CandidateFiles.HeadHunter;

/// <summary>One entry of hh.ru's <c>{errors: [{type, value}]}</c> error body.</summary>
public sealed class HeadHunterError
{
    /// <summary>Creates the entry.</summary>
    /// <param name="type">Error type (bad_user_agent, oauth, forbidden, bad_argument, artifacts, ...).</param>
    /// <param name="value">Error value (token_expired, limit_exceeded, file, ...), or null.</param>
    public HeadHunterError(string type, string? value)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Value = value;
    }

    /// <summary>Error type.</summary>
    public string Type { get; }

    /// <summary>Error value, or null.</summary>
    public string? Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value is null ? Type : Type + ":" + Value;
}

/// <summary>The failures hh.ru documents for artifacts, from the first entry of its error body.</summary>
public enum HeadHunterErrorKind
{
    /// <summary>Not a documented case; see <see cref="HeadHunterApiException.Errors"/>.</summary>
    Other = 0,

    /// <summary>400 bad_user_agent: User-Agent / HH-User-Agent missing or blacklisted.</summary>
    BadUserAgent,

    /// <summary>403 oauth bad_authorization: the token is invalid.</summary>
    BadAuthorization,

    /// <summary>403 oauth token_expired: refresh the user's token.</summary>
    TokenExpired,

    /// <summary>403 oauth token_revoked: the user revoked the token.</summary>
    TokenRevoked,

    /// <summary>403 oauth application_not_found: the application was deleted or blocked.</summary>
    ApplicationNotFound,

    /// <summary>403 forbidden, or 403 without a body: the current user is not an applicant.</summary>
    Forbidden,

    /// <summary>400 bad_argument: a parameter is wrong (<see cref="HeadHunterError.Value"/> names it: file, type, description).</summary>
    BadArgument,

    /// <summary>400 artifacts limit_exceeded: too many artifacts; delete some first.</summary>
    LimitExceeded,

    /// <summary>400 artifacts image_too_large, or 413: the image is too large.</summary>
    ImageTooLarge,

    /// <summary>400 artifacts unknown_format: the file format is not accepted.</summary>
    UnknownFormat,

    /// <summary>404: the artifact does not exist or belongs to another user.</summary>
    NotFound,
}

/// <summary>A failed hh.ru call. Switch on <see cref="Kind"/> or inspect <see cref="Errors"/>.</summary>
public sealed class HeadHunterApiException : ProviderApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="response">The failed response.</param>
    /// <param name="kind">The documented failure.</param>
    /// <param name="errors">The entries of hh.ru's error body (empty when there was none).</param>
    /// <param name="requestId">hh.ru's request id, for support, or null.</param>
    public HeadHunterApiException(string message, ProviderResponseInfo response, HeadHunterErrorKind kind, IReadOnlyList<HeadHunterError> errors, string? requestId)
        : base(message, response, errors is { Count: > 0 } ? errors[0].ToString() : null, errors is { Count: > 0 } ? errors[0].Value : null, innerException: null)
    {
        Kind = kind;
        Errors = errors ?? Array.Empty<HeadHunterError>();
        RequestId = requestId;
    }

    /// <summary>The documented failure, or <see cref="HeadHunterErrorKind.Other"/>.</summary>
    public HeadHunterErrorKind Kind { get; }

    /// <summary>All entries of hh.ru's error body.</summary>
    public IReadOnlyList<HeadHunterError> Errors { get; }

    /// <summary>hh.ru's request id, for support, or null.</summary>
    public string? RequestId { get; }

    /// <summary>True when the body holds an error of <paramref name="type"/> (and <paramref name="value"/>, when given).</summary>
    /// <param name="type">Error type.</param>
    /// <param name="value">Error value, or null for any.</param>
    /// <returns>Whether such an error was returned.</returns>
    public bool HasError(string type, string? value = null)
        => Errors.Any(e => e.Type == type && (value is null || e.Value == value));
}
