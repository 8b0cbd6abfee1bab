using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// The multipart headers the clients put on the wire, read from the raw request bytes a loopback server
/// received: every parameter quoted as browsers and curl write it, and a file name that is not printable
/// ASCII sent as an ASCII fallback plus <c>filename*=utf-8''</c> (see <see cref="FormDataParts"/> for why).
/// </summary>
[TestFixture]
public sealed class MultipartDispositionTests
{
    private LoopbackServer _server = null!;
    private HrMaxClient _hrMax = null!;
    private HeadHunterClient _headHunter = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _server.OnJson("/api/file/attach", 200, """{"fileUUID":"u","fileName":"f","fileSize":1,"fileMime":"application/pdf","isTmp":1}""");
        _server.OnJson("/artifacts", 201, """{"id":"1","type":{"id":"portfolio","name":"Portfolio"},"description":"d","state":{"id":"ok","name":"ok"},"url":"https://hh.example/a.png"}""");
        _hrMax = new HrMaxClient(new HrMaxClientOptions
        {
            Endpoint = _server.BaseAddress,
            AccessTokenCallback = (_, _) => new ValueTask<string>("jwt"),
        });
        _headHunter = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = _server.BaseAddress,
            UserAgent = "MultipartTests/1.0 (tests@example.com)",
            AccessTokenCallback = (_, _) => new ValueTask<string>("hh-token"),
        });
    }

    [TearDown]
    public async Task StopServer()
    {
        _hrMax.Dispose();
        _headHunter.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("cv.pdf", "form-data; name=\"attachment\"; filename=\"cv.pdf\"")]
    [TestCase("my resume (final).v2.pdf", "form-data; name=\"attachment\"; filename=\"my resume (final).v2.pdf\"")]
    [TestCase("請假單 2026.pdf", "form-data; name=\"attachment\"; filename=\"___ 2026.pdf\"; filename*=utf-8''%E8%AB%8B%E5%81%87%E5%96%AE%202026.pdf")]
    [TestCase("Curriculum-Ñandú-éèà.pdf", "form-data; name=\"attachment\"; filename=\"Curriculum-Nandu-eea.pdf\"; filename*=utf-8''Curriculum-%C3%91and%C3%BA-%C3%A9%C3%A8%C3%A0.pdf")]
    [TestCase("Заявление.docx", "form-data; name=\"attachment\"; filename=\"_________.docx\"; filename*=utf-8''%D0%97%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5.docx")]
    [TestCase("履歷📄.pdf", "form-data; name=\"attachment\"; filename=\"___.pdf\"; filename*=utf-8''%E5%B1%A5%E6%AD%B7%F0%9F%93%84.pdf")]
    [TestCase("report \"final\".pdf", "form-data; name=\"attachment\"; filename=\"report \\\"final\\\".pdf\"; filename*=utf-8''report%20%22final%22.pdf")]
    [TestCase("C:\\scans\\cv.pdf", "form-data; name=\"attachment\"; filename=\"C:\\\\scans\\\\cv.pdf\"; filename*=utf-8''C%3A%5Cscans%5Ccv.pdf")]
    [TestCase("a;b=c%20.pdf", "form-data; name=\"attachment\"; filename=\"a;b=c%20.pdf\"")]
    [TestCase("line\r\nX-Injected: 1.pdf", "form-data; name=\"attachment\"; filename=\"line__X-Injected: 1.pdf\"; filename*=utf-8''line%0D%0AX-Injected%3A%201.pdf")]
    public async Task AttachFile_sends_quoted_parameters_and_filename_star_only_for_names_that_are_not_plain_printable_ASCII(string fileName, string expected)
    {
        await _hrMax.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(100)), fileName, "application/pdf");

        var request = _server.SingleRequest("/api/file/attach");
        var parts = RawParts(request);
        Assert.Multiple(() =>
        {
            Assert.That(parts.Select(p => p.Disposition), Is.EqualTo(new[] { "form-data; name=\"funCode\"", expected }));
            Assert.That(parts[1].Headers, Does.Contain("Content-Type: application/pdf"));
            Assert.That(request.FileParts.Single().FileName, Is.EqualTo(fileName), "ASP.NET Core's multipart reader gets the exact name back");
            Assert.That(request.FileParts.Single().Content, Is.EqualTo(Bytes.Pattern(100)));
        });
    }

    [Test]
    public async Task AttachFile_sends_a_very_long_ASCII_name_whole_in_one_quoted_parameter()
    {
        var fileName = string.Concat(Enumerable.Repeat("long-name_", 100)) + ".pdf";

        await _hrMax.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(10)), fileName);

        var request = _server.SingleRequest("/api/file/attach");
        Assert.That(RawParts(request)[1].Disposition, Is.EqualTo($"form-data; name=\"attachment\"; filename=\"{fileName}\""));
        Assert.That(request.FileParts.Single().FileName, Is.EqualTo(fileName));
    }

    [Test]
    public async Task AttachFile_sends_a_very_long_CJK_name_whole_as_filename_star_with_a_fallback_of_the_same_length()
    {
        var fileName = string.Concat(Enumerable.Repeat("請假單", 100)) + ".pdf";

        await _hrMax.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(10)), fileName);

        var request = _server.SingleRequest("/api/file/attach");
        var expectedStar = string.Concat(Enumerable.Repeat("%E8%AB%8B%E5%81%87%E5%96%AE", 100)) + ".pdf";
        Assert.That(RawParts(request)[1].Disposition, Is.EqualTo($"form-data; name=\"attachment\"; filename=\"{new string('_', 300)}.pdf\"; filename*=utf-8''{expectedStar}"));
        Assert.That(request.FileParts.Single().FileName, Is.EqualTo(fileName));
    }

    [Test]
    public async Task UploadArtifact_quotes_every_field_part_and_labels_a_file_part_without_a_type_from_its_extension()
    {
        await _headHunter.UploadArtifactAsync(ArtifactType.Portfolio, "作品 \"one\"", new FileParameter(new MemoryStream(Bytes.Pattern(50)), "作品.png"));

        var parts = RawParts(_server.SingleRequest("/artifacts"));
        Assert.Multiple(() =>
        {
            Assert.That(parts.Select(p => p.Disposition), Is.EqualTo(new[]
            {
                "form-data; name=\"type\"",
                "form-data; name=\"description\"",
                "form-data; name=\"file\"; filename=\"__.png\"; filename*=utf-8''%E4%BD%9C%E5%93%81.png",
            }));
            Assert.That(parts[2].Headers, Does.Contain("Content-Type: image/png"));
        });
    }

    [Test]
    public void AddFile_labels_a_part_without_a_type_and_an_unknown_extension_application_octet_stream()
    {
        using var content = new System.Net.Http.MultipartFormDataContent();
        var part = new System.Net.Http.StreamContent(new MemoryStream(Bytes.Pattern(3)));

        FormDataParts.AddFile(content, part, "attachment", "data.unknown-extension");

        Assert.That(part.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
    }

    [Test]
    public void Disposition_of_a_field_part_has_only_its_quoted_name()
        => Assert.That(FormDataParts.Disposition("funCode", null).ToString(), Is.EqualTo("form-data; name=\"funCode\""));

    /// <summary>
    /// The parts of a multipart body as raw bytes say: each part's header lines and its Content-Disposition.
    /// Header bytes must all be ASCII (a raw UTF-8 header is what servers decode as Latin-1).
    /// </summary>
    private static List<(string Disposition, string[] Headers)> RawParts(RecordedRequest request)
    {
        var boundary = request.ContentType!.Split("boundary=")[1].Trim('"');
        var body = request.Body;
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<(string, string[])>();
        var start = IndexOf(body, delimiter, 0);
        while (start >= 0)
        {
            var headersStart = start + delimiter.Length;
            if (body.AsSpan(headersStart).StartsWith("--"u8))
            {
                break;
            }

            headersStart += 2;
            var headersEnd = IndexOf(body, "\r\n\r\n"u8.ToArray(), headersStart);
            var headerBytes = body.AsSpan(headersStart, headersEnd - headersStart);
            Assert.That(headerBytes.ToArray(), Has.All.LessThan(0x80), "multipart header bytes are ASCII");
            var headers = Encoding.ASCII.GetString(headerBytes).Split("\r\n");
            var disposition = headers.Single(h => h.StartsWith("Content-Disposition: ", StringComparison.Ordinal))["Content-Disposition: ".Length..];
            parts.Add((disposition, headers));
            start = IndexOf(body, delimiter, headersEnd);
        }

        return parts;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var index = haystack.AsSpan(from).IndexOf(needle);
        return index < 0 ? -1 : from + index;
    }
}
