using System;

namespace CandidateFiles.HrFlow;

/// <summary>The failures HrFlow's API documents, by status code.</summary>
public enum HrFlowErrorKind
{
    /// <summary>A status HrFlow does not document; see the status and body.</summary>
    Other = 0,

    /// <summary>400: invalid query, or no profile matches it.</summary>
    BadRequest = 400,

    /// <summary>401: the API key is invalid.</summary>
    Unauthorized = 401,

    /// <summary>402: the plan's quota is used up.</summary>
    QuotaExceeded = 402,

    /// <summary>404: not found.</summary>
    NotFound = 404,

    /// <summary>422: the request was understood but cannot be processed.</summary>
    Unprocessable = 422,

    /// <summary>5xx: HrFlow failed.</summary>
    ServerError = 500,
}

/// <summary>A failed HrFlow.ai call. Switch on <see cref="Kind"/>.</summary>
public sealed class HrFlowApiException : ProviderApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="response">The failed response.</param>
    /// <param name="kind">The documented failure.</param>
    /// <param name="providerErrorCode">The <c>code</c> HrFlow sent.</param>
    /// <param name="providerMessage">The <c>message</c> HrFlow sent (API key redacted).</param>
    /// <param name="innerException">The cause, or null.</param>
    public HrFlowApiException(string message, ProviderResponseInfo response, HrFlowErrorKind kind, string? providerErrorCode, string? providerMessage, Exception? innerException = null)
        : base(message, response, providerErrorCode, providerMessage, innerException)
    {
        Kind = kind;
    }

    /// <summary>The documented failure, or <see cref="HrFlowErrorKind.Other"/>.</summary>
    public HrFlowErrorKind Kind { get; }

    private protected override Enum ClassifiedKind => Kind;
}
