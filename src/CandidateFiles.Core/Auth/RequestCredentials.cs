using System;
using System.Collections.Generic;
using System.Net.Http;

namespace CandidateFiles.Auth;

/// <summary>
/// The credentials a request carried, read back from the request itself: whatever the pipeline attached
/// (bearer tokens from a callback or a token endpoint, API keys, user emails) and query values that may be
/// file tokens or identities. An error answer may echo any of them, so each is redacted from what the
/// answer turns into.
/// </summary>
internal static class RequestCredentials
{
    /// <summary>The credential values on <paramref name="request"/>; empty for null.</summary>
    /// <param name="request">The request that was sent.</param>
    /// <returns>The raw values.</returns>
    internal static IEnumerable<string> Of(HttpRequestMessage? request)
    {
        if (request is null)
        {
            yield break;
        }

        if (request.Headers.Authorization is { } authorization)
        {
            if (authorization.Parameter is { } parameter)
            {
                yield return parameter;
            }

            yield return authorization.ToString();
        }

        // The provider's credential headers, and its logged query parameters: those carry no identity, every
        // other query value is treated as one.
        var policy = RedactionPolicy.Of(request);
        foreach (var name in policy.CredentialHeaderNames)
        {
            if (request.Headers.NonValidated.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    yield return value;
                }
            }
        }

        if (request.RequestUri is { IsAbsoluteUri: true, Query.Length: > 1 } uri)
        {
            foreach (var pair in uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && !policy.IsLogged(Uri.UnescapeDataString(pair[..equals])))
                {
                    yield return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
                }
            }
        }
    }
}
