using System;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Auth;

/// <summary>
/// Supplies an access token for a request. Called before each request (cache inside if tokens are
/// costly) and once more, with <see cref="AccessTokenRequestContext.PreviousTokenRejected"/> set,
/// when the provider answered 401 to the token it returned.
/// </summary>
/// <param name="context">What the token is for.</param>
/// <param name="cancellationToken">Cancellation.</param>
/// <returns>The bare token (without the "Bearer " prefix).</returns>
public delegate ValueTask<string> AccessTokenCallback(AccessTokenRequestContext context, CancellationToken cancellationToken);

/// <summary>What an <see cref="AccessTokenCallback"/> is asked for.</summary>
public sealed class AccessTokenRequestContext
{
    /// <summary>Creates the context.</summary>
    /// <param name="requestUri">The request the token is for.</param>
    /// <param name="previousTokenRejected">True when the provider rejected the last token with 401.</param>
    public AccessTokenRequestContext(Uri requestUri, bool previousTokenRejected)
    {
        RequestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
        PreviousTokenRejected = previousTokenRejected;
    }

    /// <summary>The request the token is for.</summary>
    public Uri RequestUri { get; }

    /// <summary>True when the provider rejected the last token with 401: return a fresh one, not a cached one.</summary>
    public bool PreviousTokenRejected { get; }
}
