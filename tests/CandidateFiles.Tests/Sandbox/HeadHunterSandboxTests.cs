using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
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
    public async Task UploadArtifact_400_limit_exceeded_at_the_21st_artifact_when_the_counters_were_read_before()
    {
        // The second client read the conditions (0 of 20) before the first one filled the quota, so it
        // sends the 21st upload and hh.ru's own check answers.
        using var early = Client();
        await early.GetUploadConditionsAsync(ArtifactType.Photo);
        using var client = Client();
        for (var i = 0; i < 20; i++)
        {
            await client.UploadArtifactAsync(ArtifactType.Photo, Png(), $"p{i}.png");
        }

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => early.UploadArtifactAsync(ArtifactType.Photo, Png(), "one-too-many.png"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.LimitExceeded));
        Assert.That(error.HasError("artifacts", "limit_exceeded"), Is.True);
    }

    [Test]
    public async Task UploadArtifact_the_21st_artifact_is_refused_before_sending_by_the_counted_conditions()
    {
        using var client = Client();
        for (var i = 0; i < 20; i++)
        {
            await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), $"p{i}.png", "d");
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "one-too-many.png", "d"));

        Assert.That(error!.ParamName, Is.EqualTo("type"));
        Assert.That(error.Message, Does.Contain("20"));
        Assert.That(_sandbox.State.Requests.Count(r => r.Path == "/artifacts"), Is.EqualTo(20));
        Assert.That(_sandbox.State.Requests.Count(r => r.Path == "/artifacts/portfolio/conditions"), Is.EqualTo(1));

        // The limit is per type: photos can still be uploaded.
        await client.UploadArtifactAsync(ArtifactType.Photo, Png(), "photo.png");
    }

    [Test]
    public async Task UploadArtifact_400_image_too_large_when_the_client_cannot_know_the_size()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new ForwardOnlyStream(Png(25_000).ToArray()), "big.png"));

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.ImageTooLarge));
        Assert.That(error.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task UploadArtifact_413_when_the_request_is_too_large()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new ForwardOnlyStream(Png(60_000).ToArray()), "huge.png"));

        Assert.That(error!.StatusCode, Is.EqualTo(413));
        Assert.That(error.Kind, Is.EqualTo(HeadHunterErrorKind.ImageTooLarge));
    }

    [Test]
    public async Task UploadArtifact_over_the_conditions_max_size_is_refused_before_sending()
    {
        // The sandbox's conditions say 20000 bytes; the option (the documented 6 MiB) is only the fallback.
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, Png(25_000), "big.png"));

        Assert.That(error!.ParamName, Is.EqualTo("file"));
        Assert.That(error.Message, Does.Contain("at most 20000 bytes"));
        Assert.That(_sandbox.State.Requests.Count(r => r.Path == "/artifacts"), Is.Zero);
    }

    [Test]
    public async Task UploadArtifact_of_a_gif_is_refused_before_sending_since_the_conditions_do_not_list_it()
    {
        using var client = Client(configure: o => o.AcceptedImageTypes.Add("image/gif"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(SampleFiles.Gif.ToArray()), "anim.gif"));

        Assert.That(error!.ParamName, Is.EqualTo("file"));
        Assert.That(error.Message, Does.Contain("image/gif"));
        Assert.That(_sandbox.State.Requests.Count(r => r.Path == "/artifacts"), Is.Zero);
    }

    [Test]
    public async Task Sandbox_answers_a_gif_upload_with_400_artifacts_unknown_format()
    {
        using var http = new HttpClient();
        using var body = new MultipartFormDataContent { { new StringContent("photo"), "type" } };
        var file = new ByteArrayContent(SampleFiles.Gif.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/gif");
        body.Add(file, "file", "anim.gif");

        var (status, json) = await RawAsync(http, HttpMethod.Post, "artifacts", body);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(json["errors"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("artifacts"));
        Assert.That(json["errors"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("unknown_format"));
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

    // ------------------------------------------------------------------ the official OpenAPI's additions

    [Test]
    public async Task GetPhotoConditions_200_reports_the_sandbox_limits_and_the_users_photo_count()
    {
        using var client = Client();
        await client.UploadArtifactAsync(ArtifactType.Photo, Png(), "a.png");
        await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "b.png", "d");

        var photo = await client.GetPhotoConditionsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(photo.Counters.Max, Is.EqualTo(20));
            Assert.That(photo.Counters.Uploaded, Is.EqualTo(1));
            Assert.That(photo.Fields.File.MaxSize, Is.EqualTo(20_000));
            Assert.That(photo.Fields.File.MimeType, Is.EqualTo(new[] { "image/jpeg", "image/png", "image/psd" }));
            Assert.That(photo.Fields.Description.MaxLength, Is.EqualTo(255));
            Assert.That(photo.Fields.Type.Required, Is.True);
        });
    }

    [Test]
    public async Task GetPortfolioConditions_200_counts_portfolio_artifacts_only_and_refuses_a_non_applicant()
    {
        using var client = Client();
        await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "b.png", "d");
        await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "c.png", "e");

        var portfolio = await client.GetPortfolioConditionsAsync();
        using var employer = Client(token: SandboxCredentials.HhEmployerToken);
        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => employer.GetPortfolioConditionsAsync());

        Assert.That(portfolio.Counters.Uploaded, Is.EqualTo(2));
        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.Forbidden));
    }

    [TestCase("rabota.by", "EN", "ready")]
    [TestCase("headhunter.ge", "RU", "готово")]
    public async Task The_client_sends_host_and_locale_and_the_sandbox_answers_in_that_locale(string host, string locale, string okName)
    {
        using var client = Client(configure: o => (o.Host, o.Locale) = (host, locale));
        var uploaded = await client.UploadArtifactAsync(ArtifactType.Photo, Png(), "a.png");

        var processed = await client.WaitUntilProcessedAsync(ArtifactType.Photo, uploaded.Id, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        Assert.That(processed.State.Name, Is.EqualTo(okName));
        var apiCalls = _sandbox.State.Requests.Where(r => r.Path.StartsWith("/artifacts", StringComparison.Ordinal)).ToArray();
        Assert.That(apiCalls, Is.Not.Empty);
        Assert.That(apiCalls.Select(r => r.QueryString), Is.All.Contain($"locale={locale}").And.All.Contain($"host={host}"));
    }

    [TestCase("artifacts/photo?host=example.com", "host")]
    [TestCase("artifacts/portfolio/conditions?host=hh.ru&locale=e-n", "locale")]
    [TestCase("artifacts/photo/conditions?host=HH.RU", "host")]
    public async Task Sandbox_answers_a_wrong_host_or_locale_with_400_bad_argument(string pathAndQuery, string parameter)
    {
        using var http = new HttpClient();

        var (status, json) = await RawAsync(http, HttpMethod.Get, pathAndQuery, null);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(json["errors"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("bad_argument"));
        Assert.That(json["errors"]![0]!["value"]!.GetValue<string>(), Is.EqualTo(parameter));
    }

    [Test]
    public async Task Sandbox_reads_the_PUT_description_from_multipart_only_and_explains_a_form_encoded_one()
    {
        using var client = Client();
        var artifact = await client.UploadArtifactAsync(ArtifactType.Portfolio, Png(), "w.png", "old");
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["description"] = "form" });

        var (status, json) = await RawAsync(http, HttpMethod.Put, "artifacts/" + artifact.Id, form);
        await client.UpdateArtifactDescriptionAsync(artifact.Id, "multipart");
        var listed = await client.ListPortfolioAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(400));
            Assert.That(json["errors"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("description"));
            Assert.That(json["description"]!.GetValue<string>(), Does.Contain("multipart/form-data"));
            Assert.That(listed.Items.Single().Description, Is.EqualTo("multipart"));
        });
    }

    [Test]
    public async Task ListPhotos_403_user_auth_expected_for_an_application_token()
    {
        using var client = Client(token: SandboxCredentials.HhApplicationToken);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.UserAuthExpected));
        Assert.That(error.Message, Does.Contain("user's token"));
    }

    [Test]
    public async Task ListPortfolio_403_captcha_required_gives_the_captcha_url()
    {
        using var client = Client(token: SandboxCredentials.HhCaptchaToken);

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPortfolioAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.CaptchaRequired));
        Assert.That(error.CaptchaUrl!.AbsolutePath, Is.EqualTo("/sandbox/hh/captcha"));
        Assert.That(error.FallbackUrl, Is.Not.Null);
        Assert.That(error.Message, Does.Contain("backurl"));
    }

    private async Task<(int Status, JsonNode Json)> RawAsync(HttpClient http, HttpMethod method, string pathAndQuery, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, _sandbox.At(pathAndQuery)) { Content = content };
        request.Headers.TryAddWithoutValidation("HH-User-Agent", Agent);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.HhApplicantToken);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
