using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.HrFlow;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>What <see cref="HrFlowClient"/> puts on the wire and makes of the answers, over real HTTP on loopback.</summary>
[TestFixture]
public sealed class HrFlowClientTests
{
    private const string ApiKey = "askr_0123456789abcdef0123456789abcdef";
    private LoopbackServer _server = null!;
    private HrFlowClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new System.Uri(_server.BaseAddress, "v1/"), ApiKey = ApiKey, UserEmail = "recruiter@example.com" });
    }

    [TearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task ListProfileAttachments_sends_the_key_headers_and_snake_case_query_and_reads_the_envelope()
    {
        _server.OnJson("/v1/profile/attachments", 200, """
            {"code":200,"message":"Profile attachment list","data":[
              {"type":"resume","alt":"id","file_name":"resume.pdf","original_file_name":"resume","file_size":194094,"extension":"pdf","public_url":"http://www.hrflow.ai/profile/attachment?key=key_value&type=resume","timestamp":1579252136},
              {"type":"original","alt":null,"file_name":"original.pdf","original_file_name":null,"file_size":null,"extension":"pdf","public_url":"http://www.hrflow.ai/profile/attachment?key=k&type=original","timestamp":1579252136}]}
            """);

        var list = await _client.ListProfileAttachmentsAsync("source-1", profileReference: "ref-1");

        var request = _server.SingleRequest("/v1/profile/attachments");
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Header("X-API-KEY"), Is.EqualTo(ApiKey));
            Assert.That(request.Header("X-USER-EMAIL"), Is.EqualTo("recruiter@example.com"));
            Assert.That(request.Query["source_id"], Is.EqualTo("source-1"));
            Assert.That(request.Query["profile_reference"], Is.EqualTo("ref-1"));
            Assert.That(request.Query.ContainsKey("profile_id"), Is.False);
            Assert.That(list.Code, Is.EqualTo(200));
            Assert.That(list.Data, Has.Count.EqualTo(2));
            Assert.That(list.Data[0].FileName, Is.EqualTo("resume.pdf"));
            Assert.That(list.Data[0].OriginalFileName, Is.EqualTo("resume"));
            Assert.That(list.Data[0].FileSize, Is.EqualTo(194094));
            Assert.That(list.Data[0].PublicUrl.ToString(), Does.StartWith("http://www.hrflow.ai/profile/attachment"));
            Assert.That(list.Data[1].FileSize, Is.Null);
        });
    }

    [Test]
    public async Task A_call_without_any_profile_identifier_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<System.ArgumentException>(() => _client.ListProfileAttachmentsAsync("source-1"));

        Assert.That(error!.Message, Does.Contain("profileId, profileReference or profileEmail"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [Test]
    public async Task A_401_that_echoes_the_key_becomes_a_typed_error_with_the_key_redacted()
    {
        _server.OnJson("/v1/profile/attachments", 401, "{\"code\":401,\"message\":\"Unauthorized. Invalid secret key: " + ApiKey + " \"}");

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => _client.ListProfileAttachmentsAsync("s", profileId: "p"));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.Unauthorized));
        Assert.That(error.ProviderMessage, Does.StartWith("Unauthorized. Invalid secret key: ***"));
        Assert.That(error.ToString(), Does.Not.Contain(ApiKey));
        Assert.That(error.Headers.Keys.Select(k => k.ToUpperInvariant()), Has.None.EqualTo("X-API-KEY"));
    }

    [Test]
    public async Task A_400_becomes_a_bad_request_error()
    {
        _server.OnJson("/v1/profile/attachments", 400, """{"code":400,"message":"Invalid profile array"}""");

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => _client.ListProfileAttachmentsAsync("s", profileEmail: "nobody@example.com"));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.BadRequest));
        Assert.That(error.ProviderMessage, Is.EqualTo("Invalid profile array"));
        Assert.That(_server.SingleRequest("/v1/profile/attachments").Query["profile_email"], Is.EqualTo("nobody@example.com"));
    }
}
