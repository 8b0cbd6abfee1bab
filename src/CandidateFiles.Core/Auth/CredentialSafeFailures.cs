using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;

namespace CandidateFiles.Auth;

/// <summary>
/// Keeps credentials out of transport failures. .NET's HTTP handler quotes what the server sent when it
/// cannot parse it ("Received an invalid status line: '…'"), so a server that answers with garbage
/// echoing the request's token puts that token into an <see cref="HttpRequestException"/> message, which
/// the pipeline would pass on, log and trace.
/// </summary>
internal static class CredentialSafeFailures
{
    /// <summary>
    /// <paramref name="failure"/> again, with every credential of <paramref name="request"/> redacted from
    /// its message and those of its inner exceptions (which are then left out, as they still quote them);
    /// null when it quotes none.
    /// </summary>
    /// <param name="request">The request whose credentials to look for.</param>
    /// <param name="failure">What the transport threw.</param>
    /// <returns>The safe replacement, or null to rethrow <paramref name="failure"/> as it is.</returns>
    /// <param name="more">Credentials the request carries elsewhere (its body), if any.</param>
    internal static HttpRequestException? Redacted(HttpRequestMessage request, HttpRequestException failure, IEnumerable<string>? more = null)
    {
        var redactor = CredentialRedactor.For(RequestCredentials.Of(request), more ?? Array.Empty<string>());
        var text = new StringBuilder(failure.Message);
        for (var inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.GetType().Name).Append(": ").Append(inner.Message).Append(')');
        }

        var original = text.ToString();
        var safe = redactor.Redact(original);
        return string.Equals(original, safe, StringComparison.Ordinal)
            ? null
            : HttpRequestExceptions.Create(failure.HttpRequestError, safe + " [credentials the server echoed were redacted]", inner: null, failure.StatusCode);
    }
}
