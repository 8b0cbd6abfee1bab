using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// Uploads through the real <see cref="HrMaxClient"/> to a real multer server (Contract/node/hrmax-multer-server.js:
/// npm multer 2.x, <c>upload.single('attachment')</c>, disk storage), which is what HR Max runs (its 450 is a
/// MulterError): multer must store every file name exactly as sent and the bytes intact, and its own error for
/// a wrong part name must reach the caller as <see cref="HrMaxErrorKind.UploadRejected"/>.
/// </summary>
[TestFixture]
public sealed partial class HrMaxMulterContractTests
{
    private NodeProcess _multer = null!;
    private Uri _root = null!;
    private HrMaxClient _client = null!;

    [OneTimeSetUp]
    public async Task StartMulter()
    {
        var (process, address) = await NodeProcess.StartAsync("hrmax-multer-server.js", [], ListeningLine());
        _multer = process;
        _root = new Uri(address + "/");
        _client = new HrMaxClient(Options());
    }

    [OneTimeTearDown]
    public async Task StopMulter()
    {
        _client?.Dispose();
        if (_multer is not null)
        {
            await _multer.DisposeAsync();
        }
    }

    private HrMaxClientOptions Options() => new()
    {
        Endpoint = _root,
        AccessTokenCallback = (_, _) => new ValueTask<string>("eyJhbGciOiJIUzI1NiJ9.e30.multer"),
    };

    [TestCase("cv.pdf")]
    [TestCase("請假單 2026.pdf")]
    [TestCase("Curriculum-Ñandú-éèà.pdf")]
    [TestCase("Résumé \"final\" v2.pdf")]
    [TestCase("履歷 📄 emoji.pdf")]
    [TestCase("Заявление на отпуск.docx")]
    public async Task AttachFile_through_multer_stores_the_name_as_sent_and_the_bytes_intact(string fileName)
    {
        var content = Bytes.Pattern(70_000, seed: fileName.Length);

        var attached = await _client.AttachFileAsync("wf010", new MemoryStream(content), fileName);

        var stored = await StoredAsync(attached.FileUUID);
        Assert.Multiple(() =>
        {
            Assert.That(attached.FileName, Is.EqualTo(fileName), "the name in HR Max's answer");
            Assert.That(attached.FileSize, Is.EqualTo(content.Length));
            Assert.That(attached.FileUUID, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(stored["originalName"]!.Value<string>(), Is.EqualTo(fileName), "the name multer decoded");
            Assert.That(stored["funCode"]!.Value<string>(), Is.EqualTo("wf010"));
            Assert.That(stored["size"]!.Value<long>(), Is.EqualTo(content.Length));
            Assert.That(stored["sha256"]!.Value<string>(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(content))), "the bytes multer wrote to disk");
        });
    }

    [Test]
    public async Task AttachFile_with_another_part_name_gets_multer_s_own_error_reported_as_UploadRejected()
    {
        // A pipeline that renames the file part on its way out, as a misconfigured proxy or an old client would:
        // everything else is the real client, and the answer is multer's own.
        var options = Options();
        using var http = HrMaxClient.CreateHttpClient(options, new PartRenamingTransport("attachment", "file"));
        using var client = new HrMaxClient(options, http);

        var error = await Assert.CatchAsync<HrMaxApiException>(async () => await client.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(3000)), "cv.pdf"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.UploadRejected));
            Assert.That(error.StatusCode, Is.EqualTo(450));
            Assert.That(error.ProviderErrorCode, Is.EqualTo("450"));
            Assert.That(error.ProviderMessage, Does.Contain("Unexpected"), "multer's LIMIT_UNEXPECTED_FILE message");
        });
    }

    [TestCase("請假單 2026.pdf")]
    [TestCase("Curriculum-Ñandú-éèà.pdf")]
    public async Task A_raw_UTF8_filename_as_browsers_send_it_reaches_multer_as_Latin1_mojibake_which_is_why_the_client_sends_filename_star(string fileName)
    {
        // What browsers and curl send for a non-ASCII name: the UTF-8 bytes inside filename="...".
        const string Boundary = "browser-style-boundary";
        var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"funCode\"\r\n\r\nwf010\r\n"));
        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"{fileName}\"\r\nContent-Type: application/pdf\r\n\r\n"));
        body.Write(Bytes.Pattern(100));
        body.Write(Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n"));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, "api/file/attach")) { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + Boundary);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.multer");

        using var response = await http.SendAsync(request);

        var answer = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.That((int)response.StatusCode, Is.EqualTo(200), answer.ToString());
        Assert.That(answer["fileName"]!.Value<string>(), Is.EqualTo(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(fileName))).And.Not.EqualTo(fileName));
    }

    private async Task<JObject> StoredAsync(string fileUuid)
    {
        using var http = new HttpClient();
        return JObject.Parse(await http.GetStringAsync(new Uri(_root, "stored/" + fileUuid)));
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>Real sockets; renames one multipart part before sending.</summary>
    private sealed class PartRenamingTransport(string from, string to) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The pipeline sends a body through its upload watch (UploadWatchingContent), the caller's content inside.
            var multipart = request.Content as MultipartFormDataContent ?? (request.Content as UploadWatchingContent)?.Inner as MultipartFormDataContent;
            var name = multipart?
                .Select(part => part.Headers.ContentDisposition?.Parameters.FirstOrDefault(p => p.Name == "name"))
                .FirstOrDefault(p => p?.Value == "\"" + from + "\"");
            Assert.That(name, Is.Not.Null, $"the client sent a part named {from}");
            name!.Value = "\"" + to + "\"";

            // The length the pipeline already computed is for the old name: send chunked instead.
            request.Content!.Headers.ContentLength = null;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
