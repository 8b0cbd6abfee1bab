using System;
using System.Collections.Generic;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>
/// Options of a provider whose calls carry a user's bearer token that the caller obtains
/// (104 HR Max, hh.ru): give either a callback or a Kiota token provider.
/// </summary>
public abstract class BearerTokenOptions : ProviderClientOptions
{
    /// <summary>Returns the access token for each call (asked again once when the provider answers 401).</summary>
    public AccessTokenCallback? AccessTokenCallback { get; set; }

    /// <summary>A Kiota token provider, instead of <see cref="AccessTokenCallback"/>.</summary>
    public IAccessTokenProvider? AccessTokenProvider { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if ((AccessTokenCallback is null) == (AccessTokenProvider is null))
        {
            throw Invalid(nameof(AccessTokenCallback), "or AccessTokenProvider must be set (exactly one): it supplies the user's access token for each call.");
        }
    }

    /// <summary>The token source as a Kiota provider.</summary>
    /// <param name="hosts">Where the token may go.</param>
    /// <returns>The provider.</returns>
    protected internal IAccessTokenProvider GetTokenProvider(CredentialHosts hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return AccessTokenProvider ?? new CallbackAccessTokenProvider(AccessTokenCallback!, hosts.Hosts);
    }

    /// <summary>Creates the bearer-token handler for these options.</summary>
    /// <param name="defaultEndpoint">The provider's production base URL, used when <see cref="ProviderClientOptions.Endpoint"/> is null.</param>
    /// <param name="isTokenRejected">The provider's test for "token no longer good"; null means status 401.</param>
    /// <returns>The handler.</returns>
    public BearerTokenHandler CreateBearerTokenHandler(Uri defaultEndpoint, Func<System.Net.Http.HttpResponseMessage, System.Threading.CancellationToken, System.Threading.Tasks.Task<bool>>? isTokenRejected = null)
    {
        var hosts = CredentialHosts.For(Endpoint ?? defaultEndpoint, AdditionalAllowedHosts);
        return new BearerTokenHandler(GetTokenProvider(hosts), hosts, isTokenRejected);
    }
}
