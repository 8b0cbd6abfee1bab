using System;

namespace CandidateFiles.Ehrweb;

/// <summary>The failures the 104 Ehrweb Resume API documents, by the <c>code</c> of its <c>FileAccessError</c> body.</summary>
public enum EhrwebErrorKind
{
    /// <summary>No documented code: see the status and <see cref="ProviderApiException.ResponseBody"/>.</summary>
    Other = 0,

    /// <summary>895: the file has expired or is temporarily unavailable; fetch a new fileId from the resume or retry later.</summary>
    FileExpiredOrUnavailable = 895,

    /// <summary>900: the access token's company does not match the guiNum sent; check GuiNum and the client credentials.</summary>
    CompanyMismatch = 900,
}

/// <summary>A failed 104 Ehrweb Resume API call. Switch on <see cref="Kind"/>.</summary>
public sealed class EhrwebApiException : ProviderApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="response">The failed response.</param>
    /// <param name="kind">The documented failure.</param>
    /// <param name="providerErrorCode">The <c>code</c> 104 sent.</param>
    /// <param name="providerMessage">The <c>message</c> 104 sent.</param>
    /// <param name="innerException">The cause, or null.</param>
    public EhrwebApiException(string message, ProviderResponseInfo response, EhrwebErrorKind kind, string? providerErrorCode, string? providerMessage, Exception? innerException = null)
        : base(message, response, providerErrorCode, providerMessage, innerException)
    {
        Kind = kind;
    }

    /// <summary>The documented failure, or <see cref="EhrwebErrorKind.Other"/>.</summary>
    public EhrwebErrorKind Kind { get; }

    private protected override Enum ClassifiedKind => Kind;
}
