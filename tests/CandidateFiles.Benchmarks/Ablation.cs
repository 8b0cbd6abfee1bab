using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using Microsoft.Extensions.Logging;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// Where our per-call time goes: "ablate [size]". Our 104 client makes headshot calls (100 KB unless
/// given) with the whole pipeline, and again with one handler left out each time, and with no pipeline
/// at all (generated code and partial over the transport, the bearer token from the same cache raw
/// HttpClient uses); raw HttpClient runs beside them. Clients take turns as in the paired run, and each
/// figure is the median per-round ratio to the full pipeline: what leaving that handler out saves.
/// </summary>
public static class Ablation
{
    public static async Task<int> RunAsync(long size)
    {
        await using var server = await BenchServer.StartAsync();
        var logging = NullWriterLoggerProvider.CreateFactory();
        var options = OurVariant.EhrwebOptions(server.Root, logging);
        var handlerNames = ProviderHttpPipeline.CreateDelegatingHandlers(options, []).Select(h => h.GetType().Name).ToList();
        var clients = new List<(string Name, Func<Task> Call, IDisposable Owner)>();
        var raw = Variant.Create("raw", server.Root);
        clients.Add(("raw HttpClient", () => raw.HeadshotAsync(size, CancellationToken.None), raw));
        clients.Add(Ours("ours, full pipeline", size, server.Root, logging, _ => true));
        foreach (var name in handlerNames.Distinct())
        {
            clients.Add(Ours("ours without " + name, size, server.Root, logging, h => h.GetType().Name != name));
        }

        clients.Add(Ours("ours without BearerTokenHandler (token added by the benchmark's handler)", size, server.Root, logging, h => h is not Auth.BearerTokenHandler));
        clients.Add(Ours("ours, no pipeline (generated code + partial only)", size, server.Root, logging, _ => false));
        clients.Add(Ours("ours, full pipeline, time limits off (no timers)", size, server.Root, logging, _ => true, timeLimits: false));
        clients.Add(Ours("ours, full pipeline, logging off (no logger factory)", size, server.Root, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _ => true));

        clients.Add(Ours("ours, full pipeline, logging on into a sink that discards (our side of the log line)", size, server.Root, NullWriterLoggerProvider.CreateFactory(format: false), _ => true));
        clients.Add(Ours("ours, full pipeline, time limits and body stall watch off", size, server.Root, logging, _ => true, timeLimits: false, stallWatch: false));
        clients.Add(Ours("ours, full pipeline, time limits, stall watch and logging off (the attempt loop alone)", size, server.Root, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _ => true, timeLimits: false, stallWatch: false));
        const int Rounds = 150;
        const int Calls = 20;
        var seconds = (await Rotation.RunAsync(clients.Select(c => c.Call).ToArray(), Rounds, Calls, warmUpOperations: 200)).Seconds;

        Console.WriteLine($"104 headshot of {size} B, {Rounds} rounds of {Calls} calls per client; median per-round ratio to the full pipeline and median time per call:");
        for (var c = 0; c < clients.Count; c++)
        {
            Console.WriteLine($"  {Rotation.RatioQuartiles(seconds[c], seconds[1]).Median,5:0.00}  {Rotation.Median(seconds[c]) * 1e6,7:0.0} µs  {clients[c].Name}");
        }

        foreach (var client in clients)
        {
            client.Owner.Dispose();
        }

        return 0;
    }

    private static (string, Func<Task>, IDisposable) Ours(string name, long size, Uri root, ILoggerFactory logging, Func<DelegatingHandler, bool> keep, bool timeLimits = true, bool stallWatch = true)
    {
        var options = OurVariant.EhrwebOptions(root, logging);
        if (!stallWatch)
        {
            options.Timeouts.MinimumBytesPerSecond = 0;
        }

        if (!timeLimits)
        {
            options.Timeouts.PerAttempt = Timeout.InfiniteTimeSpan;
            options.Timeouts.Overall = Timeout.InfiniteTimeSpan;
        }

        var http = new HttpClient(Variant.Transport());
        var tokens = new HandWrittenTokenCache(http, options.TokenEndpoint!);
        var client = OurClient(options, new StaticTokens(tokens), Variant.Transport(), keep, authWhenLeftOut: new BearerHandler(tokens.GetAsync));
        return (name, async () =>
        {
            using var file = await client.GetHeadshotAsync("large-" + size, CancellationToken.None).ConfigureAwait(false);
            await file.Stream.CopyToAsync(new CountingStream(), CancellationToken.None).ConfigureAwait(false);
        }, new Owners(client, http));
    }

    /// <summary>
    /// Our 104 client over <paramref name="transport"/> with those of the pipeline's handlers that
    /// <paramref name="keep"/> accepts (bearer auth from <paramref name="tokens"/>); when auth is left out,
    /// <paramref name="authWhenLeftOut"/> (if any) takes its place.
    /// </summary>
    internal static EhrwebResumeClient OurClient(EhrwebResumeClientOptions options, Microsoft.Kiota.Abstractions.Authentication.IAccessTokenProvider tokens, HttpMessageHandler transport, Func<DelegatingHandler, bool> keep, DelegatingHandler? authWhenLeftOut = null)
    {
        var handlers = ProviderHttpPipeline.CreateDelegatingHandlers(options, [new Auth.BearerTokenHandler(tokens, Auth.CredentialHosts.For(options.Endpoint!, []))]).Where(keep).ToList();
        if (authWhenLeftOut is not null && !handlers.OfType<Auth.BearerTokenHandler>().Any())
        {
            handlers.Add(authWhenLeftOut);
        }

        var chain = Microsoft.Kiota.Http.HttpClientLibrary.KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(transport, handlers.ToArray())!;
        return new EhrwebResumeClient(options, new HttpClient(chain) { Timeout = Timeout.InfiniteTimeSpan });
    }

    private sealed class StaticTokens(HandWrittenTokenCache cache) : Microsoft.Kiota.Abstractions.Authentication.IAccessTokenProvider
    {
        public Microsoft.Kiota.Abstractions.Authentication.AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
            => cache.GetAsync(cancellationToken);
    }

    private sealed class Owners(params IDisposable[] owned) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in owned)
            {
                item.Dispose();
            }
        }
    }
}

/// <summary>
/// The pipeline's own CPU cost per call, without a network: "ablate-cpu". The same 104 headshot call goes
/// through our client over an in-memory transport that answers at once, with the whole pipeline and with
/// each handler left out in turn, many thousand times per client in rotating rounds.
/// </summary>
public static class PipelineCpu
{
    public static async Task<int> RunAsync()
    {
        var logging = NullWriterLoggerProvider.CreateFactory();
        var root = new Uri("http://127.0.0.1:1/");
        var names = ProviderHttpPipeline.CreateDelegatingHandlers(OurVariant.EhrwebOptions(root, logging), []).Select(h => h.GetType().Name).Distinct().ToList();
        var clients = new List<(string Name, EhrwebResumeClient Client)> { ("full pipeline", Create(root, logging, _ => true)) };
        clients.AddRange(names.Select(n => ("without " + n, Create(root, logging, h => h.GetType().Name != n))));
        clients.Add(("no pipeline", Create(root, logging, h => h is Auth.BearerTokenHandler)));
        clients.Add(("full pipeline, logging off (no logger factory)", Create(root, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _ => true)));
        clients.Add(("full pipeline, logging on into a sink that discards (our side of the log line)", Create(root, NullWriterLoggerProvider.CreateFactory(format: false), _ => true)));
        const int Rounds = 30;
        const int Calls = 2000;
        var operations = clients.Select(c => (Func<Task>)(async () =>
        {
            using var file = await c.Client.GetHeadshotAsync("f", CancellationToken.None).ConfigureAwait(false);
            await file.Stream.CopyToAsync(Stream.Null).ConfigureAwait(false);
        })).ToArray();
        var seconds = (await Rotation.RunAsync(operations, Rounds, Calls, warmUpOperations: 2 * Calls)).Seconds;

        Console.WriteLine($"104 headshot over an in-memory transport, {Rounds} rounds of {Calls} calls: median time per call, and its difference to the full pipeline");
        for (var c = 0; c < clients.Count; c++)
        {
            var median = Rotation.Median(seconds[c]) * 1e6;
            var full = Rotation.Median(seconds[0]) * 1e6;
            Console.WriteLine($"  {median,7:0.00} µs  {median - full,7:+0.00;-0.00;0.00}  {clients[c].Name}");
            clients[c].Client.Dispose();
        }

        return 0;
    }

    private static EhrwebResumeClient Create(Uri root, ILoggerFactory logging, Func<DelegatingHandler, bool> keep)
        => Ablation.OurClient(OurVariant.EhrwebOptions(root, logging), new FixedToken(), new InstantTransport(), keep);

    private sealed class FixedToken : Microsoft.Kiota.Abstractions.Authentication.IAccessTokenProvider
    {
        private static readonly Task<string> Token = Task.FromResult(BenchServer.Token);

        public Microsoft.Kiota.Abstractions.Authentication.AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) => Token;
    }

    private sealed class InstantTransport : HttpMessageHandler
    {
        private static readonly byte[] Body = [1];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(Body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
