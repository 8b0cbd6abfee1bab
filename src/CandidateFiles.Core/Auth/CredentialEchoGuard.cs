using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Auth;

/// <summary>
/// Rethrows a transport failure that quotes a credential (a server answering garbage that echoes the
/// request: .NET's handler quotes an unreadable status line) with every credential redacted: the ones the
/// request carries in its headers and query, and <see cref="CredentialEchoGuard(IEnumerable{string})"/>'s own
/// list (for example a client secret sent in a form body). Put it where credentials are attached, below the
/// retry and logging handlers, so nothing above it ever sees the echo.
/// </summary>
internal sealed class CredentialEchoGuard : DelegatingHandler
{
    private readonly string[] _credentials;

    /// <summary>Creates the guard.</summary>
    /// <param name="credentials">Credentials that travel in the request body, beyond its headers and query.</param>
    public CredentialEchoGuard(IEnumerable<string> credentials)
        => _credentials = (credentials ?? throw new ArgumentNullException(nameof(credentials))).ToArray();

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException failure) when (CredentialSafeFailures.Redacted(request, failure, _credentials) is { } safe)
        {
            throw safe;
        }
    }
}
