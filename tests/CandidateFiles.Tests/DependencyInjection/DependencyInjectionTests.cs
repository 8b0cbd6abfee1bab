using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace CandidateFiles.Tests.DependencyInjection;

/// <summary>services.Add&lt;Provider&gt;Client(...): configuration, validation at start, named instances, the pipeline in the factory's chain.</summary>
[TestFixture]
public sealed class DependencyInjectionTests
{
    private SandboxHost _sandbox = null!;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions { HhProcessingDelay = TimeSpan.Zero });

    [OneTimeTearDown]
    public async Task StopSandbox() => await _sandbox.DisposeAsync();

    [SetUp]
    public void ResetSandbox()
    {
        _sandbox.State.Reset();
        _sandbox.State.Faults.Clear();
    }

    private IConfiguration Configuration(params (string Key, string? Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private (string, string?)[] EhrwebCompany(string prefix, string clientId, string secret, string guiNum) => new (string, string?)[]
    {
        ($"{prefix}:Endpoint", _sandbox.At("external/").ToString()),
        ($"{prefix}:TokenEndpoint", _sandbox.At("oauth2/token").ToString()),
        ($"{prefix}:GuiNum", guiNum),
        ($"{prefix}:ClientId", clientId),
        ($"{prefix}:ClientSecret", secret),
    };

    [Test]
    public async Task The_default_client_binds_its_options_from_a_configuration_section_and_calls_the_provider()
    {
        var configuration = Configuration(
            ("CandidateFiles:HrFlow:Endpoint", _sandbox.At("v1/").ToString()),
            ("CandidateFiles:HrFlow:ApiKey", SandboxCredentials.HrFlowApiKey),
            ("CandidateFiles:HrFlow:Retry:MaxRetries", "1"),
            ("CandidateFiles:HrFlow:Timeouts:PerAttempt", "00:00:20"));
        var services = new ServiceCollection();
        services.AddHrFlowClient(configuration.GetSection("CandidateFiles:HrFlow"));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var client = provider.GetRequiredService<IHrFlowClient>();
        var list = await client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key: SandboxCredentials.HrFlowProfileId);

        var options = provider.GetRequiredService<IOptionsMonitor<HrFlowClientOptions>>().Get(Options.DefaultName);
        Assert.Multiple(() =>
        {
            Assert.That(client, Is.TypeOf<HrFlowClient>());
            Assert.That(list.Data, Has.Count.EqualTo(2));
            Assert.That(options.Retry.MaxRetries, Is.EqualTo(1));
            Assert.That(options.Timeouts.PerAttempt, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(_sandbox.State.Requests.Single().Header("X-API-KEY"), Is.EqualTo(SandboxCredentials.HrFlowApiKey));
        });
    }

    [Test]
    public async Task Two_named_104_companies_side_by_side_each_with_its_own_guiNum_credentials_and_one_token()
    {
        var configuration = Configuration(
            EhrwebCompany("CandidateFiles:Ehrweb:companyA", SandboxCredentials.EhrwebClientId, SandboxCredentials.EhrwebClientSecret, SandboxCredentials.EhrwebGuiNum)
            .Concat(EhrwebCompany("CandidateFiles:Ehrweb:companyB", SandboxCredentials.EhrwebOtherClientId, SandboxCredentials.EhrwebOtherClientSecret, SandboxCredentials.EhrwebOtherGuiNum)).ToArray());
        var services = new ServiceCollection();
        services.AddEhrwebResumeClient("companyA", configuration.GetSection("CandidateFiles:Ehrweb:companyA"));
        services.AddEhrwebResumeClient("companyB", configuration.GetSection("CandidateFiles:Ehrweb:companyB"));
        services.AddTransient<TwoCompanies>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // Three calls per company, each through a newly resolved client (transient, like every typed client).
        for (var i = 0; i < 3; i++)
        {
            var both = provider.GetRequiredService<TwoCompanies>();
            using (await both.A.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId))
            {
            }

            using (await both.B.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId))
            {
            }
        }

        var guiNums = _sandbox.State.Requests.Where(r => r.Path == "/external/files/headshot").Select(r => r.Header("104-Additional-Info")).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(guiNums.Count(g => g == "guiNum=" + SandboxCredentials.EhrwebGuiNum), Is.EqualTo(3));
            Assert.That(guiNums.Count(g => g == "guiNum=" + SandboxCredentials.EhrwebOtherGuiNum), Is.EqualTo(3));
            Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(2), "one token per named instance, shared by its clients");
            Assert.That(() => provider.GetRequiredService<IEhrwebResumeClient>(), Throws.InvalidOperationException, "only named instances were registered");
            Assert.That(provider.GetRequiredKeyedService<IEhrwebResumeClient>("companyA"), Is.TypeOf<EhrwebResumeClient>());
        });
    }

    [Test]
    public async Task The_token_cache_of_a_named_instance_outlives_the_factorys_handler_rotation()
    {
        var services = new ServiceCollection();
        services.AddEhrwebResumeClient("companyA", Configuration(EhrwebCompany("A", SandboxCredentials.EhrwebClientId, SandboxCredentials.EhrwebClientSecret, SandboxCredentials.EhrwebGuiNum)).GetSection("A"))
            .SetHandlerLifetime(TimeSpan.FromSeconds(1));
        await using var provider = services.BuildServiceProvider();

        var handlerChains = new HashSet<HttpMessageHandler>(ReferenceEqualityComparer.Instance);
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();
        for (var i = 0; i < 2; i++)
        {
            handlerChains.Add(factory.CreateHandler("CandidateFiles.EhrwebResumeClient:companyA"));
            using (await provider.GetRequiredKeyedService<IEhrwebResumeClient>("companyA").GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId))
            {
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        Assert.That(handlerChains, Has.Count.GreaterThan(1), "the factory built new handler chains");
        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Missing_settings_fail_the_host_start_naming_the_instance_the_configuration_key_and_the_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CandidateFiles:Ehrweb:companyA:ClientId"] = "id",
            ["CandidateFiles:Ehrweb:companyA:ClientSecret"] = "secret",
        });
        builder.Services.AddEhrwebResumeClient("companyA", builder.Configuration.GetSection("CandidateFiles:Ehrweb:companyA"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("EhrwebResumeClientOptions named 'companyA'"));
        Assert.That(error.Message, Does.Contain("'CandidateFiles:Ehrweb:companyA:GuiNum'"));
        Assert.That(error.Message, Does.Contain("GuiNum must be the company's 8-digit tax id"));
    }

    [Test]
    public void A_wrong_setting_given_in_code_fails_validation_at_start_with_the_options_own_message()
    {
        var services = new ServiceCollection();
        services.AddHeadHunterClient(o => o.UserAgent = "no version");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(error!.Message, Does.Contain("The HeadHunterClientOptions is invalid"));
        Assert.That(error.Message, Does.Contain("HeadHunterClientOptions.AccessTokenCallback").Or.Contain("HeadHunterClientOptions.UserAgent"));
    }

    [Test]
    public async Task A_token_callback_from_the_container_and_the_logger_factory_of_the_container_are_used()
    {
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddSingleton(new HhTokenStore(SandboxCredentials.HhApplicantToken));
        services.AddHeadHunterClient(
            Configuration(("hh:Endpoint", _sandbox.Root.ToString()), ("hh:UserAgent", "DiTests/1.0 (tests@example.com)")).GetSection("hh"),
            (options, provider) => options.AccessTokenCallback = provider.GetRequiredService<HhTokenStore>().GetAsync);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IHeadHunterClient>();
        var page = await client.ListPhotosAsync(0, 20);

        Assert.That(page.Items, Is.Empty);
        Assert.That(_sandbox.State.Requests.Single().Header("Authorization"), Is.EqualTo("Bearer " + SandboxCredentials.HhApplicantToken));
        Assert.That(logs.Lines, Has.Some.StartsWith("Information CandidateFiles.HeadHunter: hh.ru GET /artifacts/photo?page=0&per_page=20&locale=RU&host=hh.ru -> 200"));
        Assert.That(logs.Lines, Has.None.Contains("System.Net.Http.HttpClient"), "the factory's own request logging (full URLs) is removed");
    }

    [Test]
    public async Task The_factory_chain_retries_like_the_pipeline()
    {
        _sandbox.State.InjectFault("/v1/profile/indexing/attachments", new FaultPlan(SandboxFault.Status) { Status = 503, RetryAfter = "0" }, times: 2);
        var services = new ServiceCollection();
        services.AddHrFlowClient(o =>
        {
            o.Endpoint = _sandbox.At("v1/");
            o.ApiKey = SandboxCredentials.HrFlowApiKey;
        });
        await using var provider = services.BuildServiceProvider();

        var list = await provider.GetRequiredService<IHrFlowClient>().ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key: SandboxCredentials.HrFlowProfileId);

        Assert.That(list.Data, Has.Count.EqualTo(2));
        Assert.That(_sandbox.State.Requests.Count(r => r.Path == "/v1/profile/indexing/attachments"), Is.EqualTo(3));
    }

    [Test]
    public async Task The_chain_is_the_pipeline_once_over_a_transport_that_does_not_follow_redirects()
    {
        var services = new ServiceCollection();
        services.AddHrMaxClient(o => o.AccessTokenCallback = (_, _) => new ValueTask<string>("t"));
        services.AddHrMaxClient(Options.DefaultName, configuration: null, (o, _) => o.Endpoint = new Uri("https://hrmax.example.com/"));
        await using var provider = services.BuildServiceProvider();

        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("CandidateFiles.HrMaxClient"); handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(handler);
        }

        var names = chain.Select(h => h.GetType().Name).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(names.Count(n => n == nameof(CallHandler)), Is.EqualTo(1), "registering twice must not add the handlers twice");
            Assert.That(names, Does.Contain(nameof(Auth.BearerTokenHandler)));
            Assert.That(names, Has.None.Contains("Logging" + "HttpMessageHandler"));
#if NETSTANDARD_BUILD_UNDER_TEST
            Assert.That(chain[^1], Is.InstanceOf<HttpClientHandler>());
            Assert.That(((HttpClientHandler)chain[^1]).AllowAutoRedirect, Is.False);
#else
            Assert.That(chain[^1], Is.TypeOf<SocketsHttpHandler>());
            Assert.That(((SocketsHttpHandler)chain[^1]).AllowAutoRedirect, Is.False);
#endif
            Assert.That(provider.GetRequiredService<IOptions<HrMaxClientOptions>>().Value.Endpoint, Is.EqualTo(new Uri("https://hrmax.example.com/")));
        });
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("CandidateFiles.HrMaxClient");
        Assert.That(http.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan), "the pipeline's timeouts govern, not HttpClient.Timeout");
    }

    [Test]
    public async Task A_redirect_to_another_host_is_refused_in_the_factory_chain_too()
    {
        var other = new UriBuilder(_sandbox.Root) { Host = "localhost" }.Uri;
        _sandbox.State.InjectFault("/v1/profile/indexing/attachments", new FaultPlan(SandboxFault.Redirect) { Location = new Uri(other, "v1/profile/indexing/attachments?source_key=sandbox-source&key=profile-1") });
        var services = new ServiceCollection();
        services.AddHrFlowClient("tenant", configuration: null, (o, _) =>
        {
            o.Endpoint = _sandbox.At("v1/");
            o.ApiKey = SandboxCredentials.HrFlowApiKey;
        });
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => provider.GetRequiredKeyedService<IHrFlowClient>("tenant").ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key: SandboxCredentials.HrFlowProfileId));

        var hops = _sandbox.State.Requests.Where(r => r.Path == "/v1/profile/indexing/attachments").ToArray();
        Assert.That(hops, Has.Length.EqualTo(1), "localhost is another origin, not in Redirects.AllowedHosts");
        Assert.That(error!.StatusCode, Is.InRange(300, 399));
        Assert.That(error.Message, Does.Contain("redirect was not followed").And.Contain("localhost"));
    }

    private sealed class TwoCompanies([FromKeyedServices("companyA")] IEhrwebResumeClient a, [FromKeyedServices("companyB")] IEhrwebResumeClient b)
    {
        public IEhrwebResumeClient A { get; } = a;

        public IEhrwebResumeClient B { get; } = b;
    }

    private sealed class HhTokenStore(string token)
    {
        public ValueTask<string> GetAsync(Auth.AccessTokenRequestContext context, CancellationToken cancellationToken) => new(token);
    }
}
