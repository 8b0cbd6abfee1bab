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
    private readonly ConcurrentDictionary<string, Lazy<EhrwebTokenSource>> _sources = new(StringComparer.Ordinal);

    public IAccessTokenProvider Get(string name, EhrwebResumeClientOptions options, CredentialHosts hosts)
    {
        if (options.AccessTokenProvider is not null)
        {
            return options.AccessTokenProvider;
        }

        var key = string.Join('\n', name, options.TokenEndpoint, options.ClientId, options.ClientSecret, options.Scope, options.CredentialStyle, string.Join(',', hosts.Hosts));
        // Token requests go through the provider pipeline (retries, logging, a span) over a transport of their own.
        return _sources.GetOrAdd(key, _ => new Lazy<EhrwebTokenSource>(() => EhrwebTokenSource.Create(options, hosts, transport: null))).Value.Provider;
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
