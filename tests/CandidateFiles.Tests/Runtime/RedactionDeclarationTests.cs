using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// Each provider declares its own credential headers and logged query parameters in its options; Core's
/// redirect scrubber, log, credential redactor and exception header filter all read that one declaration.
/// A made-up provider (its own key header, its own shown parameter) proves Core knows no provider's names.
/// </summary>
[TestFixture]
public sealed class RedactionDeclarationTests
{
    private const string PartnerHeader = "X-Partner-Token";
    private const string PartnerToken = "partner-secret-0123456789";

    private LoopbackServer _provider = null!;
    private LoopbackServer _foreign = null!;

    [SetUp]
    public async Task Start()
    {
        _provider = await LoopbackServer.StartAsync();
        _foreign = await LoopbackServer.StartAsync();
    }

    [TearDown]
    public async Task Stop()
    {
        await _provider.DisposeAsync();
        await _foreign.DisposeAsync();
    }

    [Test]
    public void Each_provider_declares_its_own_logged_query_parameters_and_credential_headers()
    {
        var declared = new (ProviderClientOptions Options, string[] Logged, string[] Headers)[]
        {
            (new EhrwebResumeClientOptions(), ["type"], []),
            (new HeadHunterClientOptions(), ["page", "per_page", "locale", "host"], []),
            (new HrFlowClientOptions(), [], ["X-API-KEY", "X-USER-EMAIL"]),
            (new HrMaxClientOptions(), [], []),
        };

        foreach (var (options, logged, headers) in declared)
        {
            var name = options.GetType().Name;
            Assert.That(options.LoggedQueryParameters, Is.EquivalentTo(logged), name);
            Assert.That(options.CredentialHeaderNames, Is.EquivalentTo(headers), name);
            var policy = RedactionPolicy.For(options);
            Assert.That(policy.CredentialHeaderNames, Is.EquivalentTo(new[] { "Authorization", "Proxy-Authorization", "Cookie" }.Concat(headers)), name);
            Assert.That(policy.LoggedQueryParameters, Is.EquivalentTo(logged), name);
        }
    }

    [Test]
    public void The_logged_parameters_of_one_provider_are_not_shown_for_another()
    {
        var uri = new Uri("https://api.example/files?type=1&page=2&locale=EN&fileId=tok");

        Assert.That(RedactionPolicy.For(new EhrwebResumeClientOptions()).Redact(uri), Is.EqualTo("/files?type=1&page=***&locale=***&fileId=***"));
        Assert.That(RedactionPolicy.For(new HeadHunterClientOptions()).Redact(uri), Is.EqualTo("/files?type=***&page=2&locale=EN&fileId=***"));
        Assert.That(RedactionPolicy.For(new HrFlowClientOptions()).Redact(uri), Is.EqualTo("/files?type=***&page=***&locale=***&fileId=***"));
        Assert.That(RedactionPolicy.Default.Redact(uri), Is.EqualTo("/files?type=***&page=***&locale=***&fileId=***"));
    }

    [Test]
    public async Task Logs_show_exactly_the_declared_parameters_and_a_caller_can_change_them()
    {
        _provider.OnJson("/items", 200, "{}");
        var logs = new CapturingLoggerFactory();
        var options = Options(logs);
        options.LoggedQueryParameters.Add("Cursor");
        options.LoggedQueryParameters.Remove("region");
        using var http = CreateHttpClient(options);

        using var response = await http.GetAsync(new Uri(_provider.BaseAddress, "items?region=eu&cursor=abc&owner=me%40example.com"));

        var line = logs.Lines.Single();
        Assert.That(line, Does.Contain("GET /items?region=***&cursor=abc&owner=***"));
        Assert.That(line, Does.Not.Contain("me@example.com").And.Not.Contain(PartnerToken));
    }

    [Test]
    public async Task A_redirect_to_an_allowed_host_carries_neither_declared_credentials_nor_provider_headers_only_generic_ones()
    {
        _provider.On("/items", (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"http://localhost:{_foreign.BaseAddress.Port}/items";
            return Task.CompletedTask;
        });
        _foreign.OnJson("/items", 200, "{}");
        // Another origin is followed only when listed (RedirectFollower); then without declared credentials.
        var options = Options(null);
        options.Redirects.AllowedHosts.Add("localhost");
        using var http = ProviderHttpPipeline.CreateHttpClient(options, Array.Empty<DelegatingHandler>());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_provider.BaseAddress, "items"));
        request.Headers.Add(PartnerHeader, PartnerToken);
        request.Headers.Add("X-Trace-Note", "a-provider-header");
        request.Headers.Add("Accept-Language", "zh-TW");

        using var response = await http.SendAsync(request);

        Assert.That(response.IsSuccessStatusCode, Is.True, "the redirect was followed");
        Assert.That(_provider.SingleRequest("/items").Header(PartnerHeader), Is.EqualTo(PartnerToken));
        var followed = _foreign.SingleRequest("/items");
        Assert.That(followed.Header(PartnerHeader), Is.Null);
        Assert.That(followed.Header("X-Trace-Note"), Is.Null, "only generic headers go to another origin (RedirectFollower)");
        Assert.That(followed.Header("Accept-Language"), Is.EqualTo("zh-TW"), "a generic header follows");
    }

    [Test]
    public async Task An_answer_echoing_the_declared_header_or_an_unshown_query_value_keeps_neither()
    {
        _provider.On("/items", (context, _) =>
        {
            context.Response.StatusCode = 400;
            context.Response.Headers[PartnerHeader] = PartnerToken;
            context.Response.Headers["X-Request-Id"] = "r-1";
            return Task.CompletedTask;
        });
        using var http = CreateHttpClient(Options(null));

        using var response = await http.GetAsync(new Uri(_provider.BaseAddress, "items?region=eu&owner=owner-secret-value"));

        var kept = SafeHeaders.Filter(new ResponseHeaderDictionary(response), response.RequestMessage);
        Assert.That(kept.Keys, Has.None.EqualTo(PartnerHeader).IgnoreCase);
        Assert.That(kept.Keys, Has.Some.EqualTo("X-Request-Id").IgnoreCase);
        var credentials = CredentialRedactor.CredentialsOf(response.RequestMessage).ToArray();
        Assert.That(credentials, Does.Contain(PartnerToken).And.Contain("owner-secret-value"));
        Assert.That(credentials, Does.Not.Contain("eu"), "a logged parameter is not a credential");
    }

    [Test]
    public void A_request_sent_around_the_pipeline_gets_the_strictest_reading()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/items?page=2&type=1");
        request.Headers.TryAddWithoutValidation("Cookie", "session-cookie-value");

        var credentials = CredentialRedactor.CredentialsOf(request).ToArray();

        Assert.That(credentials, Does.Contain("2").And.Contain("1").And.Contain("session-cookie-value"));
    }

    private PartnerClientOptions Options(CapturingLoggerFactory? logs)
    {
        var options = new PartnerClientOptions { Endpoint = _provider.BaseAddress, LoggerFactory = logs };
        options.Retry.MaxRetries = 0;
        return options;
    }

    private static HttpClient CreateHttpClient(PartnerClientOptions options)
        => ProviderHttpPipeline.CreateHttpClient(options, new DelegatingHandler[]
        {
            new ApiKeyHandler(new[] { new KeyValuePair<string, string>(PartnerHeader, PartnerToken) }, CredentialHosts.For(options.Endpoint!, options.AdditionalAllowedHosts)),
        });

    /// <summary>A provider Core has never heard of: its own key header, its own shown parameter.</summary>
    private sealed class PartnerClientOptions : ProviderClientOptions
    {
        public PartnerClientOptions()
        {
            LoggedQueryParameters.Add("region");
        }

        protected internal override string ProviderName => "Partner";

        protected internal override IEnumerable<string> CredentialHeaderNames => [PartnerHeader];

        protected internal override IEnumerable<string> GetSecrets() => [PartnerToken];
    }
}
