using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// Every <see cref="HrMaxClient"/> operation against Prism serving 104's own OpenAPI documents for HR Max
/// (the JSON embedded in its GitBook page, merged into one): each request must pass Prism's validation.
/// </summary>
[TestFixture]
public sealed class HrMaxPrismContractTests
{
    private string _directory = null!;
    private PrismServer _prism = null!;
    private RecordingTransport _transport = null!;
    private HttpClient _http = null!;
    private HrMaxClient _client = null!;

    [OneTimeSetUp]
    public async Task StartPrism()
    {
        _directory = Directory.CreateTempSubdirectory("hrmax-contract-").FullName;
        _prism = await PrismServer.StartAsync(UpstreamOpenApi.WriteMergedDocument(UpstreamOpenApi.HrMax, _directory));
        var options = new HrMaxClientOptions
        {
            Endpoint = _prism.BaseAddress,
            AccessTokenCallback = (_, _) => new ValueTask<string>("eyJhbGciOiJIUzI1NiJ9.e30.contract"),
        };
        _transport = PrismServer.CreateTransport();
        _http = HrMaxClient.CreateHttpClient(options, _transport);
        _client = new HrMaxClient(options, _http);
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

        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("cv.pdf")]
    [TestCase("請假單 2026.pdf")]
    [TestCase("Curriculum-Ñandú-éèà.pdf")]
    [TestCase("report \"final\" v2.pdf")]
    public async Task AttachFile_multipart_upload_passes_HR_Max_s_own_document(string fileName)
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(2048)), fileName));

        // 104's document declares the 200 without a body, so Prism's mock answer is empty: the client must
        // refuse it as an unusable success, naming the status, not misread it.
        Assert.That(thrown, Is.InstanceOf<ProviderApiException>().With.Property(nameof(ProviderApiException.StatusCode)).EqualTo(200));
    }

    [Test]
    public async Task Prism_answers_422_to_an_upload_whose_file_part_is_not_named_attachment()
    {
        // The check the tests above rely on is live: the same upload with the part misnamed is refused.
        using var http = new HttpClient();
        using var content = new MultipartFormDataContent();
        FormDataParts.AddField(content, new StringContent("wf010"), "funCode");
        FormDataParts.AddFile(content, new ByteArrayContent(Bytes.Pattern(100)), "file", "cv.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_prism.BaseAddress, "api/file/attach")) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.contract");

        using var response = await http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("must have required property 'attachment'"));
    }

    [Test]
    public async Task DetachFile_passes_HR_Max_s_own_document()
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.DetachFileAsync("30381c3458faf2d31c38aed42e7c6e17"));

        Assert.That(thrown, Is.Null);
    }

    [Test]
    public async Task DownloadFile_passes_HR_Max_s_own_document()
    {
        FileResponse? file = null;
        var thrown = await _prism.AssertAcceptsAsync(_transport, async () => file = await _client.DownloadFileAsync("30381c3458faf2d31c38aed42e7c6e17"));

        Assert.That(thrown, Is.Null);
        Assert.That(file!.StatusCode, Is.EqualTo(200));
        file.Dispose();
    }
}
