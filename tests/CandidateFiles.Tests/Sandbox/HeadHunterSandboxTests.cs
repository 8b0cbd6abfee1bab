using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Sandbox;

/// <summary>hh.ru behaviour against the sandbox: every documented status of every operation, processing, paging, tokens.</summary>
[TestFixture]
public sealed class HeadHunterSandboxTests
{
    private const string Agent = "CandidateFilesTests/1.0 (tests@example.com)";
    private SandboxHost _sandbox = null!;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions
    {
        HhProcessingDelay = TimeSpan.FromMilliseconds(150),
        HhMaxImageBytes = 20_000,
        HhMaxRequestBytes = 40_000,
    });

    [OneTimeTearDown]
    public async Task StopSandbox() => await _sandbox.DisposeAsync();

    [SetUp]
    public void ResetSandbox() => _sandbox.State.Reset();

    private HeadHunterClient Client(string token = SandboxCredentials.HhApplicantToken, string agent = Agent, Action<HeadHunterClientOptions>? configure = null)
    {
        var options = new HeadHunterClientOptions { Endpoint = _sandbox.Root, UserAgent = agent, AccessTokenCallback = (_, _) => new ValueTask<string>(token) };
        configure?.Invoke(options);
        return new HeadHunterClient(options);
    }

    private static MemoryStream Png(int extra = 0) => new(SampleFiles.Png.ToArray().Concat(new byte[extra]).ToArray());

    [Test]
    public async Task UploadArtifact_201_starts_processing_and_becomes_ok_with_image_urls()
    {
        using var client = Client();

        var uploaded = await client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png");
        var ready = await client.WaitUntilProcessedAsync(ArtifactType.Photo, uploaded.Id, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        Assert.That(uploaded.State.Id, Is.EqualTo(ArtifactStateId.Processing));
        Assert.That(uploaded.Small, Is.Null);
        Assert.That(uploaded.Medium, Is.Null);
        Assert.That(ready.State.Id, Is.EqualTo(ArtifactStateId.Ok));
        Assert.That(ready.Small, Is.Not.Null);
        Assert.That(ready.Medium, Is.Not.Null);
    }

    [Test]
    public async Task UploadArtifact_of_bytes_that_are_no_image_ends_failed_and_the_wait_says_so()
    {
        using var client = Client();

        var uploaded = await client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(Bytes.Pattern(500)), "fake.png", "not really a png");
        var error = await Assert.ThrowsAsync<ArtifactProcessingFailedException>(() => client.WaitUntilProcessedAsync(ArtifactType.Portfolio, uploaded.Id, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)));

        Assert.That(error!.Artifact.Id, Is.EqualTo(uploaded.Id));
        Assert.That(error.Artifact.Small, Is.Null);
    }

    [Test]
    public async Task WaitUntilProcessed_times_out_clearly_while_still_processing()
    {
        using var client = Client();
        var uploaded = await client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitUntilProcessedAsync(ArtifactType.Photo, uploaded.Id, TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(20)));

        Assert.That(error!.Message, Does.Contain(uploaded.Id).And.Contain("still processing"));
    }

    [Test]
    public async Task ListPhotos_and_ListPortfolio_200_honour_page_and_per_page()
    {
        using var client = Client();
        for (var i = 0; i < 5; i++)
        {
            await client.UploadArtifactAsync(ArtifactType.Photo, Png(), $"p{i}.png");
        }

        await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "work.png", "work");

        var second = await client.ListPhotosAsync(page: 1, perPage: 2);
        var all = new List<Artifact>();
        await foreach (var artifact in client.ListAllArtifactsAsync(ArtifactType.Photo, perPage: 2))
        {
            all.Add(artifact);
        }

        var portfolio = await client.ListPortfolioAsync();

        Assert.That(second.Found, Is.EqualTo(5));
        Assert.That(second.Pages, Is.EqualTo(3));
        Assert.That(second.Page, Is.EqualTo(1));
        Assert.That(second.PerPage, Is.EqualTo(2));
        Assert.That(second.Items, Has.Count.EqualTo(2));
        Assert.That(all.Select(a => a.Id).Distinct().Count(), Is.EqualTo(5));
        Assert.That(portfolio.Items.Single().Description, Is.EqualTo("work"));
    }

    [Test]
    public async Task ListPhotos_400_bad_user_agent_for_a_blacklisted_application()
    {
        using var client = Client(agent: "Blacklisted/1.0 (spam@example.com)");

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.BadUserAgent));
        Assert.That(error.HasError("bad_user_agent", "blacklisted"), Is.True);
        Assert.That(error.RequestId, Is.Not.Null);
    }

    [Test]
    public async Task ListPortfolio_403_bad_authorization_for_an_unknown_token()
    {
        using var client = Client(token: "made-up-token");

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPortfolioAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.BadAuthorization));
        Assert.That(error.ToString(), Does.Not.Contain("made-up-token"));
    }

    [Test]
    public async Task ListPhotos_403_forbidden_for_a_user_who_is_not_an_applicant()
    {
        using var client = Client(token: SandboxCredentials.HhEmployerToken);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.Forbidden));
    }

    [Test]
    public async Task Auth_403_token_expired_asks_the_token_source_again_once_and_succeeds()
    {
        var asked = new List<bool>();
        using var client = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = _sandbox.Root,
            UserAgent = Agent,
            AccessTokenCallback = (context, _) =>
            {
                lock (asked)
                {
                    asked.Add(context.PreviousTokenRejected);
                }

                return new ValueTask<string>(context.PreviousTokenRejected ? SandboxCredentials.HhApplicantToken : SandboxCredentials.HhExpiredToken);
            },
        });

        var page = await client.ListPhotosAsync();

        Assert.That(page.Found, Is.Zero);
        Assert.That(asked, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task Auth_fifty_concurrent_first_calls_ask_the_token_source_once()
    {
        var asked = 0;
        using var client = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = _sandbox.Root,
            UserAgent = Agent,
            AccessTokenCallback = async (_, ct) =>
            {
                Interlocked.Increment(ref asked);
                await Task.Delay(50, ct); // a slow token source: every first call is waiting on it
                return SandboxCredentials.HhApplicantToken;
            },
        });

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => client.ListPhotosAsync())));

        Assert.That(asked, Is.EqualTo(1));
    }

    [Test]
    public async Task Auth_403_token_expired_surfaces_typed_when_the_fresh_token_is_expired_too()
    {
        using var client = Client(token: SandboxCredentials.HhExpiredToken);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.DeleteArtifactAsync("1"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.TokenExpired));
    }

    [Test]
    public async Task UploadArtifact_400_limit_exceeded_at_the_21st_artifact()
    {
        using var client = Client();
        for (var i = 0; i < 20; i++)
        {
            await client.UploadArtifactAsync(ArtifactType.Photo, Png(), $"p{i}.png");
        }

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, Png(), "one-too-many.png"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.LimitExceeded));
    }

    [Test]
    public async Task UploadArtifact_400_image_too_large_when_the_server_limit_is_below_the_client_one()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, Png(25_000), "big.png"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.ImageTooLarge));
        Assert.That(error.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task UploadArtifact_413_when_the_request_is_too_large()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, Png(60_000), "huge.png"));

        Assert.That(error!.StatusCode, Is.EqualTo(413));
        Assert.That(error.Kind, Is.EqualTo(HeadHunterErrorKind.ImageTooLarge));
    }

    [Test]
    public async Task UploadArtifact_over_the_client_limit_is_refused_before_sending()
    {
        using var client = Client(configure: o => o.MaxImageBytes = 1000);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, Png(2000), "big.png"));

        Assert.That(error!.ParamName, Is.EqualTo("file"));
        Assert.That(error.Message, Does.Contain("at most 1000 bytes"));
        Assert.That(_sandbox.State.Requests.Count(r => r.Path == "/artifacts"), Is.Zero);
    }

    [Test]
    public async Task UploadArtifact_400_unknown_format_when_the_client_is_told_to_send_a_gif()
    {
        using var client = Client(configure: o => o.AcceptedImageTypes.Add("image/gif"));

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(SampleFiles.Gif.ToArray()), "anim.gif"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.UnknownFormat));
    }

    [Test]
    public async Task UploadArtifact_of_a_pdf_is_refused_before_sending()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(SampleFiles.Pdf.ToArray()), "cv.pdf"));

        Assert.That(error!.Message, Does.Contain("application/pdf"));
    }

    [Test]
    public async Task UploadArtifact_with_a_too_long_description_is_refused_before_sending()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "w.png", new string('x', 256)));

        Assert.That(error!.ParamName, Is.EqualTo("description"));
        Assert.That(error.Message, Does.Contain("256 characters").And.Contain("255"));
    }

    [Test]
    public async Task UploadArtifact_403_for_a_user_who_is_not_an_applicant()
    {
        using var client = Client(token: SandboxCredentials.HhEmployerToken);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.Forbidden));
    }

    [Test]
    public async Task UpdateArtifact_204_changes_the_description()
    {
        using var client = Client();
        var uploaded = await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "w.png", "old");

        await client.UpdateArtifactDescriptionAsync(uploaded.Id, "new description");

        Assert.That((await client.ListPortfolioAsync()).Items.Single().Description, Is.EqualTo("new description"));
    }

    [Test]
    public async Task UpdateArtifact_and_DeleteArtifact_404_for_another_users_artifact()
    {
        using var owner = Client();
        using var other = Client(token: SandboxCredentials.HhApplicant2Token);
        var uploaded = await owner.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "w.png");

        var update = await Assert.ThrowsAsync<HeadHunterApiException>(() => other.UpdateArtifactDescriptionAsync(uploaded.Id, "mine now"));
        var delete = await Assert.ThrowsAsync<HeadHunterApiException>(() => other.DeleteArtifactAsync(uploaded.Id));

        Assert.That(update!.Kind, Is.EqualTo(HeadHunterErrorKind.NotFound));
        Assert.That(delete!.Kind, Is.EqualTo(HeadHunterErrorKind.NotFound));
    }

    [TestCase("update")]
    [TestCase("delete")]
    public async Task UpdateArtifact_and_DeleteArtifact_403_for_a_user_who_is_not_an_applicant(string operation)
    {
        using var client = Client(token: SandboxCredentials.HhEmployerToken);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => operation == "update" ? client.UpdateArtifactDescriptionAsync("1", "x") : client.DeleteArtifactAsync("1"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.Forbidden));
    }

    [Test]
    public async Task DeleteArtifact_204_then_404()
    {
        using var client = Client();
        var uploaded = await client.UploadArtifactAsync(ArtifactType.Photo, Png(), "me.png");

        await client.DeleteArtifactAsync(uploaded.Id);
        var again = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.DeleteArtifactAsync(uploaded.Id));

        Assert.That(again!.Kind, Is.EqualTo(HeadHunterErrorKind.NotFound));
        Assert.That(again.StatusCode, Is.EqualTo(404));
    }
}
