using System;
using System.Collections.Generic;
using System.Text;

namespace CandidateFiles;

/// <summary>
/// The one exception type the SDK throws when a provider answers with an error, or with a
/// response the client cannot read. Every provider package derives its own type from it
/// (<c>&lt;Provider&gt;ApiException</c>) with the provider's documented error codes, so callers
/// can catch this type for "any provider failure" or the derived one for specifics.
/// </summary>
/// <remarks>
/// Nothing in the message, the properties or <see cref="ToString"/> carries a credential: request
/// query strings are dropped (a provider's file token is bearer-like), credential-carrying
/// headers are not kept, and configured secrets are redacted from the body excerpt.
/// </remarks>
public class ProviderApiException : Exception
{
    private static readonly IReadOnlyDictionary<string, IEnumerable<string>> NoHeaders =
        new Dictionary<string, IEnumerable<string>>();

    // The generated clients pass their ResponseHeaderDictionary, which knows the request: so an
    // undeclared status or an unreadable success body still says which call it was (path without query).
    private static System.Net.Http.HttpRequestMessage? RequestOf(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
        => (headers as ResponseHeaderDictionary)?.Response.RequestMessage;

    /// <summary>
    /// Creates the exception for a response the generated client could not use (for example an
    /// unreadable success body). This is the constructor NSwag's generated code calls.
    /// </summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">HTTP status code.</param>
    /// <param name="response">Response text, when read.</param>
    /// <param name="headers">Response headers.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProviderApiException(
        string message,
        int statusCode,
        string? response,
        IReadOnlyDictionary<string, IEnumerable<string>>? headers,
        Exception? innerException)
        : this(message, Describe(statusCode, response, headers), providerErrorCode: null, providerMessage: null, innerException)
    {
    }

    // What the generated code hands over, made safe: the request behind the headers says which call it was and
    // which credentials it carried, each redacted (in every form) from the headers and the body excerpt.
    private static ProviderResponseInfo Describe(int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        var request = RequestOf(headers);
        var redactor = Auth.CredentialRedactor.For(Auth.RequestCredentials.Of(request));
        return new ProviderResponseInfo(
            "provider",
            statusCode,
            request?.Method.Method,
            request?.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : null,
            redactor.Redact(SafeHeaders.Filter(headers ?? NoHeaders, request)),
            contentType: null,
            ResponseExcerpt.Cut(redactor.Redact(response), out var truncated),
            truncated);
    }

    /// <summary>Creates the exception from a failed provider response.</summary>
    /// <param name="message">What went wrong, for people; should say what the caller can do.</param>
    /// <param name="response">The safe description of the response.</param>
    /// <param name="providerErrorCode">The provider's own error code (for example "895", "bad_user_agent"), when it sent one.</param>
    /// <param name="providerMessage">The provider's own error message, when it sent one.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProviderApiException(
        string message,
        ProviderResponseInfo response,
        string? providerErrorCode,
        string? providerMessage,
        Exception? innerException)
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

    /// <summary>HTTP status code of the response.</summary>
    public int StatusCode => Response.StatusCode;

    /// <summary>The provider's own error code (for example "900", "450", "token_expired"), or null.</summary>
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

    /// <summary>Kept for NSwag compatibility: the same as <see cref="ResponseBody"/>.</summary>
    public string? ResponseText => Response.Body;

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder(base.ToString());
        text.Append("\nProvider: ").Append(Provider)
            .Append("\nStatus: ").Append(StatusCode)
            .Append("\nAttempts: ").Append(Attempts);
        if (RequestMethod is not null || RequestPath is not null)
        {
            text.Append("\nRequest: ").Append(RequestMethod).Append(' ').Append(RequestPath);
        }

        if (ProviderErrorCode is not null)
        {
            text.Append("\nProvider error code: ").Append(ProviderErrorCode);
        }

        if (ResponseBody is not null)
        {
            text.Append("\nResponse body").Append(Response.BodyTruncated ? " (excerpt)" : string.Empty)
                .Append(": ").Append(ResponseBody);
        }

        return text.ToString();
    }
}

/// <summary>
/// The typed variant NSwag's generated code uses for error responses with a schema. The SDK turns
/// every error status into a provider-specific <see cref="ProviderApiException"/> before NSwag's
/// own status handling runs, so callers normally never see this type.
/// </summary>
/// <typeparam name="TResult">The error body type.</typeparam>
public class ProviderApiException<TResult> : ProviderApiException
{
    /// <summary>Creates the exception (constructor NSwag's generated code calls).</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">HTTP status code.</param>
    /// <param name="response">Response text, when read.</param>
    /// <param name="headers">Response headers.</param>
    /// <param name="result">The deserialized error body.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProviderApiException(
        string message,
        int statusCode,
        string? response,
        IReadOnlyDictionary<string, IEnumerable<string>>? headers,
        TResult result,
        Exception? innerException)
        : base(message, statusCode, response, headers, innerException)
    {
        Result = result;
    }

    /// <summary>The deserialized error body.</summary>
    public TResult Result { get; }
}
