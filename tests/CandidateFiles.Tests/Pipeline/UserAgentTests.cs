using System;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Pipeline;

/// <summary>The SDK's product token in User-Agent: added once, after what the application sends, over real HTTP on loopback.</summary>
[TestFixture]
public sealed class UserAgentTests
{
    private static readonly string ProductToken = ProviderHttpPipeline.ProductName + "/" + ProviderHttpPipeline.ProductVersion;

    private LoopbackServer _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _server.OnJson("/oauth2/token", 200, """{"access_token":"token-abc","expires_in":3600}""");
        _server.OnBytes("/external/files/headshot", 200, "image/png", new byte[] { 1 });
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task The_product_token_follows_the_application_s_own_user_agent()
    {
        var userAgent = await SendWithDefaultUserAgent("MyApp/2.1");

        Assert.That(userAgent, Is.EqualTo("MyApp/2.1 " + ProductToken));
    }

    [TestCase("CandidateFiles/0.0-custom")]
    [TestCase("candidatefiles/9")]
    [TestCase("MyApp/2.1 CandidateFiles/0.0-custom")]
    [TestCase("CandidateFiles")]
    public async Task A_user_agent_that_already_names_the_product_gets_no_second_token(string applicationUserAgent)
    {
        var userAgent = await SendWithDefaultUserAgent(applicationUserAgent);

        Assert.Multiple(() =>
        {
            Assert.That(userAgent, Is.EqualTo(applicationUserAgent));
            Assert.That(Regex.Matches(userAgent!, "candidatefiles", RegexOptions.IgnoreCase), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_product_whose_name_only_starts_like_the_SDK_s_is_another_product()
    {
        var userAgent = await SendWithDefaultUserAgent("CandidateFilesSync/3");

        Assert.That(userAgent, Is.EqualTo("CandidateFilesSync/3 " + ProductToken));
    }

    private async Task<string?> SendWithDefaultUserAgent(string userAgent)
    {
        var options = new EhrwebResumeClientOptions
        {
            Endpoint = new Uri(_server.BaseAddress, "external/"),
            TokenEndpoint = new Uri(_server.BaseAddress, "oauth2/token"),
            GuiNum = "12345678",
            ClientId = "client-1",
            ClientSecret = "secret-1",
        };
        using var http = EhrwebResumeClient.CreateHttpClient(options);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        using var client = new EhrwebResumeClient(options, http);

        using var file = await client.GetHeadshotAsync("file-1");

        return _server.Requests.Single(r => r.Path == "/external/files/headshot").Header("User-Agent");
    }
}
