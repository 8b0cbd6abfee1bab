using System;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>Credentials go only to the configured host, over loopback HTTP here.</summary>
[TestFixture]
public sealed class CredentialSafetyTests
{
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

    // The foreign server is reached as "localhost": another host name than the configured 127.0.0.1.
    private Uri Foreign(string path) => new($"http://localhost:{_foreign.BaseAddress.Port}{path}");

    [Test]
    public async Task A_redirect_to_an_allowed_host_carries_neither_the_api_key_nor_the_user_email()
    {
        _provider.On("/v1/profile/indexing/attachments", (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = Foreign("/v1/profile/indexing/attachments?source_key=s&key=p").ToString();
            return Task.CompletedTask;
        });
        _foreign.OnJson("/v1/profile/indexing/attachments", 200, """{"code":200,"message":"ok","data":[]}""");
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_provider.BaseAddress, "v1/"), ApiKey = "askr_secret_key_value", UserEmail = "me@example.com", Redirects = { AllowedHosts = { "localhost" } } });

        var list = await client.ListProfileAttachmentsAsync("s", key: "p");

        Assert.That(list.Data, Is.Empty, "the redirect was followed");
        Assert.That(_provider.SingleRequest("/v1/profile/indexing/attachments").Header("X-API-KEY"), Is.EqualTo("askr_secret_key_value"));
        var followed = _foreign.SingleRequest("/v1/profile/indexing/attachments");
        Assert.That(followed.Header("X-API-KEY"), Is.Null);
        Assert.That(followed.Header("X-USER-EMAIL"), Is.Null);
    }

    [Test]
    public async Task A_redirect_to_an_allowed_host_carries_no_bearer_token()
    {
        _provider.On("/artifacts/photo", (context, _) =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = Foreign("/artifacts/photo").ToString();
            return Task.CompletedTask;
        });
        _foreign.OnJson("/artifacts/photo", 200, """{"items":[],"found":0,"pages":0,"page":0,"per_page":20}""");
        using var client = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = _provider.BaseAddress,
            UserAgent = "T/1 (t@example.com)",
            AccessTokenCallback = (_, _) => new ValueTask<string>("user-token-123"),
            Redirects = { AllowedHosts = { "localhost" } },
        });

        await client.ListPhotosAsync();

        Assert.That(_provider.SingleRequest("/artifacts/photo").Header("Authorization"), Is.EqualTo("Bearer user-token-123"));
        Assert.That(_foreign.SingleRequest("/artifacts/photo").Header("Authorization"), Is.Null);
    }

    [Test]
    public async Task An_endpoint_on_an_unlisted_plain_http_host_gets_no_credentials()
    {
        _foreign.OnJson("/v1/profile/indexing/attachments", 401, """{"code":401,"message":"Unauthorized"}""");
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = Foreign("/v1/"), ApiKey = "askr_other_key", AdditionalAllowedHosts = { } });

        // localhost is loopback, so it is allowed over http only because it is the configured endpoint's host.
        await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync("s", key: "p"));

        Assert.That(_foreign.SingleRequest("/v1/profile/indexing/attachments").Header("X-API-KEY"), Is.EqualTo("askr_other_key"));
    }

    [Test]
    public void Credential_hosts_refuse_plain_http_off_loopback_and_unlisted_hosts()
    {
        var hosts = CandidateFiles.Auth.CredentialHosts.For(new Uri("https://api.hrflow.ai/v1/"), new[] { "eu.hrflow.ai" });

        Assert.Multiple(() =>
        {
            Assert.That(hosts.Allows(new Uri("https://api.hrflow.ai/v1/x")), Is.True);
            Assert.That(hosts.Allows(new Uri("https://eu.hrflow.ai/v1/x")), Is.True);
            Assert.That(hosts.Allows(new Uri("http://api.hrflow.ai/v1/x")), Is.False, "http off loopback");
            Assert.That(hosts.Allows(new Uri("https://evil.example.com/")), Is.False);
            Assert.That(hosts.Allows(new Uri("https://api.hrflow.ai.evil.example.com/")), Is.False);
        });
    }
}
