using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

[TestFixture]
public sealed class FileResponseTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cf-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static FileResponse Response(Stream body, long? contentLength = null, string? disposition = null)
    {
        var headers = new Dictionary<string, IEnumerable<string>>();
        if (contentLength is not null)
        {
            headers["Content-Length"] = new[] { contentLength.Value.ToString() };
        }

        if (disposition is not null)
        {
            headers["Content-Disposition"] = new[] { disposition };
        }

        return new FileResponse(200, headers, body, null, null);
    }

    [Test]
    public async Task SaveToFile_writes_the_whole_body_and_reports_progress()
    {
        var body = Bytes.Pattern(300_000);
        var reported = new List<long>();
        using var file = Response(new MemoryStream(body), body.Length);
        var target = Path.Combine(_folder, "out.bin");

        var written = await file.SaveToFileAsync(target, progress: new SynchronousProgress(reported.Add));

        Assert.That(written, Is.EqualTo(body.Length));
        Assert.That(await File.ReadAllBytesAsync(target), Is.EqualTo(body));
        Assert.That(reported.Last(), Is.EqualTo(body.Length));
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public async Task SaveToFile_leaves_no_file_when_the_body_is_shorter_than_its_Content_Length()
    {
        using var file = Response(new MemoryStream(Bytes.Pattern(100)), contentLength: 1000);
        var target = Path.Combine(_folder, "cut.bin");

        var error = await Assert.ThrowsAsync<IOException>(() => file.SaveToFileAsync(target));

        Assert.That(error!.Message, Does.Contain("100 of 1000 bytes"));
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task SaveToFile_leaves_no_file_when_the_connection_breaks_mid_body()
    {
        using var file = Response(new FailingStream(Bytes.Pattern(5000)));
        var target = Path.Combine(_folder, "broken.bin");

        await Assert.ThrowsAsync<HttpRequestException>(() => file.SaveToFileAsync(target));

        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task SaveToFile_leaves_no_file_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        using var file = Response(new MemoryStream(Bytes.Pattern(10)));

        await Assert.CatchAsync<OperationCanceledException>(() => file.SaveToFileAsync(Path.Combine(_folder, "c.bin"), cancellationToken: cancellation.Token));

        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task SaveToFile_does_not_overwrite_unless_asked()
    {
        var target = Path.Combine(_folder, "exists.bin");
        await File.WriteAllTextAsync(target, "keep");
        using var file = Response(new MemoryStream(new byte[] { 1 }));

        await Assert.ThrowsAsync<IOException>(() => file.SaveToFileAsync(target));

        Assert.That(await File.ReadAllTextAsync(target), Is.EqualTo("keep"));
    }

    [TestCase("attachment; filename=\"../../etc/passwd\"", "passwd")]
    [TestCase("attachment; filename=\"..\\\\..\\\\win.ini\"", "win.ini")]
    [TestCase("attachment; filename=\"..\"", "fallback.bin")]
    [TestCase(null, "fallback.bin")]
    [TestCase("attachment; filename*=UTF-8''%E5%B1%A5%E6%AD%B7.pdf", "履歷.pdf")]
    public async Task SaveToDirectory_keeps_a_server_file_name_inside_the_folder(string? disposition, string expected)
    {
        using var file = Response(new MemoryStream(new byte[] { 42 }), disposition: disposition);

        var path = await file.SaveToDirectoryAsync(_folder, "fallback.bin");

        Assert.That(path, Is.EqualTo(Path.Combine(_folder, expected)));
        Assert.That(File.Exists(path), Is.True);
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private sealed class FailingStream(byte[] first) : MemoryStream(first)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new HttpRequestException("connection reset");
        }

        // .NET Framework's streams are read through the array overload (the netstandard2.0 build calls it).
        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => await ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
    }

    [Test]
    public async Task DisposeAsync_disposes_the_body_stream_and_the_http_response_once()
    {
        var body = new MemoryStream(Bytes.Pattern(10));
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(Bytes.Pattern(10)) };
        var file = new FileResponse(200, new Dictionary<string, IEnumerable<string>>(), body, null, response);

        await file.DisposeAsync();
        await file.DisposeAsync();

        Assert.That(body.CanRead, Is.False, "the body stream is disposed");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => response.Content.ReadAsByteArrayAsync(), "the HTTP response (and its content) is disposed");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => file.SaveToFileAsync(Path.Combine(_folder, "late.bin")));
        Assert.That(Directory.GetFiles(_folder), Is.Empty, "nothing is written after disposal");
    }

    [TestCase(200, false)]
    [TestCase(206, true)]
    [TestCase(204, false)]
    public void IsPartial_is_true_for_206_only(int status, bool partial)
    {
        using var file = new FileResponse(status, new Dictionary<string, IEnumerable<string>>(), Stream.Null, null, null);

        Assert.That(file.IsPartial, Is.EqualTo(partial));
    }
}
