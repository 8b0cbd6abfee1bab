namespace CandidateFiles.Auth;

/// <summary>
/// The credentials a request carried, read back from the request: what the pipeline attached (bearer tokens,
/// API keys, user emails: the provider's credential headers) and every query value the provider does not
/// declare as logged (file tokens, identities). An error answer may echo any of them.
/// </summary>
internal static class RequestCredentials
{
    /// <summary>The credential values on <paramref name="request"/>, raw; empty for null.</summary>
    internal static IEnumerable<string> Of(HttpRequestMessage? request)
    {
        if (request?.Headers.Authorization is { } authorization)
        {
            yield return authorization.ToString();
            if (authorization.Parameter is { } parameter)
            {
                yield return parameter;
            }
        }

        var policy = RedactionPolicy.Of(request);
        foreach (var name in request is null ? [] : policy.CredentialHeaderNames)
        {
            if (request!.Headers.NonValidated.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    yield return value;
                }
            }
        }

        var query = request?.RequestUri is { IsAbsoluteUri: true, Query.Length: > 1 } uri ? uri.Query[1..] : string.Empty;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && !policy.IsLogged(Uri.UnescapeDataString(pair[..equals])))
            {
                yield return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }
    }
}
