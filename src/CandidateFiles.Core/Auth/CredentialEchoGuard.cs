using System.Text;

namespace CandidateFiles.Auth;

/// <summary>
/// Keeps credentials out of transport failures. .NET's HTTP handler quotes what the server sent when it cannot
/// parse it ("Received an invalid status line: '…'"), so a server answering garbage that echoes the request puts
/// its credentials into an <see cref="HttpRequestException"/>, which the pipeline would pass on, log and trace.
/// This handler rethrows such a failure with every credential redacted: those the request carries in its
/// headers and query, and <paramref name="credentials"/> (a client secret in a form body). It sits where
/// credentials are attached, below the retry and logging handlers, so nothing above it sees the echo.
/// </summary>
internal class CredentialEchoGuard(IEnumerable<string> credentials) : DelegatingHandler
{
    private readonly string[] _credentials = (credentials ?? throw new ArgumentNullException(nameof(credentials))).ToArray();

    /// <summary>
    /// <paramref name="failure"/> with the credentials redacted from its message and its inner exceptions' (which are
    /// left out, as they still quote them); null when it quotes none.
    /// </summary>
    internal static HttpRequestException? Redacted(HttpRequestMessage request, HttpRequestException failure, IEnumerable<string>? more = null)
    {
        var text = new StringBuilder(failure.Message);
        for (var inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.GetType().Name).Append(": ").Append(inner.Message).Append(')');
        }

        var original = text.ToString();
        var safe = CredentialRedactor.For(CredentialRedactor.CredentialsOf(request), more).Redact(original);
        return string.Equals(original, safe, StringComparison.Ordinal)
            ? null
            : HttpRequestExceptions.Create(failure.HttpRequestError, safe + " [credentials the server echoed were redacted]", inner: null, failure.StatusCode);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException failure) when (Redacted(request, failure, _credentials) is { } safe)
        {
            throw safe;
        }
    }
}
