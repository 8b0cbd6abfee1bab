namespace CandidateFiles;

/// <summary>
/// A provider answered with an error, or with a response the client cannot read. Each provider package derives
/// <c>&lt;Provider&gt;ApiException</c>, shaped alike: a <c>Kind</c> property of its <c>&lt;Provider&gt;ErrorKind</c>
/// enum classifies the documented failures. Catch this type for "any provider failure", the derived one for specifics.
/// </summary>
/// <remarks>
/// Nothing in the message, the properties or <see cref="ToString"/> carries a credential: request query strings
/// are dropped (a provider's file token is bearer-like), credential-carrying headers are not kept, and secrets
/// and the request's credentials are redacted from the headers and the body excerpt.
/// </remarks>
public class ProviderApiException : Exception
{
    /// <summary>
    /// Creates the exception for a response the generated client could not use (for example an undeclared
    /// status). This is the constructor NSwag's generated code calls.
    /// </summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">HTTP status code.</param>
    /// <param name="response">Response text, when read.</param>
    /// <param name="headers">Response headers.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProviderApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException)
        : this(
            message,
            // The generated code passes a ResponseHeaderDictionary, whose request says which call it was and which credentials it carried.
            ProviderResponseInfo.Of("provider", statusCode, (headers as ResponseHeaderDictionary)?.Response.RequestMessage, headers ?? new Dictionary<string, IEnumerable<string>>(), contentType: null, response, truncated: false, cut: true),
            providerErrorCode: null,
            providerMessage: null,
            innerException)
    {
    }

    /// <summary>Creates the exception from a failed provider response.</summary>
    /// <param name="message">What went wrong, for people; should say what the caller can do.</param>
    /// <param name="response">The safe description of the response.</param>
    /// <param name="providerErrorCode">The provider's own error code (for example "895", "bad_user_agent"), when it sent one.</param>
    /// <param name="providerMessage">The provider's own error message, when it sent one.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProviderApiException(string message, ProviderResponseInfo response, string? providerErrorCode, string? providerMessage, Exception? innerException)
        : base(message, innerException)
    {
        Response = response ?? throw new ArgumentNullException(nameof(response));
        ProviderErrorCode = providerErrorCode;
        ProviderMessage = providerMessage;
    }

    /// <summary>The failed response, with secrets removed.</summary>
    public ProviderResponseInfo Response { get; }

    /// <summary>Display name of the provider that answered.</summary>
    public string Provider => Response.Provider;

    /// <summary>HTTP status code of the response (0 when nothing was sent).</summary>
    public int StatusCode => Response.StatusCode;

    /// <summary>The provider's own error code (for example "900", "450", "oauth:token_expired"), or null.</summary>
    public string? ProviderErrorCode { get; }

    /// <summary>The provider's own error message, or null.</summary>
    public string? ProviderMessage { get; }

    /// <summary>Body excerpt (capped, secrets redacted), or null when the response had none.</summary>
    public string? ResponseBody => Response.Body;

    /// <summary>Response and content headers (credential-carrying ones left out).</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers => Response.Headers;

    /// <summary>HTTP method of the failed request, when known.</summary>
    public string? RequestMethod => Response.RequestMethod;

    /// <summary>Path of the failed request without its query string, when known.</summary>
    public string? RequestPath => Response.RequestPath;

    /// <summary>How many attempts were made (more than 1 when retries ran out).</summary>
    public int Attempts => Response.Attempts;

    // The derived type's Kind, so that ToString shows it the same way for every provider.
    private protected virtual Enum? ClassifiedKind => null;

    /// <inheritdoc />
    public override string ToString()
        => base.ToString()
            + $"\nProvider: {Provider}\nStatus: {StatusCode}\nAttempts: {Attempts}"
            + (RequestMethod is null && RequestPath is null ? string.Empty : $"\nRequest: {RequestMethod} {RequestPath}")
            + (ClassifiedKind is { } kind ? $"\nKind: {kind}" : string.Empty)
            + (ProviderErrorCode is null ? string.Empty : $"\nProvider error code: {ProviderErrorCode}")
            + (ResponseBody is null ? string.Empty : $"\nResponse body{(Response.BodyTruncated ? " (excerpt)" : string.Empty)}: {ResponseBody}");
}
