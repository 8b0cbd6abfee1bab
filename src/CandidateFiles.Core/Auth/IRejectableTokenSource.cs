namespace CandidateFiles.Auth;

/// <summary>
/// A token source that can be told a token was rejected without being asked for a new one at once: a
/// request whose body cannot be sent again ends with the rejection, and the next need then asks anew
/// instead of reusing the rejected token.
/// </summary>
internal interface IRejectableTokenSource
{
    /// <summary>Drops <paramref name="token"/> from the cache if it is still there.</summary>
    /// <param name="token">The rejected token.</param>
    void Reject(string token);
}
