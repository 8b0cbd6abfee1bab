using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>Adapts an <see cref="AccessTokenCallback"/> to Kiota's <see cref="IAccessTokenProvider"/>.</summary>
public sealed class CallbackAccessTokenProvider : IAccessTokenProvider
{
    private readonly AccessTokenCallback _callback;

    /// <summary>Creates the adapter.</summary>
    /// <param name="callback">The caller's token source.</param>
    /// <param name="allowedHosts">Hosts the token may be sent to.</param>
    public CallbackAccessTokenProvider(AccessTokenCallback callback, IEnumerable<string> allowedHosts)
    {
        _callback = callback ?? throw new ArgumentNullException(nameof(callback));
        AllowedHostsValidator = new AllowedHostsValidator(allowedHosts);
    }

    /// <inheritdoc />
    public AllowedHostsValidator AllowedHostsValidator { get; }

    /// <inheritdoc />
    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var rejected = additionalAuthenticationContext?.ContainsKey(BearerTokenHandler.PreviousTokenRejectedKey) == true;
        var token = await _callback(new AccessTokenRequestContext(uri, rejected), cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException("The access token callback returned an empty token.");
        }

        return token;
    }
}
