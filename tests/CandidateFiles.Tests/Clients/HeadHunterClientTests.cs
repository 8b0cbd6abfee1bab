using System.IO;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>What <see cref="HeadHunterClient"/> puts on the wire and makes of the answers, over real HTTP on loopback.</summary>
[TestFixture]
public sealed class HeadHunterClientTests
{
    private const string AppAgent = "CandidateFilesTests/1.0 (tests@example.com)";
    private const string ArtifactJson = """{"id":"123456","medium":null,"small":null,"state":{"id":"processing","name":"in process"}}""";
    private LoopbackServer _server = null!;
    private HeadHunterClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _client = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = _server.BaseAddress,
            UserAgent = AppAgent,
            AccessTokenCallback = (_, _) => new ValueTask<string>("hh-token"),
        });
    }

    [TearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task ListPhotos_sends_paging_the_application_agent_and_the_token_and_reads_the_page()
    {
        _server.OnJson("/artifacts/photo", 200, """
            {"items":[{"id":"92278992","state":{"id":"ok","name":"ok"},"small":"http://img/s.jpg","medium":"http://img/m.jpg","description":null}],
             "found":41,"pages":3,"page":2,"per_page":20}
            """);

        var page = await _client.ListPhotosAsync(page: 2, perPage: 20);

        var request = _server.SingleRequest("/artifacts/photo");
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Query["page"], Is.EqualTo("2"));
            Assert.That(request.Query["per_page"], Is.EqualTo("20"));
            Assert.That(request.Header("HH-User-Agent"), Is.EqualTo(AppAgent));
            Assert.That(request.Header("User-Agent"), Does.StartWith(AppAgent).And.Contain(ProviderHttpPipeline.ProductName + "/" + ProviderHttpPipeline.ProductVersion));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer hh-token"));
            Assert.That(page.Found, Is.EqualTo(41));
            Assert.That(page.PerPage, Is.EqualTo(20));
            Assert.That(page.Items[0].State.Id, Is.EqualTo(ArtifactStateId.Ok));
            Assert.That(page.Items[0].Small!.ToString(), Is.EqualTo("http://img/s.jpg"));
        });
    }

    [Test]
    public async Task ListPortfolio_uses_the_portfolio_path()
    {
        _server.OnJson("/artifacts/portfolio", 200, """{"items":[],"found":0,"pages":0,"page":0,"per_page":20}""");

        var page = await _client.ListPortfolioAsync();

        Assert.That(page.Items, Is.Empty);
        Assert.That(_server.SingleRequest("/artifacts/portfolio").Query.ContainsKey("page"), Is.False);
    }

    [Test]
    public async Task UploadArtifact_posts_multipart_type_description_and_file_and_reads_the_201()
    {
        _server.OnJson("/artifacts", 201, ArtifactJson);
        var image = Bytes.Pattern(2048);

        var artifact = await _client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(image), "work.png", "My work");

        var request = _server.SingleRequest("/artifacts");
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.FormFields["type"], Is.EqualTo("portfolio"));
            Assert.That(request.FormFields["description"], Is.EqualTo("My work"));
            Assert.That(request.FileParts[0].Name, Is.EqualTo("file"));
            Assert.That(request.FileParts[0].FileName, Is.EqualTo("work.png"));
            Assert.That(request.FileParts[0].ContentType, Is.EqualTo("image/png"));
            Assert.That(request.FileParts[0].Content, Is.EqualTo(image));
            Assert.That(artifact.Id, Is.EqualTo("123456"));
            Assert.That(artifact.State.Id, Is.EqualTo(ArtifactStateId.Processing));
            Assert.That(artifact.Small, Is.Null);
        });
    }

    [Test]
    public async Task UploadArtifact_without_description_sends_no_description_part()
    {
        _server.OnJson("/artifacts", 201, ArtifactJson);

        await _client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[] { 1 }), "me.jpg");

        var request = _server.SingleRequest("/artifacts");
        Assert.That(request.FormFields["type"], Is.EqualTo("photo"));
        Assert.That(request.FormFields.ContainsKey("description"), Is.False);
        Assert.That(request.FileParts[0].ContentType, Is.EqualTo("image/jpeg"));
    }

    [Test]
    public async Task UploadArtifactFromFile_on_the_concrete_client_sends_the_file_at_the_path_with_its_name_and_type()
    {
        _server.OnJson("/artifacts", 201, ArtifactJson);
        var image = Bytes.Pattern(3000);
        var folder = Directory.CreateTempSubdirectory("hh-upload-");
        try
        {
            var path = Path.Combine(folder.FullName, "portrait.png");
            await File.WriteAllBytesAsync(path, image);

            // _client is the concrete HeadHunterClient, whose instance UploadArtifactAsync shadowed the
            // old path overload of the same name: this call must reach the extension.
            var artifact = await _client.UploadArtifactFromFileAsync(ArtifactType.Portfolio, path, "From disk");

            var request = _server.SingleRequest("/artifacts");
            Assert.Multiple(() =>
            {
                Assert.That(request.FormFields["type"], Is.EqualTo("portfolio"));
                Assert.That(request.FormFields["description"], Is.EqualTo("From disk"));
                Assert.That(request.FileParts[0].FileName, Is.EqualTo("portrait.png"));
                Assert.That(request.FileParts[0].ContentType, Is.EqualTo("image/png"));
                Assert.That(request.FileParts[0].Content, Is.EqualTo(image));
                Assert.That(artifact.Id, Is.EqualTo("123456"));
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task UploadArtifactFromFile_with_a_missing_file_says_which_path_before_sending()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + System.Guid.NewGuid().ToString("N"), "me.png");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => _client.UploadArtifactFromFileAsync(ArtifactType.Photo, missing));

        Assert.That(error!.Message, Does.Contain(missing));
        Assert.That(_server.Requests, Is.Empty);
    }

    [Test]
    public async Task UpdateArtifact_puts_the_description_as_a_multipart_part()
    {
        _server.On("/artifacts/123456", (context, _) => LoopbackServer.WriteAsync(context, 204, null, System.Array.Empty<byte>()));

        await _client.UpdateArtifactAsync("123456", "New text, with & and ü");

        var request = _server.SingleRequest("/artifacts/123456");
        Assert.That(request.Method, Is.EqualTo("PUT"));
        Assert.That(request.ContentType, Does.StartWith("multipart/form-data"));
        Assert.That(request.FormFields["description"], Is.EqualTo("New text, with & and ü"));
    }

    [Test]
    public async Task DeleteArtifact_sends_DELETE_to_the_artifact()
    {
        _server.On("/artifacts/777", (context, _) => LoopbackServer.WriteAsync(context, 204, null, System.Array.Empty<byte>()));

        await _client.DeleteArtifactAsync("777");

        var request = _server.SingleRequest("/artifacts/777");
        Assert.That(request.Method, Is.EqualTo("DELETE"));
        Assert.That(request.Header("HH-User-Agent"), Is.EqualTo(AppAgent));
    }

    [Test]
    public async Task An_artifacts_error_body_becomes_a_typed_error_listing_every_entry()
    {
        _server.OnJson("/artifacts", 400, """{"errors":[{"type":"artifacts","value":"limit_exceeded"}],"request_id":"req-1"}""");

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => _client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[] { 1 }), "me.jpg"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.LimitExceeded));
            Assert.That(error.HasError("artifacts", "limit_exceeded"), Is.True);
            Assert.That(error.ProviderErrorCode, Is.EqualTo("artifacts:limit_exceeded"));
            Assert.That(error.RequestId, Is.EqualTo("req-1"));
        });
    }

    [Test]
    public async Task UpdateArtifact_400_bad_argument_is_typed_with_the_argument_named()
    {
        // The sandbox cannot be made to answer this through the client (the client never sends a
        // request hh.ru would reject this way), so the mapping is checked with hh.ru's documented body.
        _server.OnJson("/artifacts/9", 400, """{"errors":[{"type":"bad_argument","value":"description"}],"request_id":"r"}""");

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => _client.UpdateArtifactDescriptionAsync("9", "x"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.BadArgument));
        Assert.That(error.HasError("bad_argument", "description"), Is.True);
    }
}
