using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace CandidateFiles.Tests.Sandbox;

/// <summary>104 HR Max behaviour against the sandbox: every documented status of every operation, and the token flow.</summary>
[TestFixture]
public sealed class HrMaxSandboxTests
{
    private SandboxHost _sandbox = null!;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions { HrMaxMaxUploadBytes = 64 * 1024 });

    [OneTimeTearDown]
    public async Task StopSandbox() => await _sandbox.DisposeAsync();

    [SetUp]
    public void ResetSandbox() => _sandbox.State.Reset();

    /// <summary>Signs in to the sandbox the way an application would (POST /api/auth/signIn).</summary>
    private async ValueTask<string> SignInAsync(string account, string password, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(_sandbox.At("api/auth/signIn"), new { account, password }, cancellationToken);
        var json = JObject.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json["data"]!["ACCESS_TOKEN"]!.Value<string>()!;
    }

    /// <summary>A client whose token source behaves like an application's: sign in once, reuse the token, sign in again when told it was rejected.</summary>
    private HrMaxClient Client(string account = SandboxCredentials.HrMaxAccount, string password = SandboxCredentials.HrMaxPassword, AccessTokenCallbackCounter? counter = null)
    {
        string? cached = null;
        return new(new HrMaxClientOptions
        {
            Endpoint = _sandbox.Root,
            AccessTokenCallback = async (context, ct) =>
            {
                counter?.Record(context.PreviousTokenRejected);
                if (cached is null || context.PreviousTokenRejected)
                {
                    cached = await SignInAsync(account, password, ct);
                }

                return cached;
            },
        });
    }

    private static MemoryStream Pdf(int size = 3000) => new(Bytes.Pattern(size));

    [Test]
    public async Task AttachFile_200_then_DownloadFile_200_returns_the_same_bytes_and_DetachFile_200_removes_it()
    {
        using var client = Client();
        var content = Bytes.Pattern(5000);

        var attached = await client.AttachFileAsync("wf010", new MemoryStream(content), "請假證明.pdf");
        using (var download = await client.DownloadFileAsync(attached.FileUUID))
        {
            Assert.That(await Bytes.ReadAllAsync(download.Stream), Is.EqualTo(content));
            Assert.That(download.FileName, Is.EqualTo("請假證明.pdf"));
        }

        await client.DetachFileAsync(attached.FileUUID);

        Assert.That(attached.FileSize, Is.EqualTo(5000));
        Assert.That(attached.FileMime, Is.EqualTo("application/pdf"));
        Assert.That(attached.IsTmp, Is.EqualTo(1));
        Assert.That(_sandbox.State.HrMaxFileCount, Is.Zero);
    }

    [Test]
    public async Task AttachFile_401_when_the_token_source_keeps_giving_a_bad_token()
    {
        using var client = new HrMaxClient(new HrMaxClientOptions { Endpoint = _sandbox.Root, AccessTokenCallback = (_, _) => new ValueTask<string>("not-a-jwt") });

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => client.AttachFileAsync("wf010", Pdf(), "a.pdf"));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.Unauthorized));
        Assert.That(error.ToString(), Does.Not.Contain("not-a-jwt"));
    }

    [TestCase("detach")]
    [TestCase("download")]
    public async Task Detach_and_download_401_without_a_valid_token(string operation)
    {
        using var client = new HrMaxClient(new HrMaxClientOptions { Endpoint = _sandbox.Root, AccessTokenCallback = (_, _) => new ValueTask<string>("bad") });

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => operation == "detach" ? client.DetachFileAsync("u") : client.DownloadFileAsync("u"));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.Unauthorized));
    }

    [Test]
    public async Task Auth_an_expired_token_is_asked_for_again_once_and_the_call_succeeds()
    {
        var counter = new AccessTokenCallbackCounter();
        using var client = Client(counter: counter);
        var attached = await client.AttachFileAsync("wf010", Pdf(), "a.pdf");

        _sandbox.State.ExpireAllTokens();
        await client.DetachFileAsync(attached.FileUUID);

        Assert.That(counter.Calls, Is.EqualTo(2), "asked at first use (the token is then reused) and once more after the 401");
        Assert.That(counter.Rejections, Is.EqualTo(1));
        Assert.That(_sandbox.State.HrMaxSignInCount, Is.EqualTo(2), "signed in at first use and after the rejection");
    }

    [Test]
    public async Task Auth_fifty_concurrent_first_calls_ask_the_token_source_once()
    {
        var counter = new AccessTokenCallbackCounter();
        using var client = Client(counter: counter);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Assert.ThrowsAsync<HrMaxApiException>(() => client.DetachFileAsync("no-such-file")))));

        Assert.That(counter.Calls, Is.EqualTo(1));
        Assert.That(_sandbox.State.HrMaxSignInCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Auth_a_JWT_is_replaced_shortly_before_its_exp_without_a_rejection()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var counter = new AccessTokenCallbackCounter();
        using var client = new HrMaxClient(new HrMaxClientOptions
        {
            Endpoint = _sandbox.Root,
            TimeProvider = clock,
            AccessTokenCallback = (context, ct) =>
            {
                counter.Record(context.PreviousTokenRejected);
                return SignInAsync(SandboxCredentials.HrMaxAccount, SandboxCredentials.HrMaxPassword, ct);
            },
        });
        var attached = await client.AttachFileAsync("wf010", Pdf(), "a.pdf");

        clock.Advance(TimeSpan.FromMinutes(59.5)); // the sandbox's JWTs live one hour
        await client.DetachFileAsync(attached.FileUUID);

        Assert.That(counter.Calls, Is.EqualTo(2));
        Assert.That(counter.Rejections, Is.Zero, "replaced before use, not after a 401");
    }

    [Test]
    public async Task Auth_a_rejected_upload_from_a_file_is_replayed_from_its_start_with_the_fresh_token()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pdf");
        await File.WriteAllBytesAsync(path, Bytes.Pattern(20_000));
        var stale = _sandbox.State.IssueHrMaxToken(SandboxCredentials.HrMaxAccount);
        _sandbox.State.ExpireAllTokens();
        using var staleFirst = new HrMaxClient(new HrMaxClientOptions
        {
            Endpoint = _sandbox.Root,
            AccessTokenCallback = (context, ct) => context.PreviousTokenRejected ? SignInAsync(SandboxCredentials.HrMaxAccount, SandboxCredentials.HrMaxPassword, ct) : new ValueTask<string>(stale),
        });

        var attached = await staleFirst.AttachFileAsync("wf010", path);

        Assert.That(attached.FileSize, Is.EqualTo(20_000));
        File.Delete(path);
    }

    [TestCase("attach")]
    [TestCase("detach")]
    [TestCase("download")]
    public async Task Every_operation_403_for_a_user_without_file_rights(string operation)
    {
        using var client = Client(SandboxCredentials.HrMaxViewerAccount, SandboxCredentials.HrMaxViewerPassword);

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => operation switch
        {
            "attach" => client.AttachFileAsync("wf010", Pdf(), "a.pdf"),
            "detach" => client.DetachFileAsync("u"),
            _ => client.DownloadFileAsync("u"),
        });

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.Forbidden));
        Assert.That(error.ProviderMessage, Is.EqualTo("權限不足"));
    }

    [Test]
    public async Task AttachFile_with_an_empty_funCode_is_refused_before_sending_what_HR_Max_answers_440()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.AttachFileAsync(" ", new FileParameter(Pdf(), "a.pdf")));

        Assert.That(error!.ParamName, Is.EqualTo("funCode"));
        Assert.That(_sandbox.State.HrMaxFileCount, Is.Zero);
    }

    [TestCase("detach")]
    [TestCase("download")]
    public async Task Detach_and_download_440_for_an_unknown_uuid(string operation)
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => operation == "detach" ? client.DetachFileAsync("no-such-file") : client.DownloadFileAsync("no-such-file"));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.InvalidParameters));
        Assert.That(error.StatusCode, Is.EqualTo(440));
        Assert.That(error.ProviderMessage, Is.EqualTo("file not found"));
    }

    [Test]
    public async Task Detach_with_an_empty_uuid_is_refused_before_sending()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.DetachFileAsync(new FileReference { Uuid = "" }));

        Assert.That(error!.ParamName, Is.EqualTo("uuid"));
    }

    [Test]
    public async Task AttachFile_450_when_the_file_is_too_large()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => client.AttachFileAsync("wf010", Pdf(100 * 1024), "big.pdf"));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.UploadRejected));
        Assert.That(error.ProviderMessage, Is.EqualTo("File too large"));
    }

    [Test]
    public async Task The_sandbox_answers_450_when_the_part_is_not_named_attachment()
    {
        // The client always names the part "attachment" (the spec's name); this shows why it must.
        using var http = new HttpClient();
        using var form = new MultipartFormDataContent { { new StringContent("wf010"), "funCode" }, { new ByteArrayContent(new byte[] { 1 }), "file", "a.pdf" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, _sandbox.At("api/file/attach")) { Content = form };
        request.Headers.Authorization = new("Bearer", _sandbox.State.IssueHrMaxToken(SandboxCredentials.HrMaxAccount));

        using var response = await http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(450));
    }

    [Test]
    public async Task AttachFile_500_is_a_server_error()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => client.AttachFileAsync(SandboxCredentials.HrMaxFailingFunCode, Pdf(), "a.pdf"));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.ServerError));
        Assert.That(error.ProviderErrorCode, Is.EqualTo("500"));
    }

    [TestCase("detach")]
    [TestCase("download")]
    public async Task Detach_and_download_500_is_a_server_error(string operation)
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrMaxApiException>(() => operation == "detach" ? client.DetachFileAsync(SandboxCredentials.HrMaxFailingUuid) : client.DownloadFileAsync(SandboxCredentials.HrMaxFailingUuid));

        Assert.That(error!.Kind, Is.EqualTo(HrMaxErrorKind.ServerError));
    }
}

public sealed class AccessTokenCallbackCounter
{
    private int _calls;
    private int _rejections;

    public int Calls => _calls;

    public int Rejections => _rejections;

    public void Record(bool previousRejected)
    {
        Interlocked.Increment(ref _calls);
        if (previousRejected)
        {
            Interlocked.Increment(ref _rejections);
        }
    }
}
