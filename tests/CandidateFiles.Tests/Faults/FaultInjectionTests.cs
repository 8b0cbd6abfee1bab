using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Faults;

/// <summary>
/// The sandbox misbehaves on purpose (resets, stalls, 429/503 bursts, cut and malformed bodies, error
/// pages, huge bodies, a broken token endpoint, foreign redirects, load) and each client must end in
/// the expected outcome: success after N attempts or a specific typed exception, never a hang, never a
/// partial file that looks complete, never a duplicated upload.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FaultInjectionTests
{
    private const string Agent = "FaultTests/1.0 (faults@example.com)";
    private SandboxHost _sandbox = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions { HhProcessingDelay = TimeSpan.FromMilliseconds(50) });

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
        FaultReport.Write(RepoRoot.Path);
        TestContext.Progress.WriteLine(FaultReport.Markdown());
    }

    [SetUp]
    public void Reset()
    {
        _sandbox.State.Reset();
        _folder = Path.Combine(Path.GetTempPath(), "cf-faults-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, true);

    private void Tune(ProviderClientOptions options)
    {
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(3);
        options.Timeouts.PerAttempt = TimeSpan.FromMilliseconds(1500);
        options.Timeouts.Overall = TimeSpan.FromSeconds(20);
        options.LoggerFactory = SecretLeakMonitor.Logs;
    }

    private EhrwebResumeClient Ehrweb()
    {
        var options = new EhrwebResumeClientOptions
        {
            Endpoint = _sandbox.At("external/"),
            TokenEndpoint = _sandbox.At("oauth2/token"),
            GuiNum = SandboxCredentials.EhrwebGuiNum,
            ClientId = SandboxCredentials.EhrwebClientId,
            ClientSecret = SandboxCredentials.EhrwebClientSecret,
        };
        Tune(options);
        return new EhrwebResumeClient(options);
    }

    private HrMaxClient HrMax()
    {
        var options = new HrMaxClientOptions
        {
            Endpoint = _sandbox.Root,
            AccessTokenCallback = (_, _) => new ValueTask<string>(_sandbox.State.IssueHrMaxToken(SandboxCredentials.HrMaxAccount)),
        };
        Tune(options);
        return new HrMaxClient(options);
    }

    private HrFlowClient HrFlow()
    {
        var options = new HrFlowClientOptions { Endpoint = _sandbox.At("v1/"), ApiKey = SandboxCredentials.HrFlowApiKey };
        Tune(options);
        return new HrFlowClient(options);
    }

    private HeadHunterClient HeadHunter()
    {
        var options = new HeadHunterClientOptions { Endpoint = _sandbox.Root, UserAgent = Agent, AccessTokenCallback = (_, _) => new ValueTask<string>(SandboxCredentials.HhApplicantToken) };
        Tune(options);
        return new HeadHunterClient(options);
    }

    private int Sent(string path) => _sandbox.State.Requests.Count(r => r.Path == path);

    /// <summary>Runs the call, records the row, and returns the exception (null on success).</summary>
    private async Task<Exception?> RunAsync(string fault, string call, string path, Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        Exception? failure = null;
        try
        {
            await action().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        clock.Stop();
        Assert.That(failure, Is.Not.InstanceOf<TimeoutException>().Or.InstanceOf<ProviderTimeoutException>(), "the call hung past the test's own limit");
        var outcome = failure switch
        {
            null => "success",
            ProviderApiException api => $"{api.GetType().Name} {api.StatusCode}",
            ProviderTimeoutException timeout => $"ProviderTimeoutException ({timeout.Kind}, attempt {timeout.Attempt})",
            _ => failure.GetType().Name,
        };
        FaultReport.Add(fault, call, outcome, Sent(path), clock.Elapsed);
        return failure;
    }

    private static MemoryStream Png() => new(SampleFiles.Png.ToArray());

    // ---------------------------------------------------------------- connection reset before headers

    [Test]
    public async Task Reset_before_headers_on_a_GET_succeeds_on_the_next_attempt()
    {
        _sandbox.State.InjectFault("/v1/profile/indexing/attachments", new FaultPlan(SandboxFault.ResetBeforeHeaders));
        using var client = HrFlow();

        var error = await RunAsync("reset before headers", "HrFlow GET attachments", "/v1/profile/indexing/attachments", () => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowProfileId));

        Assert.That(error, Is.Null);
        Assert.That(Sent("/v1/profile/indexing/attachments"), Is.EqualTo(2));
    }

    [Test]
    public async Task Reset_before_headers_on_a_POST_surfaces_at_once_and_does_not_resend_the_upload()
    {
        _sandbox.State.InjectFault("/api/file/attach", new FaultPlan(SandboxFault.ResetBeforeHeaders));
        using var client = HrMax();

        var error = await RunAsync("reset before headers", "HR Max POST attach", "/api/file/attach", () => client.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(5000)), "a.pdf"));

        Assert.That(error, Is.InstanceOf<HttpRequestException>());
        Assert.That(error!.Message, Does.Contain("after 1 attempt"));
        Assert.That(Sent("/api/file/attach"), Is.EqualTo(1));
        Assert.That(_sandbox.State.HrMaxFileCount, Is.Zero);
    }

    // ---------------------------------------------------------------- reset mid-body / truncated body

    [Test]
    public async Task Reset_mid_body_of_a_download_fails_the_save_and_leaves_no_file()
    {
        _sandbox.State.InjectFault("/external/files/attachment", new FaultPlan(SandboxFault.ResetMidBody));
        using var client = Ehrweb();
        var target = Path.Combine(_folder, "resume.pdf");

        var error = await RunAsync("reset mid-body", "104 GET attachment + SaveToFile", "/external/files/attachment", async () =>
        {
            using var file = await client.GetAttachmentAsync(AttachmentType.Attachment, SandboxCredentials.EhrwebDocAttachmentFileId);
            await file.SaveToFileAsync(target);
        });

        Assert.That(error, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>());
        Assert.That(Directory.GetFiles(_folder), Is.Empty, "no file, complete-looking or partial");
    }

    [Test]
    public async Task A_cut_JSON_body_on_a_GET_is_retried_and_succeeds()
    {
        _sandbox.State.InjectFault("/artifacts/photo", new FaultPlan(SandboxFault.TruncatedBody) { Size = 5000 });
        using var client = HeadHunter();

        var error = await RunAsync("truncated body (Content-Length mismatch)", "hh.ru GET photos", "/artifacts/photo", () => client.ListPhotosAsync());

        Assert.That(error, Is.Null);
        Assert.That(Sent("/artifacts/photo"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_cut_download_body_is_an_error_and_leaves_no_file()
    {
        _sandbox.State.InjectFault("/api/file/download", new FaultPlan(SandboxFault.TruncatedBody) { Size = 1_000_000 });
        using var client = HrMax();
        var target = Path.Combine(_folder, "x.bin");

        var error = await RunAsync("truncated body (Content-Length mismatch)", "HR Max POST download + SaveToFile", "/api/file/download", async () =>
        {
            using var file = await client.DownloadFileAsync("any");
            await file.SaveToFileAsync(target);
        });

        Assert.That(error, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>());
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    // ---------------------------------------------------------------- stall

    [Test]
    public async Task A_stalled_GET_times_out_per_attempt_and_the_retry_succeeds()
    {
        _sandbox.State.InjectFault("/external/files/headshot", new FaultPlan(SandboxFault.Stall) { Delay = TimeSpan.FromSeconds(10) });
        using var client = Ehrweb();

        var error = await RunAsync("server stall", "104 GET headshot", "/external/files/headshot", async () => (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose());

        Assert.That(error, Is.Null);
        Assert.That(Sent("/external/files/headshot"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_stalled_POST_is_a_timeout_naming_the_attempt_and_is_not_resent()
    {
        _sandbox.State.InjectFault("/artifacts", new FaultPlan(SandboxFault.Stall) { Delay = TimeSpan.FromSeconds(10) });
        using var client = HeadHunter();

        var error = await RunAsync("server stall", "hh.ru POST upload", "/artifacts", () => client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png"));

        Assert.That(error, Is.InstanceOf<ProviderTimeoutException>());
        Assert.That(((ProviderTimeoutException)error!).Attempt, Is.EqualTo(1));
        Assert.That(Sent("/artifacts"), Is.EqualTo(1));
    }

    // ---------------------------------------------------------------- 503 / 429 bursts

    [Test]
    public async Task A_503_burst_without_Retry_After_on_a_GET_succeeds_after_backoff()
    {
        _sandbox.State.InjectFault("/artifacts/portfolio", new FaultPlan(SandboxFault.Status) { Status = 503 }, times: 2);
        using var client = HeadHunter();

        var error = await RunAsync("503 burst, no Retry-After", "hh.ru GET portfolio", "/artifacts/portfolio", () => client.ListPortfolioAsync());

        Assert.That(error, Is.Null);
        Assert.That(Sent("/artifacts/portfolio"), Is.EqualTo(3));
    }

    [Test]
    public async Task A_503_without_Retry_After_on_an_upload_surfaces_and_nothing_is_uploaded_twice()
    {
        _sandbox.State.InjectFault("/artifacts", new FaultPlan(SandboxFault.Status) { Status = 503 }, times: 2);
        using var client = HeadHunter();

        var error = await RunAsync("503 burst, no Retry-After", "hh.ru POST upload", "/artifacts", () => client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png"));

        Assert.That(error, Is.InstanceOf<HeadHunterApiException>());
        Assert.That(((ProviderApiException)error!).StatusCode, Is.EqualTo(503));
        Assert.That(Sent("/artifacts"), Is.EqualTo(1));
        Assert.That(_sandbox.State.HeadHunterArtifactCount, Is.Zero);
    }

    [Test]
    public async Task A_503_burst_with_Retry_After_seconds_on_an_upload_is_retried_and_uploads_once()
    {
        _sandbox.State.InjectFault("/artifacts", new FaultPlan(SandboxFault.Status) { Status = 503, RetryAfter = "1" }, times: 2);
        using var client = HeadHunter();

        var error = await RunAsync("503 burst, Retry-After: 1", "hh.ru POST upload", "/artifacts", () => client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png"));

        Assert.That(error, Is.Null);
        Assert.That(Sent("/artifacts"), Is.EqualTo(3));
        Assert.That(_sandbox.State.HeadHunterArtifactCount, Is.EqualTo(1), "the upload exists exactly once");
    }

    [Test]
    public async Task A_429_with_Retry_After_as_a_date_on_a_POST_download_is_retried()
    {
        _sandbox.State.InjectFault("/api/file/download", new FaultPlan(SandboxFault.Status) { Status = 429, RetryAfter = DateTimeOffset.UtcNow.AddSeconds(1).ToString("R") });
        using var client = HrMax();
        var attached = await client.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(100)), "a.pdf");

        var error = await RunAsync("429, Retry-After: HTTP date", "HR Max POST download", "/api/file/download", async () => (await client.DownloadFileAsync(attached.FileUUID)).Dispose());

        Assert.That(error, Is.Null);
        Assert.That(Sent("/api/file/download"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_429_burst_longer_than_the_retries_ends_typed_with_the_attempt_count()
    {
        _sandbox.State.InjectFault("/v1/profile/indexing/attachments", new FaultPlan(SandboxFault.Status) { Status = 429, RetryAfter = "0" }, times: 10);
        using var client = HrFlow();

        var error = await RunAsync("429 burst beyond retries", "HrFlow GET attachments", "/v1/profile/indexing/attachments", () => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowProfileId));

        Assert.That(error, Is.InstanceOf<HrFlowApiException>());
        Assert.That(((ProviderApiException)error!).Attempts, Is.EqualTo(4));
        Assert.That(error, Is.Not.InstanceOf<AggregateException>());
    }

    // ---------------------------------------------------------------- bad bodies

    [Test]
    public async Task Malformed_JSON_in_a_200_is_a_typed_exception_with_the_excerpt()
    {
        _sandbox.State.InjectFault("/v1/profile/indexing/attachments", new FaultPlan(SandboxFault.MalformedJson));
        using var client = HrFlow();

        var error = await RunAsync("malformed JSON (200)", "HrFlow GET attachments", "/v1/profile/indexing/attachments", () => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowProfileId));

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(((ProviderApiException)error!).ResponseBody, Does.StartWith("{\"items\""));
    }

    [Test]
    public async Task An_HTML_error_page_is_the_typed_exception_after_the_retries()
    {
        _sandbox.State.InjectFault("/external/files/headshot", new FaultPlan(SandboxFault.HtmlError) { Status = 502 }, times: 10);
        using var client = Ehrweb();

        var error = await RunAsync("HTML error page (502)", "104 GET headshot", "/external/files/headshot", () => client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

        Assert.That(error, Is.InstanceOf<EhrwebApiException>());
        Assert.That(((ProviderApiException)error!).ResponseBody, Does.Contain("Bad Gateway"));
        Assert.That(((ProviderApiException)error).Attempts, Is.EqualTo(4));
    }

    [Test]
    public async Task An_empty_500_is_the_typed_exception_at_once()
    {
        _sandbox.State.InjectFault("/api/file/detach", new FaultPlan(SandboxFault.EmptyError));
        using var client = HrMax();

        var error = await RunAsync("empty 500", "HR Max POST detach", "/api/file/detach", () => client.DetachFileAsync("u"));

        Assert.That(error, Is.InstanceOf<HrMaxApiException>());
        Assert.That(((HrMaxApiException)error!).Kind, Is.EqualTo(HrMaxErrorKind.ServerError));
        Assert.That(((ProviderApiException)error).ResponseBody, Is.Null);
    }

    [Test]
    public async Task A_huge_error_body_is_read_only_to_the_cap()
    {
        _sandbox.State.InjectFault("/artifacts/photo", new FaultPlan(SandboxFault.HugeErrorBody) { Status = 500, Size = 256L * 1024 * 1024 });
        using var client = HeadHunter();
        var before = GC.GetTotalAllocatedBytes();

        var error = await RunAsync("huge error body (256 MiB, 500)", "hh.ru GET photos", "/artifacts/photo", () => client.ListPhotosAsync());

        Assert.That(error, Is.InstanceOf<HeadHunterApiException>());
        Assert.That(((ProviderApiException)error!).Response.BodyTruncated, Is.True);
        Assert.That(GC.GetTotalAllocatedBytes() - before, Is.LessThan(32L * 1024 * 1024), "far less than the 256 MiB sent");
    }

    // ---------------------------------------------------------------- token endpoint

    [Test]
    public async Task Token_endpoint_down_is_a_typed_token_failure()
    {
        _sandbox.State.InjectFault("/oauth2/token", new FaultPlan(SandboxFault.Status) { Status = 503 }, times: 10);
        using var client = Ehrweb();

        var error = await RunAsync("token endpoint down (503)", "104 GET headshot", "/oauth2/token", () => client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(error!.Message, Does.Contain("token request"));
        Assert.That(((ProviderApiException)error).StatusCode, Is.EqualTo(503));
    }

    [Test]
    public async Task Token_endpoint_slow_times_the_attempt_out_and_the_retry_gets_a_token()
    {
        _sandbox.State.InjectFault("/oauth2/token", new FaultPlan(SandboxFault.Stall) { Delay = TimeSpan.FromSeconds(10) });
        using var client = Ehrweb();

        var error = await RunAsync("token endpoint slow", "104 GET headshot", "/oauth2/token", async () => (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose());

        Assert.That(error, Is.Null);
        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(1), "the stalled request never reached the endpoint's handler");
    }

    [Test]
    public async Task Token_endpoint_garbage_is_a_typed_token_failure()
    {
        _sandbox.State.InjectFault("/oauth2/token", new FaultPlan(SandboxFault.Garbage));
        using var client = Ehrweb();

        var error = await RunAsync("token endpoint returns garbage", "104 GET headshot", "/oauth2/token", () => client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(error!.Message, Does.Contain("no access_token"));
    }

    [Test]
    public async Task A_token_expired_between_calls_is_refreshed_once()
    {
        using var client = Ehrweb();
        (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose();
        _sandbox.State.ExpireAllTokens();

        var error = await RunAsync("token expired between calls", "104 GET headshot", "/oauth2/token", async () => (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose());

        Assert.That(error, Is.Null);
        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(2));
    }

    // ---------------------------------------------------------------- redirect to a foreign host

    [Test]
    public async Task A_redirect_to_a_foreign_host_is_refused_with_the_providers_exception()
    {
        var foreign = new Uri($"http://localhost:{_sandbox.Root.Port}/external/files/headshot?fileId={SandboxCredentials.EhrwebHeadshotFileId}");
        _sandbox.State.InjectFault("/external/files/headshot", new FaultPlan(SandboxFault.Redirect) { Location = foreign });
        using var client = Ehrweb();

        var error = await RunAsync("redirect to a foreign host", "104 GET headshot", "/external/files/headshot", () => client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

        var atForeignHost = _sandbox.State.Requests.Where(r => SecretLeakMonitor.HostName(r.Host) == "localhost").ToArray();
        Assert.That(atForeignHost, Is.Empty, "another origin, not in Redirects.AllowedHosts");
        Assert.That(error, Is.InstanceOf<EhrwebApiException>());
        Assert.That(((ProviderApiException)error!).StatusCode, Is.InRange(300, 399));
        Assert.That(error.Message, Does.Contain("redirect was not followed").And.Contain("localhost"));
    }

    // ---------------------------------------------------------------- load

    [Test]
    public async Task Two_hundred_concurrent_calls_from_many_threads_all_succeed_with_one_token()
    {
        using var ehrweb = Ehrweb();
        using var headHunter = HeadHunter();

        var error = await RunAsync("200 concurrent calls", "104 GET headshot x100 + hh.ru GET photos x100", "/oauth2/token", async () =>
        {
            var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            {
                if (i % 2 == 0)
                {
                    using var file = await ehrweb.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId);
                    Assert.That((await Bytes.ReadAllAsync(file.Stream)).Length, Is.EqualTo(SampleFiles.Png.Length));
                }
                else
                {
                    await headHunter.ListPhotosAsync();
                }
            }));
            await Task.WhenAll(calls);
        });

        Assert.That(error, Is.Null);
        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(1));
        Assert.That(Sent("/external/files/headshot") + Sent("/artifacts/photo"), Is.EqualTo(200));
    }
}
