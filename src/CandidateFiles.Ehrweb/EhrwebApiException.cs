using System;

namespace CandidateFiles.Ehrweb;

/// <summary>Error codes the 104 Ehrweb Resume API documents in its <c>FileAccessError</c> body.</summary>
public enum EhrwebErrorCode
{
    /// <summary>No documented code: see the status and <see cref="ProviderApiException.ResponseBody"/>.</summary>
    None = 0,

    /// <summary>895: the file has expired or is temporarily unavailable; fetch a new fileId from the resume or retry later.</summary>
    FileExpiredOrUnavailable = 895,

    /// <summary>900: the access token's company does not match the guiNum sent; check GuiNum and the client credentials.</summary>
    CompanyMismatch = 900,
}

/// <summary>A failed 104 Ehrweb Resume API call. Switch on <see cref="ErrorCode"/> for the documented cases.</summary>
public sealed class EhrwebApiException : ProviderApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="response">The failed response.</param>
    /// <param name="errorCode">The documented error code, or <see cref="EhrwebErrorCode.None"/>.</param>
    /// <param name="providerErrorCode">The code as the provider sent it.</param>
    /// <param name="providerMessage">The provider's message.</param>
    public EhrwebApiException(string message, ProviderResponseInfo response, EhrwebErrorCode errorCode, string? providerErrorCode, string? providerMessage)
        : base(message, response, providerErrorCode, providerMessage, innerException: null)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The documented error, or <see cref="EhrwebErrorCode.None"/>.</summary>
    public EhrwebErrorCode ErrorCode { get; }
}
