using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>
/// Whatever a provider sends back (an HTML page, nothing, cut or invalid JSON, an undocumented status),
/// the caller gets the provider's typed exception with the status and a body excerpt: never a JSON
/// parse exception, never a NullReferenceException.
/// </summary>
[TestFixture]
public sealed class UnreadableResponseTests
{
    private LoopbackServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    public static readonly object[] Bodies =
    {
        new object[] { 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>" },
        new object[] { 500, null!, string.Empty },
        new object[] { 500, "application/json", "{\"code\": 9" },
        new object[] { 500, "application/json", "[1,2,3]" },
        new object[] { 500, "application/json", "{\"errors\": \"not a list\", \"code\": {\"x\": 1}, \"msg\": [1]}" },
        new object[] { 418, "text/plain", "I'm a teapot" },
        new object[] { 302, null!, string.Empty },
        new object[] { 450, "image/png", "\u0089PNG\r\n\u001a\n binary" },
    };

    private async Task<ProviderApiException> CallEachAsync(int provider)
    {
        switch (provider)
        {
            case 0:
                _server.OnJson("/oauth2/token", 200, """{"access_token":"t","expires_in":3600}""");
                using (var client = new EhrwebResumeClient(new EhrwebResumeClientOptions { Endpoint = new Uri(_server.BaseAddress, "external/"), TokenEndpoint = new Uri(_server.BaseAddress, "oauth2/token"), GuiNum = "12345678", ClientId = "c", ClientSecret = "s", Retry = { MaxRetries = 0 } }))
                {
                    return await Assert.ThrowsAsync<EhrwebApiException>(() => client.GetHeadshotAsync("f")) as ProviderApiException ?? throw new AssertionException("no exception");
                }

            case 1:
                using (var client = new HrMaxClient(new HrMaxClientOptions { Endpoint = _server.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } }))
                {
                    return (await Assert.ThrowsAsync<HrMaxApiException>(() => client.DownloadFileAsync("u")))!;
                }

            case 2:
                using (var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "k", Retry = { MaxRetries = 0 } }))
                {
                    return (await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync("s", key: "p")))!;
                }

            default:
                using (var client = new HeadHunterClient(new HeadHunterClientOptions { Endpoint = _server.BaseAddress, UserAgent = "T/1 (t@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } }))
                {
                    return (await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync()))!;
                }
        }
    }

    private void AnswerEverythingWith(int status, string? contentType, string body)
    {
        foreach (var path in new[] { "/external/files/headshot", "/api/file/download", "/v1/profile/indexing/attachments", "/artifacts/photo" })
        {
            _server.On(path, (context, _) => LoopbackServer.WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(body)));
        }
    }

    [TestCaseSource(nameof(Bodies))]
    public async Task Every_provider_turns_an_unusable_error_response_into_its_typed_exception(int status, string? contentType, string body)
    {
        AnswerEverythingWith(status, contentType, body);

        for (var provider = 0; provider < 4; provider++)
        {
            var error = await CallEachAsync(provider);

            Assert.That(error.StatusCode, Is.EqualTo(status));
            Assert.That(error.ResponseBody ?? string.Empty, Is.EqualTo(body.Length > 4096 ? body[..4096] : body));
            Assert.That(error.Message, Does.Contain(status.ToString()));
        }
    }

    [Test]
    public async Task A_huge_error_body_is_read_only_up_to_the_cap()
    {
        _server.On("/v1/profile/indexing/attachments", async (context, _) =>
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/plain";
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            for (var i = 0; i < 64; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "k" });

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync("s", key: "p"));

        Assert.That(error!.Response.BodyTruncated, Is.True);
        Assert.That(error.ResponseBody!.Length, Is.LessThanOrEqualTo(64 * 1024));
    }

    [TestCase("{\"items\": [", TestName = "A 200 with cut JSON is a typed exception with the excerpt")]
    [TestCase("<html>maintenance</html>", TestName = "A 200 with an HTML page is a typed exception with the excerpt")]
    [TestCase("", TestName = "A 200 with an empty body is a typed exception")]
    public async Task Unreadable_success_bodies_become_the_typed_exception(string body)
    {
        _server.On("/artifacts/photo", (context, _) => LoopbackServer.WriteAsync(context, 200, "application/json", Encoding.UTF8.GetBytes(body)));
        using var client = new HeadHunterClient(new HeadHunterClientOptions { Endpoint = _server.BaseAddress, UserAgent = "T/1 (t@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t") });

        var error = await Assert.CatchAsync<ProviderApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.StatusCode, Is.EqualTo(200));
        Assert.That(error.ResponseBody ?? string.Empty, Is.EqualTo(body));
        Assert.That(error.RequestMethod, Is.EqualTo("GET"));
        Assert.That(error.RequestPath, Is.EqualTo("/artifacts/photo"));
    }

    [Test]
    public async Task An_undeclared_success_status_is_a_typed_exception_that_names_the_call_without_its_query()
    {
        _server.OnJson("/artifacts/photo", 202, """{"queued":true}""");
        using var client = new HeadHunterClient(new HeadHunterClientOptions { Endpoint = _server.BaseAddress, UserAgent = "T/1 (t@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t") });

        var error = await Assert.CatchAsync<ProviderApiException>(() => client.ListPhotosAsync(page: 3, perPage: 20));

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(202));
            Assert.That(error.Message, Does.Contain("202"));
            Assert.That(error.RequestMethod, Is.EqualTo("GET"));
            Assert.That(error.RequestPath, Is.EqualTo("/artifacts/photo"));
            Assert.That(error.ToString(), Does.Not.Contain("per_page"));
            Assert.That(error.ResponseBody, Is.EqualTo("""{"queued":true}"""));
        });
    }
}
