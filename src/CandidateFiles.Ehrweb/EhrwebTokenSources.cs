using System;
using System.Collections.Concurrent;
using CandidateFiles.Auth;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Ehrweb;

/// <summary>
/// The OAuth token sources of the dependency-injection clients: one per named instance (and per set of
/// credentials, so a configuration reload with new credentials gets a new token), shared by every
/// client and every handler chain the HTTP client factory builds for that instance. A singleton in the
/// container, which disposes it.
/// </summary>
internal sealed class EhrwebTokenSources : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ClientCredentialsTokenProvider>> _sources = new(StringComparer.Ordinal);

    public IAccessTokenProvider Get(string name, EhrwebResumeClientOptions options, CredentialHosts hosts)
    {
        if (options.AccessTokenProvider is not null)
        {
            return options.AccessTokenProvider;
        }

        var key = string.Join('\n', name, options.TokenEndpoint, options.ClientId, options.ClientSecret, options.Scope, options.CredentialStyle, string.Join(',', hosts.Hosts));
        return _sources.GetOrAdd(key, _ => new Lazy<ClientCredentialsTokenProvider>(() => new ClientCredentialsTokenProvider(
            options.TokenEndpoint,
            options.ClientId!,
            options.ClientSecret!,
            options.Scope,
            options.CredentialStyle,
            hosts.Hosts,
            tokenHttpClient: null,
            options.TimeProvider))).Value;
    }

    /// <summary>How many token sources exist (tests).</summary>
    public int Count => _sources.Count;

    public void Dispose()
    {
        foreach (var source in _sources.Values)
        {
            if (source.IsValueCreated)
            {
                source.Value.Dispose();
            }
        }

        _sources.Clear();
    }
}
