using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Adversarial;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Tolerance;

/// <summary>
/// Issue #12, kind 4: file names from <c>Content-Disposition</c> are read the way browsers read them. Each row
/// is a header as a real server sends it (RFC 6266's examples, the cases, IIS/ASP.NET, nginx, S3,
/// Express), put on the wire byte for byte by a raw socket server, downloaded through a real client, then
/// saved with <see cref="FileResponse.SaveToDirectoryAsync"/>.
/// </summary>
[TestFixture]
public sealed class ContentDispositionTests
{
    private const string Fallback = "fallback.bin";

    private string _folder = null!;

    /// <summary>Header value; the name <see cref="FileResponse.FileName"/> gives; the name the file is saved under; whether the header goes out as Latin-1 bytes (else UTF-8).</summary>
    public static readonly object?[][] Cases =
    [
        // RFC 6266 section 5 examples.
        ["Attachment; filename=example.html", "example.html", "example.html", false],
        ["INLINE; FILENAME= \"an example.html\"", "an example.html", "an example.html", false],
        ["attachment; filename*= UTF-8''%e2%82%ac%20rates", "€ rates", "€ rates", false],
        ["attachment; filename=\"EURO rates\"; filename*=utf-8''%e2%82%ac%20rates", "€ rates", "€ rates", false],

        // The failing inputs.
        ["attachment; filename=\"履歷.pdf\"", "履歷.pdf", "履歷.pdf", false],
        ["attachment; filename=\"resume.pdf\";", "resume.pdf", "resume.pdf", false],
        ["attachment; filename=my resume.pdf", "my resume.pdf", "my resume.pdf", false],
        ["inline; filename=\"a\\\"b.pdf\"", "a\"b.pdf", "ab.pdf", false],

        // IIS and classic ASP.NET (HttpUtility.UrlPathEncode'd names), ASP.NET Core (both parameters).
        ["attachment; filename=%E5%B1%A5%E6%AD%B7.pdf", "履歷.pdf", "履歷.pdf", false],
        ["attachment; filename=\"%E5%B1%A5%E6%AD%B7%20v2.pdf\"", "履歷 v2.pdf", "履歷 v2.pdf", false],
        ["attachment; filename=\"resume 2024.pdf\"; filename*=UTF-8''resume%202024.pdf", "resume 2024.pdf", "resume 2024.pdf", false],
        ["attachment; filename=\"??.pdf\"; filename*=UTF-8''%E5%B1%A5%E6%AD%B7.pdf", "履歷.pdf", "履歷.pdf", false],

        // nginx (passes upstream names through, often unquoted, often raw UTF-8).
        ["attachment; filename=\"report.pdf\"", "report.pdf", "report.pdf", false],
        ["attachment; filename=履歷.pdf", "履歷.pdf", "履歷.pdf", false],
        ["attachment;filename=tight.pdf", "tight.pdf", "tight.pdf", false],

        // S3 (response-content-disposition returned verbatim).
        ["attachment; filename =\"photo.jpg\"", "photo.jpg", "photo.jpg", false],
        ["attachment; filename*=utf-8''%E5%B1%A5%E6%AD%B7%20v2.pdf", "履歷 v2.pdf", "履歷 v2.pdf", false],
        ["filename=\"no-type.pdf\"", "no-type.pdf", "no-type.pdf", false],
        ["inline; filename*=\"UTF-8''quoted%20star.pdf\"", "quoted star.pdf", "quoted star.pdf", false],

        // Express (content-disposition package: "?" fallbacks, escaped quotes).
        ["attachment; filename=\"r?sum?.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", "résumé.pdf", "résumé.pdf", false],
        ["attachment; filename=\"say \\\"hi\\\".txt\"", "say \"hi\".txt", "say hi.txt", false],

        // Charsets and fallbacks (RFC 6266 4.3: a filename* that cannot be decoded falls back to filename).
        ["attachment; filename*=iso-8859-1'en'%A3%20rates.txt", "£ rates.txt", "£ rates.txt", false],
        ["attachment; filename=\"fallback.txt\"; filename*=x-unknown''abc", "fallback.txt", "fallback.txt", false],
        ["attachment; filename=\"plain.txt\"; filename*=UTF-8''%FF%FE.txt", "plain.txt", "plain.txt", false],
        ["attachment; filename*=UTF-8''%E2%82%AC.txt; filename=\"EUR.txt\"", "€.txt", "€.txt", false],
        ["attachment; filename=\"résumé.pdf\"", "résumé.pdf", "résumé.pdf", true],

        // RFC 2047 encoded words, which Chrome and Firefox decode.
        ["attachment; filename=\"=?UTF-8?B?5bGl5q23LnBkZg==?=\"", "履歷.pdf", "履歷.pdf", false],
        ["attachment; filename=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"", "résumé.pdf", "résumé.pdf", false],

        // Odd but harmless shapes.
        ["attachment; FileName=\"Upper.PDF\"", "Upper.PDF", "Upper.PDF", false],
        ["attachment; filename=\"a;b.txt\"", "a;b.txt", "a;b.txt", false],
        ["attachment; size=123; filename=\"sized.pdf\"; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"", "sized.pdf", "sized.pdf", false],
        ["attachment; filename=\"100% done.txt\"", "100% done.txt", "100% done.txt", false],

        // Names that must be made safe: kept as sent in FileName, reduced when saved.
        ["attachment; filename=\"../../etc/passwd\"", "../../etc/passwd", "passwd", false],
        ["attachment; filename=\"..\\\\..\\\\win.ini\"", "..\\..\\win.ini", "win.ini", false],
        ["attachment; filename=\"a:b*c?.pdf\"", "a:b*c?.pdf", "abc.pdf", false],
        ["attachment; filename=\"...\"", "...", Fallback, false],

        // No usable name at all.
        ["attachment", null, Fallback, false],
        ["attachment; filename=\"\"", null, Fallback, false],
    ];

    [SetUp]
    public void MakeFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cf-disposition-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void The_table_has_at_least_thirty_cases() => Assert.That(Cases, Has.Length.GreaterThanOrEqualTo(30));

    [TestCaseSource(nameof(Cases))]
    public async Task A_downloaded_file_is_named_as_a_browser_names_it_and_saved_safely(string header, string? expectedName, string expectedSaved, bool latin1)
    {
        var body = Encoding.ASCII.GetBytes("%PDF-1.4 test");
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\nContent-Disposition: ");
        var value = (latin1 ? Encoding.Latin1 : Encoding.UTF8).GetBytes(header);
        byte[] response = [.. head, .. value, .. "\r\n\r\n"u8.ToArray(), .. body];
        // The header bytes exactly as given (Kestrel refuses raw UTF-8 in a header value), as real servers send them.
        await using var server = new RawTcpServer("disposition", exchange => exchange.WriteAsync(response));
        using var client = new HrMaxClient(new HrMaxClientOptions { Endpoint = server.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } });

        using var file = await client.DownloadFileAsync("u");
        Assert.That(file.FileName, Is.EqualTo(expectedName), "FileName");

        var saved = await file.SaveToDirectoryAsync(_folder, Fallback);
        Assert.That(Path.GetFileName(saved), Is.EqualTo(expectedSaved), "saved as");
        Assert.That(Path.GetDirectoryName(saved), Is.EqualTo(_folder));
        Assert.That(await File.ReadAllBytesAsync(saved), Is.EqualTo(body));
    }

    [TestCase("attachment; filename=\"履歷.pdf\"", "履歷.pdf")]
    [TestCase("attachment; filename=\"resume.pdf\";", "resume.pdf")]
    [TestCase("inline; filename=\"a\\\"b.pdf\"", "a\"b.pdf")]
    [TestCase("attachment; filename*=UTF-8''a+b%20c.pdf", "a+b c.pdf")]
    [TestCase("attachment; filename=a+b%20c.pdf", "a+b c.pdf")]
    [TestCase("attachment; filename*=UTF-8''\u00e5\u00b1\u00a5.pdf", "履.pdf")]
    [TestCase("attachment; filename=\"ok.pdf\"; filename*=UTF-8''50%.pdf", "ok.pdf")]
    [TestCase("attachment; filename=\"unterminated; still.pdf", "unterminated; still.pdf")]
    [TestCase("attachment; filename=\"x; filename=evil.exe\"; filename*=x-unknown''y", "x; filename=evil.exe")]
    [TestCase("attachment; filename=\"=?ISO-8859-1?Q?caf=E9_menu.pdf?=\"", "café menu.pdf")]
    public void A_FileResponse_built_from_a_header_dictionary_reads_the_name_the_same_way(string header, string expected)
    {
        // The header dictionary path (a FileResponse made without an HttpResponseMessage, as mocks do).
        var headers = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.IEnumerable<string>> { ["Content-Disposition"] = [header] };
        using var file = new FileResponse(200, headers, new MemoryStream(), null, null);

        Assert.That(file.FileName, Is.EqualTo(expected));
    }
}
