using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace CandidateFiles.Tests.Pipeline;

/// <summary>Retries, Retry-After, the POST rule and time limits, over loopback HTTP.</summary>
[TestFixture]
public sealed class ResilienceTests
{
    private LoopbackServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private HeadHunterClient HeadHunter(Action<HeadHunterClientOptions>? configure = null)
    {
        var options = new HeadHunterClientOptions
        {
            Endpoint = _server.BaseAddress,
            UserAgent = "T/1 (t@example.com)",
            AccessTokenCallback = (_, _) => new ValueTask<string>("t"),
        };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        configure?.Invoke(options);
        return new HeadHunterClient(options);
    }

    private const string EmptyPage = """{"items":[],"found":0,"pages":0,"page":0,"per_page":20}""";

    // Answers `failures` times with the given status (and headers), then 200.
    private void FailThenSucceed(string path, int failures, int status, Action<HttpResponse>? headers = null, string success = EmptyPage, int successStatus = 200)
    {
        var seen = 0;
        _server.On(path, (context, _) =>
        {
            if (Interlocked.Increment(ref seen) <= failures)
            {
                headers?.Invoke(context.Response);
                return LoopbackServer.WriteAsync(context, status, "application/json", """{"errors":[{"type":"busy"}]}"""u8.ToArray());
            }

            return LoopbackServer.WriteAsync(context, successStatus, "application/json", System.Text.Encoding.UTF8.GetBytes(success));
        });
    }

    [TestCase(408)]
    [TestCase(429)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    public async Task A_GET_is_retried_on_transient_statuses_until_it_succeeds(int status)
    {
        FailThenSucceed("/artifacts/photo", failures: 2, status);
        using var client = HeadHunter();

        await client.ListPhotosAsync();

        Assert.That(_server.Requests, Has.Count.EqualTo(3));
    }

    [TestCase(400)]
    [TestCase(404)]
    [TestCase(500)]
    public async Task A_GET_is_not_retried_on_other_errors(int status)
    {
        FailThenSucceed("/artifacts/photo", failures: 1, status);
        using var client = HeadHunter();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.StatusCode, Is.EqualTo(status));
        Assert.That(error.Attempts, Is.EqualTo(1));
        Assert.That(_server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task When_retries_run_out_the_caller_gets_the_typed_exception_with_the_attempt_count()
    {
        FailThenSucceed("/artifacts/photo", failures: 100, 503);
        using var client = HeadHunter(o => o.Retry.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.StatusCode, Is.EqualTo(503));
        Assert.That(error.Attempts, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("after 3 attempts"));
        Assert.That(_server.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Retry_After_in_seconds_is_waited()
    {
        FailThenSucceed("/artifacts/photo", failures: 1, 429, r => r.Headers.RetryAfter = "1");
        using var client = HeadHunter();
        var started = DateTime.UtcNow;

        await client.ListPhotosAsync();

        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)));
    }

    [Test]
    public async Task Retry_After_as_an_http_date_is_waited_until_that_time_in_utc()
    {
        FailThenSucceed("/artifacts/photo", failures: 1, 503, r => r.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R"));
        using var client = HeadHunter();
        var started = DateTime.UtcNow;

        await client.ListPhotosAsync();

        // The HTTP date has whole seconds, so the wait is between 1 and 2 seconds.
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)).And.LessThan(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void Retry_After_parsing_handles_both_forms_and_the_past()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7)) } };
        using var date = new HttpResponseMessage { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddMinutes(2).ToOffset(TimeSpan.FromHours(8))) } };
        using var past = new HttpResponseMessage { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddMinutes(-2)) } };

        Assert.That(CallHandler.RetryAfter(seconds, now), Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(CallHandler.RetryAfter(date, now), Is.EqualTo(TimeSpan.FromMinutes(2)), "a date in another offset is compared in UTC");
        Assert.That(CallHandler.RetryAfter(past, now), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task Retry_After_beyond_the_maximum_wait_is_capped()
    {
        FailThenSucceed("/artifacts/photo", failures: 1, 503, r => r.Headers.RetryAfter = "3600");
        using var client = HeadHunter(o => o.Retry.MaxDelay = TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;

        await client.ListPhotosAsync();

        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(_server.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_POST_is_not_retried_on_503_without_Retry_After()
    {
        FailThenSucceed("/artifacts", failures: 1, 503, success: """{"id":"1","state":{"id":"processing","name":"p"}}""", successStatus: 201);
        using var client = HeadHunter();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[] { 1 }), "a.png"));

        Assert.That(error!.StatusCode, Is.EqualTo(503));
        Assert.That(_server.Requests.Where(r => r.Path == "/artifacts").ToArray(), Has.Length.EqualTo(1), "the upload was sent once");
    }

    [Test]
    public async Task A_POST_with_a_seekable_body_is_replayed_whole_on_503_with_Retry_After()
    {
        FailThenSucceed("/artifacts", failures: 1, 503, r => r.Headers.RetryAfter = "0", success: """{"id":"1","state":{"id":"processing","name":"p"}}""", successStatus: 201);
        using var client = HeadHunter();
        var image = Bytes.Pattern(100_000);

        var artifact = await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(image), "a.png");

        Assert.That(artifact.Id, Is.EqualTo("1"));
        var uploads = _server.Requests.Where(r => r.Path == "/artifacts").Select(r => r.FileParts.Single().Content).ToArray();
        Assert.That(uploads, Has.Length.EqualTo(2));
        Assert.That(uploads, Has.All.EqualTo(image), "both attempts carried the whole file");
    }

    [Test]
    public async Task Upload_progress_starts_again_when_a_replayed_POST_rewinds_the_file()
    {
        FailThenSucceed("/artifacts", failures: 1, 503, r => r.Headers.RetryAfter = "0", success: """{"id":"1","state":{"id":"processing","name":"p"}}""", successStatus: 201);
        using var client = HeadHunter();
        var image = Bytes.Pattern(100_000);
        var reports = new RecordingProgress();

        await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(image), "a.png", progress: reports);

        var uploads = _server.Requests.Where(r => r.Path == "/artifacts").Select(r => r.FileParts.Single().Content).ToArray();
        Assert.That(uploads, Has.Length.EqualTo(2));
        Assert.That(uploads, Has.All.EqualTo(image));
        Assert.That(reports.Values.Count(v => v == image.Length), Is.EqualTo(2), "each attempt reports the whole file once");
        Assert.That(reports.Values[^1], Is.EqualTo(image.Length));
    }

    [Test]
    public async Task A_POST_with_a_forward_only_body_is_not_replayed_even_with_Retry_After()
    {
        FailThenSucceed("/api/file/attach", failures: 1, 503, r => r.Headers.RetryAfter = "0", success: """{"fileUUID":"u","fileName":"a","fileSize":1,"fileMime":"x","isTmp":1}""");
        var options = new HrMaxClientOptions { Endpoint = _server.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>("t") };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        using var client = new HrMaxClient(options);

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => client.AttachFileAsync("wf010", new ForwardOnlyStream(Bytes.Pattern(1000)), "a.bin"));

        Assert.That(error!.StatusCode, Is.EqualTo(503));
        Assert.That(_server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_stalled_attempt_times_out_and_the_next_attempt_succeeds()
    {
        var calls = 0;
        _server.On("/v1/profile/indexing/attachments", async (context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { });
                return;
            }

            await LoopbackServer.WriteAsync(context, 200, "application/json", """{"code":200,"message":"ok","data":[]}"""u8.ToArray());
        });
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_x" };
        options.Timeouts.PerAttempt = TimeSpan.FromMilliseconds(300);
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        using var client = new HrFlowClient(options);

        var list = await client.ListProfileAttachmentsAsync("s", key: "p");

        Assert.That(list.Data, Is.Empty);
        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_call_that_keeps_stalling_ends_with_a_timeout_naming_the_attempt()
    {
        _server.On("/v1/profile/indexing/attachments", (context, _) => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }));
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_x" };
        options.Timeouts.PerAttempt = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxRetries = 1;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        using var client = new HrFlowClient(options);

        var error = await Assert.ThrowsAsync<ProviderTimeoutException>(() => client.ListProfileAttachmentsAsync("s", key: "p"));

        Assert.That(error!.Kind, Is.EqualTo(ProviderTimeoutKind.Attempt));
        Assert.That(error.Attempt, Is.EqualTo(2));
        Assert.That(error.Message, Does.Contain("attempt 2").And.Contain("0.2 s"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_body_that_stops_mid_way_fails_as_a_stall_and_caller_cancellation_stays_cancellation(bool cancellableCall)
    {
        StallAfterFirstBytes("/api/file/download");
        var options = new HrMaxClientOptions { Endpoint = _server.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>("t") };
        options.Timeouts.PerAttempt = TimeSpan.FromMilliseconds(300);
        using var client = new HrMaxClient(options);
        using var call = new CancellationTokenSource();

        using (var file = await client.DownloadFileAsync("u", cancellableCall ? call.Token : CancellationToken.None))
        {
            var stall = await Assert.ThrowsAsync<ProviderTimeoutException>(() => file.Stream.CopyToAsync(Stream.Null));
            Assert.That(stall!.Kind, Is.EqualTo(ProviderTimeoutKind.BodyStalled));
        }

        using (var file = await client.DownloadFileAsync("u", cancellableCall ? call.Token : CancellationToken.None))
        {
            using var reading = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var cancelled = await Assert.CatchAsync<OperationCanceledException>(() => file.Stream.CopyToAsync(Stream.Null, reading.Token));
            Assert.That(cancelled, Is.Not.InstanceOf<TimeoutException>());
        }
    }

    [Test]
    public async Task Infinite_time_limits_turn_both_off()
    {
        _server.On("/v1/profile/indexing/attachments", (context, _) => LoopbackServer.WriteAsync(context, 200, "application/json", """{"code":200,"message":"ok","data":[]}"""u8.ToArray()));
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_x" };
        options.Timeouts.PerAttempt = Timeout.InfiniteTimeSpan;
        options.Timeouts.Overall = Timeout.InfiniteTimeSpan;
        using var client = new HrFlowClient(options);

        var list = await client.ListProfileAttachmentsAsync("s", key: "p");

        Assert.That(list.Data, Is.Empty);
    }

    [Test]
    public async Task An_infinite_per_attempt_limit_leaves_the_overall_deadline_in_force()
    {
        _server.On("/v1/profile/indexing/attachments", (context, _) => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }));
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_x" };
        options.Timeouts.PerAttempt = Timeout.InfiniteTimeSpan;
        options.Timeouts.Overall = TimeSpan.FromMilliseconds(300);
        using var client = new HrFlowClient(options);

        var error = await Assert.ThrowsAsync<ProviderTimeoutException>(() => client.ListProfileAttachmentsAsync("s", key: "p"));

        Assert.That(error!.Kind, Is.EqualTo(ProviderTimeoutKind.Overall));
    }

    [Test]
    public async Task The_overall_deadline_is_reported_as_an_overall_timeout()
    {
        _server.On("/v1/profile/indexing/attachments", (context, _) => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }));
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_x" };
        options.Timeouts.Overall = TimeSpan.FromMilliseconds(300);
        using var client = new HrFlowClient(options);

        var error = await Assert.ThrowsAsync<ProviderTimeoutException>(() => client.ListProfileAttachmentsAsync("s", key: "p"));

        Assert.That(error!.Kind, Is.EqualTo(ProviderTimeoutKind.Overall));
    }

    [Test]
    public async Task Caller_cancellation_is_reported_as_cancellation_not_as_a_timeout()
    {
        _server.On("/v1/profile/indexing/attachments", (context, _) => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }));
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_x" });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Assert.CatchAsync<OperationCanceledException>(() => client.ListProfileAttachmentsAsync("s", key: "p", cancellationToken: cancel.Token));

        Assert.That(error, Is.Not.InstanceOf<TimeoutException>());
    }

    [Test]
    public async Task Logs_name_method_path_status_attempt_and_redact_identifying_query_values()
    {
        FailThenSucceed("/v1/profile/indexing/attachments", failures: 1, 503, success: """{"code":200,"message":"ok","data":[]}""");
        var logs = new CapturingLoggerFactory();
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_secret_in_header", LoggerFactory = logs };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        using var client = new HrFlowClient(options);

        await client.ListProfileAttachmentsAsync("source-77", email: "candidate@example.com");

        var lines = logs.Lines.ToArray();
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.Contain("CandidateFiles.HrFlow").And.Contain("GET /v1/profile/indexing/attachments?source_key=***&email=***").And.Contain("503").And.Contain("attempt 1"));
        Assert.That(lines[1], Does.Contain("200").And.Contain("attempt 2"));
        Assert.That(string.Join("\n", lines), Does.Not.Contain("candidate@example.com").And.Not.Contain("source-77").And.Not.Contain("askr_secret_in_header"));
    }

    private void StallAfterFirstBytes(string path) => _server.On(path, async (context, _) =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/pdf";
        context.Response.ContentLength = 100_000;
        await context.Response.Body.WriteAsync(new byte[1000]);
        await context.Response.Body.FlushAsync();
        await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { });
    });
}
