using System;

namespace CandidateFiles.HrMax;

/// <summary>The failures 104 HR Max documents, by status code.</summary>
public enum HrMaxErrorKind
{
    /// <summary>A status HR Max does not document; see the status and body.</summary>
    Other = 0,

    /// <summary>401: the access token is missing or expired; get a new one and retry.</summary>
    Unauthorized = 401,

    /// <summary>403: the user lacks the permission.</summary>
    Forbidden = 403,

    /// <summary>440: a parameter or body field is missing or malformed (for example an empty funCode or uuid).</summary>
    InvalidParameters = 440,

    /// <summary>450: the upload was rejected (multipart part not named "attachment", or the file is too large).</summary>
    UploadRejected = 450,

    /// <summary>500: HR Max failed.</summary>
    ServerError = 500,
}

/// <summary>A failed 104 HR Max call. Switch on <see cref="Kind"/>.</summary>
public sealed class HrMaxApiException : ProviderApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="response">The failed response (status 0 when nothing was sent).</param>
    /// <param name="kind">The documented failure.</param>
    /// <param name="providerErrorCode">The <c>code</c> HR Max sent.</param>
    /// <param name="providerMessage">The <c>msg</c> HR Max sent.</param>
    /// <param name="innerException">The cause (for example what the access token callback threw), or null.</param>
    public HrMaxApiException(string message, ProviderResponseInfo response, HrMaxErrorKind kind, string? providerErrorCode, string? providerMessage, Exception? innerException = null)
        : base(message, response, providerErrorCode, providerMessage, innerException)
    {
        Kind = kind;
    }

    /// <summary>The documented failure, or <see cref="HrMaxErrorKind.Other"/>.</summary>
    public HrMaxErrorKind Kind { get; }

    private protected override Enum ClassifiedKind => Kind;
}
