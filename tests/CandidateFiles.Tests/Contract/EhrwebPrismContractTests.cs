using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// Every <see cref="EhrwebResumeClient"/> operation against Prism serving 104's own OpenAPI documents for the
/// Ehrweb Resume API (the JSON embedded in its GitBook page, merged into one). The OAuth token call, which
/// those documents do not describe, goes to a loopback token server.
/// </summary>
[TestFixture]
public sealed class EhrwebPrismContractTests
{
    private string _directory = null!;
    private PrismServer _prism = null!;
    private LoopbackServer _tokenServer = null!;
    private RecordingTransport _transport = null!;
    private HttpClient _http = null!;
    private EhrwebResumeClient _client = null!;

    [OneTimeSetUp]
    public async Task StartPrism()
    {
        _directory = Directory.CreateTempSubdirectory("ehrweb-contract-").FullName;
        _tokenServer = await LoopbackServer.StartAsync();
        _tokenServer.OnJson("/oauth2/token", 200, """{"access_token":"contract-access-token","token_type":"Bearer","expires_in":3600}""");
        _prism = await PrismServer.StartAsync(UpstreamOpenApi.WriteMergedDocument(UpstreamOpenApi.Ehrweb, _directory));
        var options = new EhrwebResumeClientOptions
        {
            Endpoint = _prism.BaseAddress,
            TokenEndpoint = new Uri(_tokenServer.BaseAddress, "oauth2/token"),
            GuiNum = "12345678",
            ClientId = "contract-client",
            ClientSecret = "contract-secret",
        };
        _transport = PrismServer.CreateTransport();
        _http = EhrwebResumeClient.CreateHttpClient(options, _transport);
        _client = new EhrwebResumeClient(options, _http);
    }

    [OneTimeTearDown]
    public async Task StopPrism()
    {
        _client?.Dispose();
        _http?.Dispose();
        if (_prism is not null)
        {
            await _prism.DisposeAsync();
        }

        if (_tokenServer is not null)
        {
            await _tokenServer.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task GetHeadshot_passes_104_s_own_document()
    {
        FileResponse? file = null;
        var thrown = await _prism.AssertAcceptsAsync(_transport, async () => file = await _client.GetHeadshotAsync("file-token-1"));

        Assert.That(thrown, Is.Null);
        Assert.That(file!.StatusCode, Is.EqualTo(200));
        file.Dispose();
    }

    // AttachmentType is an extensible struct (no constants for attributes): its wire values, converted implicitly.
    [TestCase("1")]
    [TestCase("2")]
    [TestCase("3")]
    public async Task GetAttachment_passes_104_s_own_document(string wireType)
    {
        AttachmentType type = wireType;
        FileResponse? file = null;
        var thrown = await _prism.AssertAcceptsAsync(_transport, async () => file = await _client.GetAttachmentAsync(type, "file-token-2"));

        Assert.That(thrown, Is.Null);
        Assert.That(file!.StatusCode, Is.EqualTo(200));
        file.Dispose();
    }
}
