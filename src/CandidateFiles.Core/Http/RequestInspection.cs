using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using System.Web;

namespace CandidateFiles;

/// <summary>
/// Reads what a generated operation is about to send, so a provider can validate arguments in its
/// PrepareRequestAsync hook (the only place that sees every generated call) before anything goes out.
/// </summary>
internal static class RequestInspection
{
    /// <summary>The value of query parameter <paramref name="name"/>, or null when absent.</summary>
    /// <param name="request">The request.</param>
    /// <param name="name">Parameter name as sent.</param>
    /// <returns>The decoded value, or null.</returns>
    public static string? Query(HttpRequestMessage request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null)
        {
            return null;
        }

        var query = uri.IsAbsoluteUri ? uri.Query : (uri.OriginalString.Contains('?', StringComparison.Ordinal) ? uri.OriginalString[uri.OriginalString.IndexOf('?', StringComparison.Ordinal)..] : string.Empty);
        return QueryString.Get(query, name);
    }

    /// <summary>True when the request is <paramref name="method"/> on a path ending with <paramref name="pathSuffix"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="pathSuffix">End of the path, for example "/files/attachment".</param>
    /// <returns>Whether it matches.</returns>
    public static bool Is(HttpRequestMessage request, HttpMethod method, string pathSuffix)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString.Split('?')[0];
        return request.Method == method && path is not null && path.EndsWith(pathSuffix, StringComparison.Ordinal);
    }

    /// <summary>The multipart part named <paramref name="name"/>, or null.</summary>
    /// <param name="request">The request.</param>
    /// <param name="name">Part name.</param>
    /// <returns>The part, or null.</returns>
    public static HttpContent? Part(HttpRequestMessage request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.Content as MultipartFormDataContent)?.FirstOrDefault(part =>
            string.Equals(part.Headers.ContentDisposition?.Name?.Trim('"'), name, StringComparison.Ordinal));
    }

    /// <summary>Reads a small text part or body (form field, JSON document). Buffered content only.</summary>
    /// <param name="content">The content, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The text, or null when there is no content.</returns>
    public static async Task<string?> TextAsync(HttpContent? content, CancellationToken cancellationToken)
        => content is ByteArrayContent ? await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;

    /// <summary>A form-urlencoded body's field, or null.</summary>
    /// <param name="request">The request.</param>
    /// <param name="name">Field name.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The decoded value, or null.</returns>
    public static async Task<string?> FormFieldAsync(HttpRequestMessage request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is not FormUrlEncodedContent form)
        {
            return null;
        }

        var text = await form.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return HttpUtility.ParseQueryString(text)[name];
    }
}

/// <summary>Builds the argument errors providers throw before sending, naming the caller's parameter.</summary>
internal static class InvalidArgument
{
    /// <summary>An <see cref="ArgumentException"/> for the generated operation's parameter <paramref name="parameter"/>.</summary>
    /// <param name="parameter">The parameter of the operation the caller called.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <returns>The exception to throw.</returns>
    public static ArgumentException For(string parameter, string message) => new(message, parameter);
}
