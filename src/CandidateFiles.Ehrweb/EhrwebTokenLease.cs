using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;

namespace CandidateFiles.Ehrweb;

/// <summary>
/// The built-in client-credentials token source with the HTTP client its token requests go through (the
/// provider pipeline: retries, logging, a span). Shared by every client built from one options instance and
/// disposed with the last of them, so short-lived clients leave no token connections open.
/// </summary>
internal sealed class EhrwebTokenSource : IDisposable
{
    private EhrwebTokenSource(ClientCredentialsTokenProvider provider, HttpClient tokenClient)
    {
        Provider = provider;
        TokenClient = tokenClient;
    }

    public ClientCredentialsTokenProvider Provider { get; }

    public HttpClient TokenClient { get; }

    /// <summary>How many clients use this source (guarded by the owner's lock).</summary>
    public int Leases { get; set; }

    /// <summary>Creates the source; its token requests go through the provider pipeline over <paramref name="transport"/>.</summary>
    /// <param name="options">Validated options with client credentials.</param>
    /// <param name="hosts">Where the issued token may go.</param>
    /// <param name="transport">The caller's transport (not disposed here), or null for one of its own.</param>
    /// <returns>The source.</returns>
    public static EhrwebTokenSource Create(EhrwebResumeClientOptions options, CredentialHosts hosts, HttpMessageHandler? transport)
    {
        // The token request carries the client secret in its body (or its Basic header): a transport failure
        // quoting it is redacted before the retry and logging handlers see it.
        var guard = new CredentialEchoGuard(new[] { options.ClientSecret!, options.ClientId! });
        var tokenClient = ProviderHttpPipeline.CreateHttpClient(options, new DelegatingHandler[] { guard }, transport is null ? null : new KeepOpen(transport));
        var provider = new ClientCredentialsTokenProvider(
            options.TokenEndpoint,
            options.ClientId!,
            options.ClientSecret!,
            options.Scope,
            options.CredentialStyle,
            hosts.Hosts,
            tokenClient,
            options.TimeProvider);
        return new EhrwebTokenSource(provider, tokenClient);
    }

    public void Dispose()
    {
        Provider.Dispose();
        TokenClient.Dispose();
    }

    /// <summary>Passes requests to a transport someone else owns, and leaves it open when the chain is disposed.</summary>
    private sealed class KeepOpen(HttpMessageHandler transport) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _transport = new(transport, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => _transport.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Sits in a client's handler chain holding that client's share of an <see cref="EhrwebTokenSource"/>;
/// disposing the chain (the client) gives the share back.
/// </summary>
internal sealed class EhrwebTokenLeaseHandler(Action release) : DelegatingHandler
{
    private Action? _release = release;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => base.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _release, null)?.Invoke();
        }

        base.Dispose(disposing);
    }
}
