using System;
using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>What <see cref="EhrwebResumeClient"/> puts on the wire and makes of the answers, over real HTTP on loopback.</summary>
[TestFixture]
public sealed class EhrwebResumeClientTests
{
    private const string TokenJson = """{"access_token":"token-abc","token_type":"Bearer","expires_in":3600}""";
    private LoopbackServer _server = null!;
    private EhrwebResumeClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _server.OnJson("/oauth2/token", 200, TokenJson);
        _client = new EhrwebResumeClient(Options());
    }

    [TearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private EhrwebResumeClientOptions Options(ClientCredentialStyle style = ClientCredentialStyle.FormBody) => new()
    {
        Endpoint = new Uri(_server.BaseAddress, "external/"),
        TokenEndpoint = new Uri(_server.BaseAddress, "oauth2/token"),
        GuiNum = "12345678",
        ClientId = "client-1",
        ClientSecret = "secret-1",
        CredentialStyle = style,
    };

    [Test]
    public async Task GetHeadshot_sends_GET_with_fileId_guiNum_header_and_bearer_token_and_streams_the_image()
    {
        var png = Bytes.Pattern(1500);
        _server.OnBytes("/external/files/headshot", 200, "image/png", png);

        using var file = await _client.GetHeadshotAsync("file-token-1");

        var request = _server.SingleRequest("/external/files/headshot");
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Query["fileId"], Is.EqualTo("file-token-1"));
            Assert.That(request.Header("104-Additional-Info"), Is.EqualTo("guiNum=12345678"));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer token-abc"));
            Assert.That(request.Header("User-Agent"), Does.Contain(ProviderHttpPipeline.ProductName + "/"));
            Assert.That(file.StatusCode, Is.EqualTo(200));
            Assert.That(file.ContentType, Is.EqualTo("image/png"));
            Assert.That(file.ContentLength, Is.EqualTo(png.Length));
        });
        Assert.That(await Bytes.ReadAllAsync(file.Stream), Is.EqualTo(png));
    }

    [Test]
    public async Task Token_request_posts_client_credentials_as_form_fields_with_the_ehrweb_scope()
    {
        _server.OnBytes("/external/files/headshot", 200, "image/png", new byte[] { 1 });

        using var _ = await _client.GetHeadshotAsync("f");

        var token = _server.SingleRequest("/oauth2/token");
        Assert.Multiple(() =>
        {
            Assert.That(token.Method, Is.EqualTo("POST"));
            Assert.That(token.ContentType, Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(token.FormFields["grant_type"], Is.EqualTo("client_credentials"));
            Assert.That(token.FormFields["scope"], Is.EqualTo("ehrweb_resume"));
            Assert.That(token.FormFields["client_id"], Is.EqualTo("client-1"));
            Assert.That(token.FormFields["client_secret"], Is.EqualTo("secret-1"));
            Assert.That(token.Header("Authorization"), Is.Null);
        });
    }

    [Test]
    public async Task Token_request_can_send_the_credentials_as_http_basic_instead()
    {
        using var client = new EhrwebResumeClient(Options(ClientCredentialStyle.BasicAuthorizationHeader));
        _server.OnBytes("/external/files/headshot", 200, "image/png", new byte[] { 1 });

        using var _ = await client.GetHeadshotAsync("f");

        var token = _server.SingleRequest("/oauth2/token");
        Assert.That(token.Header("Authorization"), Is.EqualTo("Basic " + Convert.ToBase64String("client-1:secret-1"u8.ToArray())));
        Assert.That(token.FormFields.ContainsKey("client_secret"), Is.False);
    }

    // AttachmentType is an extensible enum (a struct with static members), so cases name the member.
    [TestCase(nameof(AttachmentType.Attachment), "1")]
    [TestCase(nameof(AttachmentType.CustomContent), "2")]
    [TestCase(nameof(AttachmentType.ProjectAchievement), "3")]
    public async Task GetAttachment_sends_the_type_as_its_documented_number(string member, string wire)
    {
        var type = (AttachmentType)typeof(AttachmentType).GetProperty(member)!.GetValue(null)!;
        _server.OnBytes("/external/files/attachment", 200, "image/gif", Bytes.Pattern(10));

        using var _ = await _client.GetAttachmentAsync(type, "att-1");

        var request = _server.SingleRequest("/external/files/attachment");
        Assert.That(request.Query["type"], Is.EqualTo(wire));
        Assert.That(request.Query["fileId"], Is.EqualTo("att-1"));
    }

    [Test]
    public async Task GetAttachment_accepts_every_documented_media_type_and_exposes_the_file_name()
    {
        var body = Bytes.Pattern(4000);
        _server.OnBytes("/external/files/attachment", 200, "application/octet-stream", body, "attachment; filename=\"resume.pdf\"");

        using var file = await _client.GetAttachmentAsync(AttachmentType.Attachment, "att-2");

        var accept = _server.SingleRequest("/external/files/attachment").Header("Accept")!;
        Assert.Multiple(() =>
        {
            Assert.That(accept.Split(',').Select(a => a.Trim()), Is.EquivalentTo(new[] { "image/png", "image/gif", "image/jpg", "application/octet-stream" }));
            Assert.That(file.FileName, Is.EqualTo("resume.pdf"));
            Assert.That(file.ContentType, Is.EqualTo("application/octet-stream"));
        });
        Assert.That(await Bytes.ReadAllAsync(file.Stream), Is.EqualTo(body));
    }

    [Test]
    public async Task A_500_whose_json_body_is_labelled_image_png_becomes_a_typed_error_with_the_documented_code()
    {
        _server.OnBytes("/external/files/attachment", 500, "image/png", "{\"code\":895,\"message\":\"檔案已過期或是暫時無法取得檔案，請稍後再試\"}"u8.ToArray());

        var error = await Assert.ThrowsAsync<EhrwebApiException>(() => _client.GetAttachmentAsync(AttachmentType.Attachment, "fid-Q7ZX81"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(500));
            Assert.That(error.Kind, Is.EqualTo(EhrwebErrorKind.FileExpiredOrUnavailable));
            Assert.That(error.ProviderErrorCode, Is.EqualTo("895"));
            Assert.That(error.ProviderMessage, Does.StartWith("檔案已過期"));
            Assert.That(error.RequestMethod, Is.EqualTo("GET"));
            Assert.That(error.RequestPath, Is.EqualTo("/external/files/attachment"));
            Assert.That(error.Message, Does.Not.Contain("fid-Q7ZX81"), "the fileId token must not leak into the message");
        });
    }

    [Test]
    public async Task The_client_secret_never_appears_in_a_token_failure()
    {
        _server.OnJson("/oauth2/token", 401, "{\"error\":\"invalid_client\",\"echo\":\"secret-1\"}");

        var error = await Assert.ThrowsAsync<ProviderApiException>(() => _client.GetHeadshotAsync("f"));

        Assert.That(error!.StatusCode, Is.EqualTo(401));
        Assert.That(error.ToString(), Does.Not.Contain("secret-1"));
        Assert.That(error.ToString(), Does.Contain("invalid_client"));
    }

    [Test]
    public void The_default_endpoint_is_the_spec_server()
    {
        using var client = new EhrwebResumeClient(new EhrwebResumeClientOptions { GuiNum = "12345678", ClientId = "a", ClientSecret = "b" });

        Assert.That(client.BaseUrl, Is.EqualTo(EhrwebResumeClient.DefaultEndpoint.ToString()));
    }
}
