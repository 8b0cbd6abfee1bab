using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>What <see cref="HrMaxClient"/> puts on the wire and makes of the answers, over real HTTP on loopback.</summary>
[TestFixture]
public sealed class HrMaxClientTests
{
    private LoopbackServer _server = null!;
    private HrMaxClient _client = null!;
    private int _tokenCalls;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _tokenCalls = 0;
        _client = new HrMaxClient(new HrMaxClientOptions
        {
            Endpoint = _server.BaseAddress,
            AccessTokenCallback = (context, _) => new ValueTask<string>(context.PreviousTokenRejected ? "jwt-fresh" : "jwt-" + Interlocked.Increment(ref _tokenCalls)),
        });
    }

    [TearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task AttachFile_reports_upload_progress_up_to_the_whole_file_and_sends_it_unchanged()
    {
        _server.OnJson("/api/file/attach", 200, """{"fileUUID":"u","fileName":"big.bin","fileSize":300000,"fileMime":"application/octet-stream","isTmp":1}""");
        var content = Bytes.Pattern(300_000);
        var reports = new RecordingProgress();

        await _client.AttachFileAsync("wf010", new MemoryStream(content), "big.bin", progress: reports);

        Assert.That(_server.SingleRequest("/api/file/attach").FileParts[0].Content, Is.EqualTo(content));
        Assert.That(reports.Values, Is.Not.Empty);
        Assert.That(reports.Values, Is.Ordered.Ascending);
        Assert.That(reports.Values[^1], Is.EqualTo(content.Length));
    }

    [Test]
    public async Task The_token_callback_is_told_which_request_the_token_is_for()
    {
        _server.OnJson("/api/file/attach", 200, """{"fileUUID":"u","fileName":"a.pdf","fileSize":3,"fileMime":"application/pdf","isTmp":1}""");
        var asked = new List<AccessTokenRequestContext>();
        using var client = new HrMaxClient(new HrMaxClientOptions
        {
            Endpoint = _server.BaseAddress,
            AccessTokenCallback = (context, _) =>
            {
                lock (asked)
                {
                    asked.Add(context);
                }

                return new ValueTask<string>("jwt-x");
            },
        });

        await client.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(3)), "a.pdf");

        Assert.That(asked, Has.Count.EqualTo(1));
        Assert.That(asked[0].RequestUri, Is.EqualTo(new Uri(_server.BaseAddress, "api/file/attach")));
        Assert.That(asked[0].PreviousTokenRejected, Is.False);
    }

    [Test]
    public async Task AttachFile_posts_multipart_with_funCode_and_a_part_named_attachment()
    {
        _server.OnJson("/api/file/attach", 200, """{"fileUUID":"30381c3458faf2d31c38aed42e7c6e17","fileName":"1.png","fileSize":5,"fileMime":"image/png","isTmp":1}""");
        var content = Bytes.Pattern(5);

        var attached = await _client.AttachFileAsync("wf010", new MemoryStream(content), "1.png");

        var request = _server.SingleRequest("/api/file/attach");
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.ContentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer jwt-1"));
            Assert.That(request.FormFields["funCode"], Is.EqualTo("wf010"));
            Assert.That(request.FileParts, Has.Count.EqualTo(1));
            Assert.That(request.FileParts[0].Name, Is.EqualTo("attachment"));
            Assert.That(request.FileParts[0].FileName, Is.EqualTo("1.png"));
            Assert.That(request.FileParts[0].ContentType, Is.EqualTo("image/png"));
            Assert.That(request.FileParts[0].Content, Is.EqualTo(content));
            Assert.That(attached.FileUUID, Is.EqualTo("30381c3458faf2d31c38aed42e7c6e17"));
            Assert.That(attached.FileName, Is.EqualTo("1.png"));
            Assert.That(attached.FileSize, Is.EqualTo(5));
            Assert.That(attached.FileMime, Is.EqualTo("image/png"));
            Assert.That(attached.IsTmp, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AttachFile_from_a_path_sends_the_file_name_and_infers_the_media_type()
    {
        _server.OnJson("/api/file/attach", 200, """{"fileUUID":"u","fileName":"cv.pdf","fileSize":3,"fileMime":"application/pdf","isTmp":1}""");
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "cv.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, new byte[] { 1, 2, 3 });

        await _client.AttachFileAsync("wf010", path);

        var part = _server.SingleRequest("/api/file/attach").FileParts[0];
        Assert.That(part.FileName, Is.EqualTo("cv.pdf"));
        Assert.That(part.ContentType, Is.EqualTo("application/pdf"));
        Assert.That(part.Content, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task DetachFile_posts_the_uuid_as_json()
    {
        _server.OnJson("/api/file/detach", 200, """{"code":200}""");

        await _client.DetachFileAsync("uuid-1");

        var request = _server.SingleRequest("/api/file/detach");
        Assert.That(request.Method, Is.EqualTo("POST"));
        Assert.That(request.ContentType, Does.StartWith("application/json"));
        Assert.That(JObject.Parse(request.BodyText)["uuid"]!.Value<string>(), Is.EqualTo("uuid-1"));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer jwt-1"));
    }

    [Test]
    public async Task DownloadFile_posts_the_uuid_as_json_and_streams_the_file()
    {
        var body = Bytes.Pattern(70_000);
        _server.OnBytes("/api/file/download", 200, "application/pdf", body, "attachment; filename=\"cv.pdf\"");

        using var file = await _client.DownloadFileAsync("uuid-2");

        var request = _server.SingleRequest("/api/file/download");
        Assert.That(JObject.Parse(request.BodyText)["uuid"]!.Value<string>(), Is.EqualTo("uuid-2"));
        Assert.That(file.FileName, Is.EqualTo("cv.pdf"));
        Assert.That(file.ContentType, Is.EqualTo("application/pdf"));
        Assert.That(await Bytes.ReadAllAsync(file.Stream), Is.EqualTo(body));
    }

    [Test]
    public async Task A_450_becomes_an_upload_rejected_error_with_HR_Max_message()
    {
        _server.OnJson("/api/file/attach", 450, """{"code":450,"msg":"Unexpected field"}""");

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => _client.AttachFileAsync("wf010", new MemoryStream(new byte[] { 1 }), "a.png"));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.UploadRejected));
        Assert.That(error.StatusCode, Is.EqualTo(450));
        Assert.That(error.ProviderErrorCode, Is.EqualTo("450"));
        Assert.That(error.ProviderMessage, Is.EqualTo("Unexpected field"));
    }

    [Test]
    public async Task A_401_asks_the_token_source_again_once_and_retries_with_the_fresh_token()
    {
        _server.On("/api/file/detach", (context, request) => request.Header("Authorization") == "Bearer jwt-fresh"
            ? LoopbackServer.WriteAsync(context, 200, "application/json", "{}"u8.ToArray())
            : LoopbackServer.WriteAsync(context, 401, "application/json", "{\"code\":401,\"msg\":\"認證失敗\"}"u8.ToArray()));

        await _client.DetachFileAsync("uuid-3");

        Assert.That(_server.Requests, Has.Count.EqualTo(2));
    }
}
