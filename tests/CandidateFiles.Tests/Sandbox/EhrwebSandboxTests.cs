using System;
using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace CandidateFiles.Tests.Sandbox;

/// <summary>104 Ehrweb behaviour against the sandbox: files, documented errors and the OAuth flow.</summary>
[TestFixture]
public sealed class EhrwebSandboxTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private SandboxHost _sandbox = null!;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions { TimeProvider = _clock, TokenLifetime = TimeSpan.FromHours(1) });

    [OneTimeTearDown]
    public async Task StopSandbox() => await _sandbox.DisposeAsync();

    [SetUp]
    public void ResetSandbox() => _sandbox.State.Reset();

    private EhrwebResumeClient Client(string clientId = SandboxCredentials.EhrwebClientId, string secret = SandboxCredentials.EhrwebClientSecret, ClientCredentialStyle style = ClientCredentialStyle.FormBody) => new(new EhrwebResumeClientOptions
    {
        Endpoint = _sandbox.At("external/"),
        TokenEndpoint = _sandbox.At("oauth2/token"),
        GuiNum = SandboxCredentials.EhrwebGuiNum,
        ClientId = clientId,
        ClientSecret = secret,
        CredentialStyle = style,
        TimeProvider = _clock,
    });

    [Test]
    public async Task GetHeadshot_200_streams_the_png()
    {
        using var client = Client();

        using var file = await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId);

        Assert.That(file.ContentType, Is.EqualTo("image/png"));
        Assert.That(await Bytes.ReadAllAsync(file.Stream), Is.EqualTo(SampleFiles.Png.ToArray()));
    }

    [TestCase(SandboxCredentials.EhrwebPngAttachmentFileId, "image/png")]
    [TestCase(SandboxCredentials.EhrwebGifAttachmentFileId, "image/gif")]
    [TestCase(SandboxCredentials.EhrwebJpgAttachmentFileId, "image/jpg")]
    [TestCase(SandboxCredentials.EhrwebDocAttachmentFileId, "application/octet-stream")]
    public async Task GetAttachment_200_in_every_documented_media_type(string fileId, string mediaType)
    {
        using var client = Client();

        using var file = await client.GetAttachmentAsync(AttachmentType.Attachment, fileId);

        Assert.That(file.ContentType, Is.EqualTo(mediaType));
        Assert.That(file.ContentLength, Is.GreaterThan(0));
        Assert.That((await Bytes.ReadAllAsync(file.Stream)).Length, Is.EqualTo(file.ContentLength));
    }

    [Test]
    public async Task GetAttachment_exposes_the_server_file_name_and_saves_inside_the_folder()
    {
        using var client = Client();
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cf-" + Guid.NewGuid().ToString("N"));

        using var file = await client.GetAttachmentAsync(AttachmentType.Attachment, SandboxCredentials.EhrwebDocAttachmentFileId);
        var path = await file.SaveToDirectoryAsync(folder, "fallback.bin");

        Assert.That(file.FileName, Is.EqualTo("resume.pdf"));
        Assert.That(path, Is.EqualTo(System.IO.Path.Combine(folder, "resume.pdf")));
        System.IO.Directory.Delete(folder, true);
    }

    [Test]
    public async Task GetHeadshot_500_code_900_when_the_token_company_is_not_guiNum_even_though_labelled_image_png()
    {
        using var client = Client(SandboxCredentials.EhrwebOtherClientId, SandboxCredentials.EhrwebOtherClientSecret);

        var error = await Assert.ThrowsAsync<EhrwebApiException>(() => client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

        Assert.That(error!.StatusCode, Is.EqualTo(500));
        Assert.That(error.Response.ContentType, Is.EqualTo("image/png"));
        Assert.That(error.Kind, Is.EqualTo(EhrwebErrorKind.CompanyMismatch));
        Assert.That(error.Message, Does.Contain("GuiNum"));
    }

    [Test]
    public async Task GetAttachment_500_code_900_for_the_other_company()
    {
        using var client = Client(SandboxCredentials.EhrwebOtherClientId, SandboxCredentials.EhrwebOtherClientSecret);

        var error = await Assert.ThrowsAsync<EhrwebApiException>(() => client.GetAttachmentAsync(AttachmentType.CustomContent, SandboxCredentials.EhrwebPngAttachmentFileId));

        Assert.That(error!.Kind, Is.EqualTo(EhrwebErrorKind.CompanyMismatch));
    }

    [Test]
    public async Task GetHeadshot_500_code_895_for_an_expired_file()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<EhrwebApiException>(() => client.GetHeadshotAsync(SandboxCredentials.EhrwebExpiredFileId));

        Assert.That(error!.Kind, Is.EqualTo(EhrwebErrorKind.FileExpiredOrUnavailable));
        Assert.That(error.ProviderErrorCode, Is.EqualTo("895"));
    }

    [Test]
    public async Task GetAttachment_500_code_895_for_an_unknown_file()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<EhrwebApiException>(() => client.GetAttachmentAsync(AttachmentType.ProjectAchievement, "no-such-file"));

        Assert.That(error!.Kind, Is.EqualTo(EhrwebErrorKind.FileExpiredOrUnavailable));
    }

    [Test]
    public async Task Auth_first_use_fetches_one_token_and_reuses_it()
    {
        using var client = Client();

        (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose();
        (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose();

        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Auth_basic_credentials_style_is_accepted_by_the_token_endpoint()
    {
        using var client = Client(style: ClientCredentialStyle.BasicAuthorizationHeader);

        using var file = await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId);

        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Auth_a_token_past_expires_in_is_replaced_before_use()
    {
        using var client = Client();
        (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose();

        _clock.Advance(TimeSpan.FromMinutes(59)); // inside the refresh margin before the 1 h expiry
        (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose();

        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Auth_fifty_concurrent_first_calls_make_exactly_one_token_request()
    {
        using var client = Client();

        var calls = Enumerable.Range(0, 50).Select(async _ =>
        {
            using var file = await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId);
            return (await Bytes.ReadAllAsync(file.Stream)).Length;
        });
        var sizes = await Task.WhenAll(calls);

        Assert.That(sizes, Has.All.EqualTo(SampleFiles.Png.Length));
        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Auth_a_token_the_provider_rejects_with_401_is_refreshed_once_and_the_call_retried()
    {
        using var client = Client();
        (await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId)).Dispose();

        _sandbox.State.ExpireAllTokens();
        using var file = await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId);

        Assert.That(file.StatusCode, Is.EqualTo(200));
        Assert.That(_sandbox.State.TokenRequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Auth_wrong_client_secret_is_a_typed_token_failure_without_the_secret()
    {
        using var client = Client(secret: "wrong-secret-value");

        var error = await Assert.ThrowsAsync<ProviderApiException>(() => client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId));

        Assert.That(error!.StatusCode, Is.EqualTo(401));
        Assert.That(error.Message, Does.Contain("token request"));
        Assert.That(error.ToString(), Does.Not.Contain("wrong-secret-value"));
    }
}
