using System;
using System.Collections.Generic;
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
/// Every generic fault against every provider's client. The expected outcome follows from the call:
/// an idempotent call (GET) is retried, a POST is not (unless the server said it did not process it),
/// a JSON call fails typed on a bad body, a file call returns its bytes.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FaultMatrixTests
{
    private SandboxHost _sandbox = null!;
    private readonly List<IDisposable> _clients = new();

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
        FaultReport.Write(RepoRoot.Path);
    }

    [SetUp]
    public void Reset() => _sandbox.State.Reset();

    [TearDown]
    public void DisposeClients()
    {
        _clients.ForEach(c => c.Dispose());
        _clients.Clear();
    }

    /// <summary>One representative call per provider.</summary>
    public sealed record Probe(string Name, string Path, bool Idempotent, bool ReturnsFile)
    {
        public override string ToString() => Name;
    }

    public static readonly Probe[] Probes =
    {
        new("104 Ehrweb GET headshot", "/external/files/headshot", Idempotent: true, ReturnsFile: true),
        new("104 HR Max POST download", "/api/file/download", Idempotent: false, ReturnsFile: true),
        new("HrFlow GET attachments", "/v1/profile/indexing/attachments", Idempotent: true, ReturnsFile: false),
        new("hh.ru GET photos", "/artifacts/photo", Idempotent: true, ReturnsFile: false),
    };

    private T Tuned<T>(T options)
        where T : ProviderClientOptions
    {
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(3);
        options.Timeouts.PerAttempt = TimeSpan.FromMilliseconds(700);
        options.Timeouts.Overall = TimeSpan.FromSeconds(20);
        options.LoggerFactory = SecretLeakMonitor.Logs;
        return options;
    }

    private async Task<Func<Task>> CallAsync(Probe probe)
    {
        switch (probe.Path)
        {
            case "/external/files/headshot":
                var ehrweb = new EhrwebResumeClient(Tuned(new EhrwebResumeClientOptions
                {
                    Endpoint = _sandbox.At("external/"),
                    TokenEndpoint = _sandbox.At("oauth2/token"),
                    GuiNum = SandboxCredentials.EhrwebGuiNum,
                    ClientId = SandboxCredentials.EhrwebClientId,
                    ClientSecret = SandboxCredentials.EhrwebClientSecret,
                }));
                _clients.Add(ehrweb);
                return () => Drain(ehrweb.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

            case "/api/file/download":
                var hrMax = new HrMaxClient(Tuned(new HrMaxClientOptions
                {
                    Endpoint = _sandbox.Root,
                    AccessTokenCallback = (_, _) => new ValueTask<string>(_sandbox.State.IssueHrMaxToken(SandboxCredentials.HrMaxAccount)),
                }));
                _clients.Add(hrMax);
                var uuid = (await hrMax.AttachFileAsync("wf010", new MemoryStream(Bytes.Pattern(2000)), "a.pdf")).FileUUID;
                return () => Drain(hrMax.DownloadFileAsync(uuid));

            case "/v1/profile/indexing/attachments":
                var hrFlow = new HrFlowClient(Tuned(new HrFlowClientOptions { Endpoint = _sandbox.At("v1/"), ApiKey = SandboxCredentials.HrFlowApiKey }));
                _clients.Add(hrFlow);
                return () => hrFlow.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowProfileId);

            default:
                var hh = new HeadHunterClient(Tuned(new HeadHunterClientOptions
                {
                    Endpoint = _sandbox.Root,
                    UserAgent = "FaultMatrix/1.0 (faults@example.com)",
                    AccessTokenCallback = (_, _) => new ValueTask<string>(SandboxCredentials.HhApplicantToken),
                }));
                _clients.Add(hh);
                return () => hh.ListPhotosAsync();
        }
    }

    private static async Task Drain(Task<FileResponse> download)
    {
        using var file = await download;
        await file.Stream.CopyToAsync(Stream.Null);
    }

    private SandboxRequest[] _lastForeign = Array.Empty<SandboxRequest>();

    private int Sent(Probe probe) => _sandbox.State.Requests.Count(r => r.Path == probe.Path && SecretLeakMonitor.HostName(r.Host) == "127.0.0.1");

    private SandboxRequest[] ForeignRequests() => _sandbox.State.Requests.Where(r => SecretLeakMonitor.HostName(r.Host) == "localhost").ToArray();

    private async Task<(Exception? Error, int Attempts)> RunAsync(string fault, Probe probe, FaultPlan plan, int times)
    {
        var call = await CallAsync(probe);
        var before = Sent(probe);
        var foreignBefore = ForeignRequests().Length;
        _sandbox.State.InjectFault(probe.Path, plan, times);
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            await call().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Assert.That(error, Is.Not.InstanceOf<TimeoutException>().Or.InstanceOf<ProviderTimeoutException>(), "hung past the test's own limit");
        var attempts = Sent(probe) - before;
        _lastForeign = ForeignRequests().Skip(foreignBefore).ToArray();
        var outcome = error switch
        {
            null => "success",
            ProviderApiException api => $"{api.GetType().Name} {api.StatusCode}",
            ProviderTimeoutException timeout => $"ProviderTimeoutException ({timeout.Kind}, attempt {timeout.Attempt})",
            _ => error.GetType().Name,
        };
        FaultReport.Add(fault, probe.Name, outcome, attempts, clock.Elapsed);
        return (error, attempts);
    }

    [TestCaseSource(nameof(Probes))]
    public async Task Connection_reset_before_headers(Probe probe)
    {
        var (error, attempts) = await RunAsync("reset before headers", probe, new FaultPlan(SandboxFault.ResetBeforeHeaders), 1);

        if (probe.Idempotent)
        {
            Assert.That(error, Is.Null);
            Assert.That(attempts, Is.EqualTo(2));
        }
        else
        {
            Assert.That(error, Is.InstanceOf<HttpRequestException>(), "a POST the server may have seen is not repeated");
            Assert.That(attempts, Is.EqualTo(1));
        }
    }

    [TestCaseSource(nameof(Probes))]
    public async Task Server_stall_beyond_the_attempt_timeout(Probe probe)
    {
        var (error, attempts) = await RunAsync("server stall", probe, new FaultPlan(SandboxFault.Stall) { Delay = TimeSpan.FromSeconds(5) }, 1);

        if (probe.Idempotent)
        {
            Assert.That(error, Is.Null);
            Assert.That(attempts, Is.EqualTo(2));
        }
        else
        {
            Assert.That(error, Is.InstanceOf<ProviderTimeoutException>());
            Assert.That(((ProviderTimeoutException)error!).Kind, Is.EqualTo(ProviderTimeoutKind.Attempt));
        }
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_503_burst_without_Retry_After(Probe probe)
    {
        var (error, attempts) = await RunAsync("503 burst x2, no Retry-After", probe, new FaultPlan(SandboxFault.Status) { Status = 503 }, 2);

        if (probe.Idempotent)
        {
            Assert.That(error, Is.Null);
            Assert.That(attempts, Is.EqualTo(3));
        }
        else
        {
            Assert.That(error, Is.InstanceOf<ProviderApiException>());
            Assert.That(((ProviderApiException)error!).StatusCode, Is.EqualTo(503));
            Assert.That(attempts, Is.EqualTo(1));
        }
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_503_burst_with_Retry_After_in_seconds(Probe probe)
    {
        var (error, attempts) = await RunAsync("503 burst x2, Retry-After: 1", probe, new FaultPlan(SandboxFault.Status) { Status = 503, RetryAfter = "1" }, 2);

        Assert.That(error, Is.Null, "even a POST is repeated when the server says it did not process it");
        Assert.That(attempts, Is.EqualTo(3));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_429_with_Retry_After_as_an_http_date(Probe probe)
    {
        var (error, attempts) = await RunAsync("429, Retry-After: HTTP date", probe, new FaultPlan(SandboxFault.Status) { Status = 429, RetryAfter = DateTimeOffset.UtcNow.AddSeconds(1).ToString("R") }, 1);

        Assert.That(error, Is.Null);
        Assert.That(attempts, Is.EqualTo(2));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_429_burst_longer_than_the_retries(Probe probe)
    {
        var (error, attempts) = await RunAsync("429 burst x10, Retry-After: 0", probe, new FaultPlan(SandboxFault.Status) { Status = 429, RetryAfter = "0" }, 10);

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(((ProviderApiException)error!).StatusCode, Is.EqualTo(429));
        Assert.That(((ProviderApiException)error).Attempts, Is.EqualTo(4));
        Assert.That(attempts, Is.EqualTo(4));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_body_cut_short_of_its_Content_Length(Probe probe)
    {
        var (error, attempts) = await RunAsync("truncated body (Content-Length mismatch)", probe, new FaultPlan(SandboxFault.TruncatedBody) { Size = 5000 }, 1);

        if (probe.Idempotent)
        {
            Assert.That(error, Is.Null, "a small JSON body is read inside the attempt, so the cut is retried");
            Assert.That(attempts, Is.EqualTo(2));
        }
        else
        {
            Assert.That(error, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>(), "the cut surfaces while the caller reads");
            Assert.That(attempts, Is.EqualTo(1));
        }
    }

    [TestCaseSource(nameof(Probes))]
    public async Task Malformed_JSON_in_a_200(Probe probe)
    {
        var (error, attempts) = await RunAsync("malformed JSON (200)", probe, new FaultPlan(SandboxFault.MalformedJson), 1);

        if (probe.ReturnsFile)
        {
            Assert.That(error, Is.Null, "a file operation hands over the bytes as they are");
        }
        else
        {
            Assert.That(error, Is.InstanceOf<ProviderApiException>());
            Assert.That(error!.GetType(), Is.Not.EqualTo(typeof(ProviderApiException)), "the provider's own exception type (issue #12)");
            Assert.That(((ProviderApiException)error!).StatusCode, Is.EqualTo(200));
            Assert.That(((ProviderApiException)error).ResponseBody, Does.StartWith("{\"items\""));
        }

        Assert.That(attempts, Is.EqualTo(1));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_200_HTML_maintenance_page(Probe probe)
    {
        var (error, attempts) = await RunAsync("HTML maintenance page (200)", probe, new FaultPlan(SandboxFault.HtmlError) { Status = 200 }, 1);

        if (probe.ReturnsFile)
        {
            Assert.That(error, Is.Null, "a file operation hands over the bytes as they are");
        }
        else
        {
            Assert.That(error, Is.InstanceOf<ProviderApiException>());
            Assert.That(error!.GetType(), Is.Not.EqualTo(typeof(ProviderApiException)), "the provider's own exception type, not the base (issue #12)");
            Assert.That(((ProviderApiException)error).StatusCode, Is.EqualTo(200));
            Assert.That(((ProviderApiException)error).ResponseBody, Does.Contain("Bad Gateway"));
        }

        Assert.That(attempts, Is.EqualTo(1));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_success_status_the_spec_does_not_list(Probe probe)
    {
        using var capture = ProviderResponseCapture.Start();
        var (error, attempts) = await RunAsync("undeclared success status (202) with the normal body", probe, new FaultPlan(SandboxFault.UndeclaredSuccess) { Status = 202 }, 1);

        Assert.That(error, Is.Null, "any 2xx whose body reads as the documented result is a success (issue #12)");
        Assert.That(capture.StatusCode, Is.EqualTo(202), "and its status stays visible");
        Assert.That(attempts, Is.EqualTo(1), "not retried: the server acted on it");
    }

    [TestCaseSource(nameof(Probes))]
    public async Task An_HTML_error_page(Probe probe)
    {
        var (error, attempts) = await RunAsync("HTML error page (502) x10", probe, new FaultPlan(SandboxFault.HtmlError) { Status = 502 }, 10);

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(((ProviderApiException)error!).StatusCode, Is.EqualTo(502));
        Assert.That(((ProviderApiException)error).ResponseBody, Does.Contain("Bad Gateway"));
        Assert.That(attempts, Is.EqualTo(probe.Idempotent ? 4 : 1));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task An_empty_500(Probe probe)
    {
        var (error, attempts) = await RunAsync("empty 500", probe, new FaultPlan(SandboxFault.EmptyError), 1);

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(((ProviderApiException)error!).StatusCode, Is.EqualTo(500));
        Assert.That(((ProviderApiException)error).ResponseBody, Is.Null);
        Assert.That(attempts, Is.EqualTo(1));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_huge_error_body(Probe probe)
    {
        var before = GC.GetTotalAllocatedBytes();
        var (error, _) = await RunAsync("huge error body (128 MiB, 500)", probe, new FaultPlan(SandboxFault.HugeErrorBody) { Status = 500, Size = 128L * 1024 * 1024 }, 1);

        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(((ProviderApiException)error!).Response.BodyTruncated, Is.True);
        Assert.That(GC.GetTotalAllocatedBytes() - before, Is.LessThan(32L * 1024 * 1024), "far less than the 128 MiB sent");
    }

    [TestCaseSource(nameof(Probes))]
    public async Task A_redirect_to_a_foreign_host(Probe probe)
    {
        var foreign = new Uri($"http://localhost:{_sandbox.Root.Port}{probe.Path}");
        var (error, _) = await RunAsync("redirect to a foreign host", probe, new FaultPlan(SandboxFault.Redirect) { Location = foreign }, 1);

        // Another origin not in Redirects.AllowedHosts: not followed; the 3xx is the provider's exception, naming why.
        Assert.That(_lastForeign, Is.Empty, "the redirect was not followed");
        Assert.That(error, Is.InstanceOf<ProviderApiException>());
        Assert.That(((ProviderApiException)error!).StatusCode, Is.InRange(300, 399));
        Assert.That(error.Message, Does.Contain("redirect was not followed"));
    }

    [TestCaseSource(nameof(Probes))]
    public async Task Two_hundred_concurrent_calls_from_many_threads(Probe probe)
    {
        var call = await CallAsync(probe);
        var before = Sent(probe);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(call))).WaitAsync(TimeSpan.FromSeconds(60));

        FaultReport.Add("200 concurrent calls", probe.Name, "success x200", Sent(probe) - before, clock.Elapsed);
        Assert.That(Sent(probe) - before, Is.EqualTo(200));
        Assert.That(_sandbox.State.TokenRequestCount, Is.LessThanOrEqualTo(1), "at most one OAuth token request (104)");
    }
}
