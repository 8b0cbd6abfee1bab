using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Adversarial;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace CandidateFiles.Tests.DependencyInjection;

/// <summary>
/// An app that adds <c>AddStandardResilienceHandler</c> to every client through <c>ConfigureHttpClientDefaults</c>
/// (common with .NET Aspire) must not get it inside the SDK's clients: it would retry POSTs the SDK never repeats
/// and impose its own time limits on the SDK's.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ResilienceIsolationTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task An_apps_default_resilience_handler_stays_out_of_the_sdks_clients(bool defaultsFirst)
    {
        await using var api = new RawTcpServer("api", RawTcpServer.Always(503, "application/json", """{"code":503,"msg":"busy"}"""));
        var services = new ServiceCollection();
        if (defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }

        services.AddHrMaxClient(o =>
        {
            o.Endpoint = api.BaseAddress;
            o.AccessTokenCallback = (_, _) => new ValueTask<string>("t");
        });
        if (!defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }

        services.AddHttpClient("app-own");
        await using var provider = services.BuildServiceProvider();

        var chain = Chain(provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("CandidateFiles.HrMaxClient"));
        var appChain = Chain(provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("app-own"));
        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => provider.GetRequiredService<IHrMaxClient>().AttachFileAsync("wf010", new MemoryStream(new byte[] { 1, 2, 3 }), "a.pdf"));

        Assert.Multiple(() =>
        {
            Assert.That(appChain.Select(h => h.GetType().Namespace), Has.Some.StartsWith("Microsoft.Extensions.Http.Resilience"), "the app's own clients keep it");
            Assert.That(chain.Select(h => h.GetType().Namespace), Has.None.StartsWith("Microsoft.Extensions.Http.Resilience"));
            Assert.That(error!.StatusCode, Is.EqualTo(503));
            Assert.That(api.Requests, Has.Count.EqualTo(1), "a POST answered 503 without Retry-After is not repeated");
        });
    }

    private static List<HttpMessageHandler> Chain(HttpMessageHandler first)
    {
        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? handler = first; handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(handler);
        }

        return chain;
    }
}
