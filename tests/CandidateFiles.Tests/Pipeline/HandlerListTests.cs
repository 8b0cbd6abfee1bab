using System.Linq;
using System.Net.Http;
using CandidateFiles.HrFlow;
using NUnit.Framework;

namespace CandidateFiles.Tests.Pipeline;

/// <summary>The pipeline's handlers as a list (what an IHttpClientFactory client adds to its own chain).</summary>
[TestFixture]
public sealed class HandlerListTests
{
    private static readonly HrFlowClientOptions Options = new() { ApiKey = "askr_0123456789abcdef0123456789abcdef" };

    [Test]
    public void The_list_is_unchained_and_the_provider_handlers_come_last_before_the_request_metrics()
    {
        using var auth = new PassThroughHandler();

        var handlers = ProviderHttpPipeline.CreateDelegatingHandlers(Options, new DelegatingHandler[] { auth });

        Assert.Multiple(() =>
        {
            Assert.That(handlers.All(h => h.InnerHandler is null), Is.True, "handlers must not be chained yet");
            Assert.That(handlers[^2], Is.SameAs(auth));
            Assert.That(handlers[^1].GetType().Name, Is.EqualTo(nameof(RequestMetricsHandler)));
            Assert.That(handlers[0].GetType().Name, Is.EqualTo(nameof(CallHandler)));
        });
    }

    [Test]
    public void Each_call_gives_new_handler_instances()
    {
        var first = ProviderHttpPipeline.CreateDelegatingHandlers(Options, System.Array.Empty<DelegatingHandler>());
        var second = ProviderHttpPipeline.CreateDelegatingHandlers(Options, System.Array.Empty<DelegatingHandler>());

        Assert.That(first.Zip(second).Any(pair => ReferenceEquals(pair.First, pair.Second)), Is.False);
        Assert.That(first.Select(h => h.GetType()), Is.EqualTo(second.Select(h => h.GetType())));
    }

    [Test]
    public void The_default_transport_does_not_follow_redirects_itself()
    {
        using var transport = ProviderHttpPipeline.CreateTransport();

#if NETSTANDARD_BUILD_UNDER_TEST
        // The netstandard2.0 build's transport is HttpClientHandler, what .NET Framework has (docs/target-frameworks.md).
        Assert.That(transport, Is.InstanceOf<HttpClientHandler>());
        Assert.That(((HttpClientHandler)transport).AllowAutoRedirect, Is.False);
#else
        Assert.That(transport, Is.TypeOf<SocketsHttpHandler>());
        Assert.That(((SocketsHttpHandler)transport).AllowAutoRedirect, Is.False);
#endif
    }

    private sealed class PassThroughHandler : DelegatingHandler
    {
    }
}
