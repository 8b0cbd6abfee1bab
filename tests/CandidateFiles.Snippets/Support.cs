namespace CandidateFiles.Snippets;

/// <summary>Stands for the application's own store of hh.ru user tokens (OAuth authorization-code flow).</summary>
public sealed class MyUserTokens
{
    public ValueTask<string> GetAsync(AccessTokenRequestContext context, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the application's token store");
}

/// <summary>Stands for the application's HR Max sign-in (POST /api/auth/signIn), with a refresh on demand.</summary>
public sealed class MyHrMaxTokens
{
    public ValueTask<string> GetAsync(bool forceRefresh, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the application's HR Max sign-in");
}
