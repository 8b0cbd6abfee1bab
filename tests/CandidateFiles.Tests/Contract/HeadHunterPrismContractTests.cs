using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// Every <see cref="HeadHunterClient"/> operation against Prism serving hh.ru's official artifacts OpenAPI
/// document (../shared/upstream-docs/hh-artifacts-openapi.yaml, as published): each request must pass
/// Prism's validation.
/// </summary>
[TestFixture]
public sealed class HeadHunterPrismContractTests
{
    private PrismServer _prism = null!;
    private RecordingTransport _transport = null!;
    private HttpClient _http = null!;
    private HeadHunterClient _client = null!;
    private HeadHunterClientOptions _options = null!;

    [OneTimeSetUp]
    public async Task StartPrism()
    {
        _prism = await PrismServer.StartAsync(UpstreamOpenApi.HeadHunterDocument);
        _options = new HeadHunterClientOptions
        {
            Endpoint = _prism.BaseAddress,
            UserAgent = "ContractTests/1.0 (contract-tests@example.com)",
            AccessTokenCallback = (_, _) => new ValueTask<string>("contract-hh-token"),
        };
        _transport = PrismServer.CreateTransport();
        _http = HeadHunterClient.CreateHttpClient(_options, _transport);
        _client = new HeadHunterClient(_options, _http);
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
    }

    [Test]
    public async Task ListPhotos_passes_hh_ru_s_own_document()
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.ListPhotosAsync(0, 20));

        Assert.That(thrown, Is.Null);
    }

    [Test]
    public async Task ListPortfolio_passes_hh_ru_s_own_document()
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.ListPortfolioAsync(1, 5));

        Assert.That(thrown, Is.Null);
    }

    // ArtifactType is an extensible struct (no constants for attributes): its wire values, converted implicitly.
    [TestCase("photo", "photo.png", "image/png")]
    [TestCase("portfolio", "作品 2026.jpg", "image/jpeg")]
    [TestCase("portfolio", "Портфолио-éè.png", "image/png")]
    public async Task UploadArtifact_multipart_upload_passes_hh_ru_s_own_document(string wireType, string fileName, string contentType)
    {
        ArtifactType type = wireType;
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.UploadArtifactAsync(type, new MemoryStream(ImageWithoutReservedCharacters(4096)), fileName, "contract test", contentType));

        Assert.That(thrown, Is.Null);
    }

    [TestCase("1234", "A portfolio picture")]
    [TestCase("98765", "Описание работы, 2026")]
    [TestCase("42", "作品說明 & notes = 100%")]
    public async Task UpdateArtifact_multipart_description_passes_hh_ru_s_own_document(string id, string description)
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.UpdateArtifactDescriptionAsync(id, description));

        Assert.That(thrown, Is.Null);
    }

    [Test]
    public async Task GetPhotoConditions_passes_hh_ru_s_own_document()
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.GetPhotoConditionsAsync());

        // Only the request is judged here. Prism answers with the schema's placeholder example
        // (counters.max 0.8008…; it does not resolve the document's named example), and our spec reads
        // the counts as whole numbers (a declared deviation), so that answer is a typed read error.
        Assert.That(thrown, Is.InstanceOf<ProviderApiException>());
    }

    [Test]
    public async Task GetPortfolioConditions_passes_hh_ru_s_own_document()
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.GetPortfolioConditionsAsync());

        // Only the request is judged here. Prism answers with the schema's placeholder example
        // (counters.max 0.8008…; it does not resolve the document's named example), and our spec reads
        // the counts as whole numbers (a declared deviation), so that answer is a typed read error.
        Assert.That(thrown, Is.InstanceOf<ProviderApiException>());
    }

    [TestCase("photo")]
    [TestCase("portfolio")]
    public async Task GetUploadConditions_passes_hh_ru_s_own_document(string wireType)
    {
        ArtifactType type = wireType;
        // A client of its own: the shared one may hold these conditions in its cache and send nothing.
        using var client = new HeadHunterClient(_options, _http);
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => client.GetUploadConditionsAsync(type));

        Assert.That(thrown, Is.Null);
    }

    [Test]
    public async Task DeleteArtifact_passes_hh_ru_s_own_document()
    {
        var thrown = await _prism.AssertAcceptsAsync(_transport, () => _client.DeleteArtifactAsync("1234"));

        Assert.That(thrown, Is.Null);
    }

    /// <summary>
    /// File bytes Prism 5 can validate: hh.ru's document gives the upload's file part an <c>encoding</c> entry,
    /// and Prism then applies the form-urlencoded <c>allowReserved</c> rule to the multipart part's content
    /// (OpenAPI says the rule is ignored for multipart), failing any file that holds one of
    /// <c>/?#[]@!$&amp;'()*+,;=</c>. A PNG signature and a byte pattern without those characters.
    /// </summary>
    private static byte[] ImageWithoutReservedCharacters(int length)
    {
        var bytes = Bytes.Pattern(length);
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        for (var i = signature.Length; i < bytes.Length; i++)
        {
            if ("/?#[]@!$&'()*+,;=".Contains((char)bytes[i], StringComparison.Ordinal))
            {
                bytes[i] = 0;
            }
        }

        return bytes;
    }
}
