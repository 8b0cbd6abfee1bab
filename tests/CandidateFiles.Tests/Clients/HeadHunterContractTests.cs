using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>
/// <see cref="HeadHunterClient"/> against hh.ru's official OpenAPI and error reference, over real HTTP on
/// loopback: every documented error pair and 5xx, the failing inputs of issue 11, locale/host on every
/// operation, the multipart PUT, and the upload conditions (cache, refresh, fallback, checks).
/// </summary>
[TestFixture]
public sealed class HeadHunterContractTests
{
    private const string AppAgent = "CandidateFilesTests/1.0 (tests@example.com)";
    private const string ArtifactJson = """{"id":"123456","medium":null,"small":null,"state":{"id":"processing","name":"processing"}}""";
    private const string PhotoConditionsPath = "/artifacts/photo/conditions";
    private const string PortfolioConditionsPath = "/artifacts/portfolio/conditions";

    private LoopbackServer _server = null!;
    private CapturingLoggerFactory _logs = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _logs = new CapturingLoggerFactory();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private HeadHunterClient Client(Action<HeadHunterClientOptions>? configure = null)
    {
        var options = new HeadHunterClientOptions
        {
            Endpoint = _server.BaseAddress,
            UserAgent = AppAgent,
            AccessTokenCallback = (_, _) => new ValueTask<string>("hh-token"),
            LoggerFactory = _logs,
            TimeProvider = _clock,
        };
        options.Retry.MaxRetries = 0;
        configure?.Invoke(options);
        return new HeadHunterClient(options);
    }

    private static string Conditions(long maxSize = 6291456, string mimeTypes = "\"image/jpeg\",\"image/png\",\"image/psd\"", int maxLength = 255, int minLength = 0, bool descriptionRequired = false, int max = 20, int uploaded = 2)
        => "{\"counters\":{\"max\":" + max + ",\"uploaded\":" + uploaded + "},"
            + "\"fields\":{\"description\":{\"max_length\":" + maxLength + ",\"min_length\":" + minLength + ",\"required\":" + (descriptionRequired ? "true" : "false") + "},"
            + "\"file\":{\"max_size\":" + maxSize + ",\"mime_type\":[" + mimeTypes + "],\"required\":true},"
            + "\"type\":{\"required\":true}}}";

    private void OnConditions(string conditions)
    {
        _server.OnJson(PhotoConditionsPath, 200, conditions);
        _server.OnJson(PortfolioConditionsPath, 200, conditions);
    }

    private int CountRequests(string path) => _server.Requests.Count(r => r.Path == path);

    private static Task NoContent(Microsoft.AspNetCore.Http.HttpContext context) => LoopbackServer.WriteAsync(context, 204, null, Array.Empty<byte>());

    // ------------------------------------------------------------------ the failing inputs of the issue

    [Test]
    public async Task An_upload_refused_with_artifacts_description_is_a_bad_argument_that_says_the_description_is_wrong()
    {
        OnConditions(Conditions());
        _server.OnJson("/artifacts", 400, """{"errors":[{"type":"artifacts","value":"description"}],"request_id":"r-1"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(new byte[] { 1 }), "a.png", "text"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.BadArgument));
            Assert.That(error.Message, Does.Contain("rejected the description"));
            Assert.That(error.ProviderErrorCode, Is.EqualTo("artifacts:description"));
            Assert.That(error.RequestId, Is.EqualTo("r-1"));
        });
    }

    [Test]
    public async Task User_auth_expected_says_an_application_token_was_sent_where_a_user_token_is_needed()
    {
        _server.OnJson("/artifacts/photo", 403, """{"errors":[{"type":"oauth","value":"user_auth_expected"}],"request_id":"r-2"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.UserAuthExpected));
            Assert.That(error.Message, Does.Contain("application token was sent").And.Contain("user's token"));
            Assert.That(error.Message, Does.Not.Contain("not an applicant"));
        });
    }

    [Test]
    public async Task Captcha_required_gives_the_captcha_and_fallback_urls_as_properties_and_says_to_add_backurl()
    {
        _server.OnJson("/artifacts/photo", 403, """
            {"errors":[{"type":"captcha_required","value":"captcha_required","captcha_url":"https://hh.ru/account/captcha?state=abc","fallback_url":"https://hh.ru/account/connect/register?x=1"}],"request_id":"r-3"}
            """);
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.CaptchaRequired));
            Assert.That(error.CaptchaUrl, Is.EqualTo(new Uri("https://hh.ru/account/captcha?state=abc")));
            Assert.That(error.FallbackUrl, Is.EqualTo(new Uri("https://hh.ru/account/connect/register?x=1")));
            Assert.That(error.Errors[0].CaptchaUrl, Is.EqualTo(error.CaptchaUrl));
            Assert.That(error.Message, Does.Contain("backurl").And.Contain("CAPTCHA"));
            Assert.That(error.Message, Does.Not.Contain("not an applicant"));
        });
    }

    [Test]
    public async Task Captcha_required_with_only_a_fallback_url_has_no_captcha_url()
    {
        _server.OnJson("/artifacts/portfolio", 403, """{"errors":[{"type":"captcha_required","value":"captcha_required","fallback_url":"https://hh.ru/applicant/resumes"}]}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPortfolioAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.CaptchaRequired));
        Assert.That(error.CaptchaUrl, Is.Null);
        Assert.That(error.FallbackUrl, Is.EqualTo(new Uri("https://hh.ru/applicant/resumes")));
    }

    [TestCase("/artifacts", "POST")]
    [TestCase("/artifacts/photo", "GET")]
    [TestCase("/artifacts/55", "DELETE")]
    public async Task A_top_level_description_without_errors_reaches_the_message_and_ProviderMessage(string path, string method)
    {
        OnConditions(Conditions());
        _server.OnJson(path, 400, """{"description":"\"x\" param required"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => method switch
        {
            "POST" => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[] { 1 }), "a.png"),
            "GET" => client.ListPhotosAsync(),
            _ => client.DeleteArtifactAsync("55"),
        });

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("\"x\" param required"));
            Assert.That(error.ProviderMessage, Is.EqualTo("\"x\" param required"));
            Assert.That(error.Description, Is.EqualTo("\"x\" param required"));
            Assert.That(error.Errors, Is.Empty);
            Assert.That(error.Kind, Is.EqualTo(HeadHunterErrorKind.Other));
        });
    }

    [Test]
    public async Task A_top_level_description_beside_errors_comes_before_the_pairs_in_the_message()
    {
        _server.OnJson("/artifacts/photo", 403, """{"description":"Forbidden","errors":[{"type":"oauth","value":"token_revoked"}],"oauth_error":"token-revoked","request_id":"r"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPhotosAsync());

        Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.TokenRevoked));
        Assert.That(error.Message, Does.Contain(": Forbidden (oauth:token_revoked)."));
        Assert.That(error.ProviderMessage, Is.EqualTo("Forbidden"));
    }

    [Test]
    public async Task UpdateArtifact_puts_the_description_as_multipart_form_data_with_locale_and_host()
    {
        OnConditions(Conditions());
        _server.On("/artifacts/123456", (context, _) => NoContent(context));
        using var client = Client(o => (o.Host, o.Locale) = ("hh.kz", "EN"));

        await client.UpdateArtifactDescriptionAsync("123456", "New text, with & and ü");

        var request = _server.SingleRequest("/artifacts/123456");
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("PUT"));
            Assert.That(request.ContentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(request.FormFields["description"], Is.EqualTo("New text, with & and ü"));
            Assert.That(request.FormFields, Has.Count.EqualTo(1));
            Assert.That(request.FileParts, Is.Empty);
            Assert.That(request.Query["host"], Is.EqualTo("hh.kz"));
            Assert.That(request.Query["locale"], Is.EqualTo("EN"));
        });
    }

    // ------------------------------------------------------------------ every documented pair

    /// <summary>(operation, status, body, expected kind, a phrase of the advice).</summary>
    private static IEnumerable<TestCaseData> DocumentedErrors()
    {
        static TestCaseData Case(string operation, int status, string type, string? value, HeadHunterErrorKind kind, string advice, string extra = "")
        {
            var entry = value is null ? $$"""{"type":"{{type}}"{{extra}}}""" : $$"""{"type":"{{type}}","value":"{{value}}"{{extra}}}""";
            return new TestCaseData(operation, status, $$"""{"errors":[{{entry}}],"request_id":"req"}""", kind, advice)
                .SetArgDisplayNames(operation, status.ToString(System.Globalization.CultureInfo.InvariantCulture), type + ":" + (value ?? "-"));
        }

        // artifacts (upload)
        yield return Case("upload", 400, "artifacts", "file", HeadHunterErrorKind.BadArgument, "rejected the file");
        yield return Case("upload", 400, "artifacts", "type", HeadHunterErrorKind.BadArgument, "rejected the artifact type");
        yield return Case("upload", 400, "artifacts", "description", HeadHunterErrorKind.BadArgument, "rejected the description");
        yield return Case("upload", 400, "artifacts", "limit_exceeded", HeadHunterErrorKind.LimitExceeded, "delete some");
        yield return Case("upload", 400, "artifacts", "unknown_format", HeadHunterErrorKind.UnknownFormat, "convert the image");
        yield return Case("upload", 413, "artifacts", "image_too_large", HeadHunterErrorKind.ImageTooLarge, "make it smaller");
        yield return Case("upload", 400, "artifacts", "image_too_large", HeadHunterErrorKind.ImageTooLarge, "make it smaller");

        // bad_argument / bad_json_data
        yield return Case("listPhotos", 400, "bad_argument", "per_page", HeadHunterErrorKind.BadArgument, "\"per_page\" is wrong");
        yield return Case("update", 400, "bad_argument", "description", HeadHunterErrorKind.BadArgument, "rejected the description");
        yield return Case("listPortfolio", 400, "bad_argument", "employer_id", HeadHunterErrorKind.BadArgument, "\"employer_id\" is wrong");
        yield return Case("upload", 400, "bad_json_data", "description", HeadHunterErrorKind.BadJsonData, "\"description\" at /description is wrong (greater_than_max)", ""","reason":"greater_than_max","pointer":"/description","description":"Value is too long" """);

        // user agent
        yield return Case("listPhotos", 400, "bad_user_agent", "unset", HeadHunterErrorKind.BadUserAgent, "HeadHunterClientOptions.UserAgent");
        yield return Case("delete", 400, "bad_user_agent", "blacklisted", HeadHunterErrorKind.BadUserAgent, "HeadHunterClientOptions.UserAgent");

        // oauth
        yield return Case("listPhotos", 403, "oauth", "bad_authorization", HeadHunterErrorKind.BadAuthorization, "authorize the user again");
        yield return Case("photoConditions", 403, "oauth", null, HeadHunterErrorKind.BadAuthorization, "authorize the user again");
        yield return Case("listPortfolio", 403, "oauth", "token_expired", HeadHunterErrorKind.TokenExpired, "refresh it");
        yield return Case("delete", 403, "oauth", "token_revoked", HeadHunterErrorKind.TokenRevoked, "authorize the user again");
        yield return Case("update", 403, "oauth", "application_not_found", HeadHunterErrorKind.ApplicationNotFound, "register it again");
        yield return Case("portfolioConditions", 403, "oauth", "user_auth_expected", HeadHunterErrorKind.UserAuthExpected, "needs a user's token");
        yield return Case("upload", 403, "oauth", "application_auth_expected", HeadHunterErrorKind.ApplicationAuthExpected, "needs the application's token");
        yield return Case("listPhotos", 403, "forbidden", null, HeadHunterErrorKind.Forbidden, "not an applicant");

        // captcha
        yield return Case("upload", 403, "captcha_required", "captcha_required", HeadHunterErrorKind.CaptchaRequired, "backurl", ""","captcha_url":"https://hh.ru/account/captcha?state=s" """);

        // general and system errors
        yield return Case("delete", 404, "not_found", null, HeadHunterErrorKind.NotFound, "does not exist");
        yield return Case("update", 404, "not_found", null, HeadHunterErrorKind.NotFound, "does not exist");
        yield return Case("listPhotos", 503, "service_unavailable", null, HeadHunterErrorKind.ServiceUnavailable, "try again later");
        yield return Case("upload", 503, "service_unavailable", null, HeadHunterErrorKind.ServiceUnavailable, "try again later");

        // pairs nobody documents stay Other, the pair in the message
        yield return Case("listPhotos", 403, "oauth", "brand_new_value", HeadHunterErrorKind.Other, "oauth:brand_new_value");
        yield return Case("upload", 400, "artifacts", "something_else", HeadHunterErrorKind.Other, "artifacts:something_else");
        yield return Case("delete", 409, "conflicts", "locked", HeadHunterErrorKind.Other, "conflicts:locked");
        yield return Case("listPortfolio", 400, "bad_user_agent", "too_short", HeadHunterErrorKind.Other, "bad_user_agent:too_short");
    }

    [TestCaseSource(nameof(DocumentedErrors))]
    public async Task Each_documented_error_pair_is_a_typed_kind_with_advice(string operation, int status, string body, HeadHunterErrorKind kind, string advice)
    {
        OnConditions(Conditions());
        var path = operation switch
        {
            "upload" => "/artifacts",
            "listPhotos" => "/artifacts/photo",
            "listPortfolio" => "/artifacts/portfolio",
            "photoConditions" => PhotoConditionsPath,
            "portfolioConditions" => PortfolioConditionsPath,
            _ => "/artifacts/77",
        };
        _server.OnJson(path, status, body);
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => Call(client, operation));

        var first = error!.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(kind));
            Assert.That(error.StatusCode, Is.EqualTo(status));
            Assert.That(error.Message, Does.Contain(advice));
            Assert.That(error.Message, Does.Contain(first.Value is null ? $"({first.Type}" : $"({first.Type}:{first.Value}"));
            Assert.That(error.ProviderErrorCode, Is.EqualTo(first.Value is null ? first.Type : first.Type + ":" + first.Value));
            Assert.That(error.RequestId, Is.EqualTo("req"));
        });
    }

    [Test]
    public async Task Bad_json_data_gives_reason_pointer_and_the_entry_description()
    {
        OnConditions(Conditions());
        _server.OnJson("/artifacts", 400, """{"errors":[{"type":"bad_json_data","value":"description","reason":"greater_than_max","pointer":"/description","description":"Value is too long"}],"request_id":"q1"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(new byte[] { 1 }), "a.png", "d"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(HeadHunterErrorKind.BadJsonData));
            Assert.That(error.Reason, Is.EqualTo("greater_than_max"));
            Assert.That(error.Pointer, Is.EqualTo("/description"));
            Assert.That(error.Errors[0].Description, Is.EqualTo("Value is too long"));
            Assert.That(error.ProviderMessage, Is.EqualTo("Value is too long"));
            Assert.That(error.Message, Does.Contain("Value is too long"));
        });
    }

    [TestCase(500, "text/html", "<html><body>Internal error</body></html>", HeadHunterErrorKind.ServerError)]
    [TestCase(500, null, "", HeadHunterErrorKind.ServerError)]
    [TestCase(502, "text/plain", "bad gateway", HeadHunterErrorKind.ServerError)]
    [TestCase(503, "text/plain", "overloaded", HeadHunterErrorKind.ServiceUnavailable)]
    [TestCase(503, "application/json", "{not json", HeadHunterErrorKind.ServiceUnavailable)]
    [TestCase(504, "text/html", "<html>timeout</html>", HeadHunterErrorKind.ServerError)]
    public async Task A_5xx_without_JSON_goes_by_its_status(int status, string? contentType, string body, HeadHunterErrorKind kind)
    {
        _server.On("/artifacts/portfolio", (context, _) => LoopbackServer.WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(body)));
        using var client = Client();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.ListPortfolioAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(kind));
            Assert.That(error.StatusCode, Is.EqualTo(status));
            Assert.That(error.Errors, Is.Empty);
            Assert.That(error.Message, Does.Contain("try again later"));
        });
    }

    // ------------------------------------------------------------------ locale and host

    private static readonly string[] Operations = ["listPhotos", "listPortfolio", "photoConditions", "portfolioConditions", "upload", "update", "delete"];

    [Test]
    public async Task Every_operation_sends_locale_and_host_from_the_options([ValueSource(nameof(Operations))] string operation, [Values("hh.ru", "rabota.by", "headhunter.kg")] string host)
    {
        OnConditions(Conditions());
        _server.OnJson("/artifacts/photo", 200, """{"items":[],"found":0,"pages":0,"page":0,"per_page":20}""");
        _server.OnJson("/artifacts/portfolio", 200, """{"items":[],"found":0,"pages":0,"page":0,"per_page":20}""");
        _server.OnJson("/artifacts", 201, ArtifactJson);
        _server.On("/artifacts/77", (context, _) => NoContent(context));
        using var client = Client(o => (o.Host, o.Locale) = (host, "EN"));

        await Call(client, operation);

        Assert.That(_server.Requests, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var request in _server.Requests)
            {
                Assert.That(request.Query.GetValueOrDefault("host"), Is.EqualTo(host), request.Method + " " + request.Path);
                Assert.That(request.Query.GetValueOrDefault("locale"), Is.EqualTo("EN"), request.Method + " " + request.Path);
            }
        });
    }

    [Test]
    public async Task Locale_and_host_default_to_hh_ru_and_RU_and_keep_the_paging_parameters()
    {
        _server.OnJson("/artifacts/photo", 200, """{"items":[],"found":0,"pages":0,"page":0,"per_page":5}""");
        using var client = Client();

        await client.ListPhotosAsync(page: 1, perPage: 5);

        var request = _server.SingleRequest("/artifacts/photo");
        Assert.That(request.Query, Is.EquivalentTo(new Dictionary<string, string> { ["page"] = "1", ["per_page"] = "5", ["locale"] = "RU", ["host"] = "hh.ru" }));
    }

    [TestCase("example.com")]
    [TestCase("HH.RU")]
    [TestCase("")]
    [TestCase(null)]
    public void A_host_that_is_not_a_documented_site_is_refused_when_the_client_is_built(string? host)
    {
        var error = Assert.Throws<ArgumentException>(() => Client(o => o.Host = host!));

        Assert.That(error!.ParamName, Is.EqualTo("Host"));
        Assert.That(error.Message, Does.Contain("headhunter.ge"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [TestCase("")]
    [TestCase("E N")]
    [TestCase("en&host=evil")]
    [TestCase(null)]
    public void A_locale_that_is_not_a_locale_id_is_refused_when_the_client_is_built(string? locale)
    {
        var error = Assert.Throws<ArgumentException>(() => Client(o => o.Locale = locale!));

        Assert.That(error!.ParamName, Is.EqualTo("Locale"));
    }

    [Test]
    public void A_negative_conditions_cache_duration_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Client(o => o.ConditionsCacheDuration = TimeSpan.FromSeconds(-1)));

        Assert.That(error!.ParamName, Is.EqualTo("ConditionsCacheDuration"));
    }

    // ------------------------------------------------------------------ upload conditions

    [Test]
    public async Task GetPhotoConditions_reads_counters_and_fields()
    {
        _server.OnJson(PhotoConditionsPath, 200, Conditions(maxSize: 5000, mimeTypes: "\"image/png\"", maxLength: 100, minLength: 3, descriptionRequired: true, max: 7, uploaded: 4));
        using var client = Client();

        var answer = await client.GetPhotoConditionsAsync();

        var request = _server.SingleRequest(PhotoConditionsPath);
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Header("HH-User-Agent"), Is.EqualTo(AppAgent));
            Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer hh-token"));
            Assert.That(answer.Counters.Max, Is.EqualTo(7));
            Assert.That(answer.Counters.Uploaded, Is.EqualTo(4));
            Assert.That(answer.Fields.File.MaxSize, Is.EqualTo(5000));
            Assert.That(answer.Fields.File.MimeType, Is.EqualTo(new[] { "image/png" }));
            Assert.That(answer.Fields.File.Required, Is.True);
            Assert.That(answer.Fields.Description.MaxLength, Is.EqualTo(100));
            Assert.That(answer.Fields.Description.MinLength, Is.EqualTo(3));
            Assert.That(answer.Fields.Description.Required, Is.True);
            Assert.That(answer.Fields.Type.Required, Is.True);
        });
    }

    [Test]
    public async Task GetPortfolioConditions_uses_the_portfolio_path_and_asks_every_time()
    {
        _server.OnJson(PortfolioConditionsPath, 200, Conditions(max: 20, uploaded: 19));
        using var client = Client();

        var first = await client.GetPortfolioConditionsAsync();
        await client.GetPortfolioConditionsAsync();

        Assert.That(first.Counters.Uploaded, Is.EqualTo(19));
        Assert.That(CountRequests(PortfolioConditionsPath), Is.EqualTo(2));
        Assert.That(CountRequests(PhotoConditionsPath), Is.Zero);
    }

    [Test]
    public async Task Upload_conditions_are_fetched_once_per_type_for_many_calls_and_many_uploads()
    {
        OnConditions(Conditions(max: 20, uploaded: 0));
        _server.OnJson("/artifacts", 201, ArtifactJson);
        using var client = Client();

        var calls = Enumerable.Range(0, 8).Select(_ => client.GetUploadConditionsAsync(ArtifactType.Photo)).ToArray();
        var conditions = await Task.WhenAll(calls);
        for (var i = 0; i < 3; i++)
        {
            await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[] { 1 }), "a.png");
            await client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(new byte[] { 1 }), "a.png", "d");
        }

        Assert.Multiple(() =>
        {
            Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(1));
            Assert.That(CountRequests(PortfolioConditionsPath), Is.EqualTo(1));
            Assert.That(CountRequests("/artifacts"), Is.EqualTo(6));
            Assert.That(conditions.Select(c => c.IsDocumentedDefault), Is.All.False);
            Assert.That(conditions[0].Type, Is.EqualTo(ArtifactType.Photo));
        });
    }

    [Test]
    public async Task Upload_conditions_are_fetched_again_after_the_cache_duration()
    {
        _server.OnJson(PhotoConditionsPath, 200, Conditions(uploaded: 1));
        using var client = Client(o => o.ConditionsCacheDuration = TimeSpan.FromMinutes(5));

        await client.GetUploadConditionsAsync(ArtifactType.Photo);
        _clock.Advance(TimeSpan.FromMinutes(4));
        await client.GetUploadConditionsAsync(ArtifactType.Photo);
        Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(1));

        _server.OnJson(PhotoConditionsPath, 200, Conditions(uploaded: 3));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var refreshed = await client.GetUploadConditionsAsync(ArtifactType.Photo);

        Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(2));
        Assert.That(refreshed.Uploaded, Is.EqualTo(3));
        Assert.That(refreshed.RetrievedAt, Is.EqualTo(_clock.GetUtcNow()));
    }

    [Test]
    public async Task A_zero_cache_duration_asks_hh_ru_for_every_check()
    {
        OnConditions(Conditions());
        using var client = Client(o => o.ConditionsCacheDuration = TimeSpan.Zero);

        await client.GetUploadConditionsAsync(ArtifactType.Portfolio);
        await client.GetUploadConditionsAsync(ArtifactType.Portfolio);

        Assert.That(CountRequests(PortfolioConditionsPath), Is.EqualTo(2));
    }

    [TestCase(500, "application/json", """{"errors":[{"type":"service_unavailable"}]}""")]
    [TestCase(403, "application/json", """{"errors":[{"type":"oauth","value":"token_revoked"}]}""")]
    [TestCase(200, "application/json", "{\"counters\":")]
    [TestCase(200, "text/html", "<html>maintenance</html>")]
    public async Task When_the_conditions_call_fails_the_documented_defaults_are_used_and_logged(int status, string contentType, string body)
    {
        _server.On(PhotoConditionsPath, (context, _) => LoopbackServer.WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(body)));
        using var client = Client();

        var conditions = await client.GetUploadConditionsAsync(ArtifactType.Photo);

        Assert.Multiple(() =>
        {
            Assert.That(conditions.IsDocumentedDefault, Is.True);
            Assert.That(conditions.MaxFileBytes, Is.EqualTo(6291456));
            Assert.That(conditions.MediaTypes, Is.SupersetOf(new[] { "image/jpeg", "image/png", "image/psd" }));
            Assert.That(conditions.DescriptionMaxLength, Is.EqualTo(255));
            Assert.That(conditions.MaxArtifacts, Is.EqualTo(20));
            Assert.That(conditions.Uploaded, Is.Zero);
            Assert.That(_logs.Lines.Where(l => l.StartsWith("Warning CandidateFiles.HeadHunter", StringComparison.Ordinal) && l.Contains("photo upload conditions could not be fetched", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(1));
            Assert.That(string.Join("\n", _logs.Lines), Does.Not.Contain("hh-token"));
        });
    }

    [Test]
    public async Task After_a_failed_conditions_call_uploads_are_checked_against_the_defaults_and_hh_ru_is_asked_again_later()
    {
        _server.OnJson("/artifacts", 201, ArtifactJson);
        using var client = Client();

        var tooLarge = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[6291457]), "big.png"));
        await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[10]), "small.png");
        Assert.That(tooLarge!.ParamName, Is.EqualTo("file"));
        Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(1));
        Assert.That(CountRequests("/artifacts"), Is.EqualTo(1));

        OnConditions(Conditions(maxSize: 5));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[10]), "small.png"));

        Assert.That(error!.Message, Does.Contain("at most 5 bytes"));
        Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(2));
    }

    [Test]
    public async Task A_caller_cancelling_the_conditions_call_gets_the_cancellation_not_a_fallback()
    {
        _server.On(PhotoConditionsPath, async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            await LoopbackServer.WriteAsync(context, 200, "application/json", Encoding.UTF8.GetBytes(Conditions()));
        });
        using var client = Client();
        using var cancel = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.CatchAsync<OperationCanceledException>(() => client.GetUploadConditionsAsync(ArtifactType.Photo, cancel.Token));
        Assert.That(_logs.Lines.Any(l => l.Contains("could not be fetched", StringComparison.Ordinal)), Is.False);
    }

    /// <summary>(conditions, type, file bytes, file name, description, the argument named, a phrase).</summary>
    private static IEnumerable<TestCaseData> RefusedUploads()
    {
        yield return new TestCaseData(Conditions(maxSize: 100), ArtifactType.Photo, 101, "a.png", null, "file", "at most 100 bytes").SetName("Refused_upload_file_over_max_size");
        yield return new TestCaseData(Conditions(mimeTypes: "\"image/png\""), ArtifactType.Portfolio, 10, "a.jpg", "d", "file", "accepts image/png").SetName("Refused_upload_media_type_not_listed");
        yield return new TestCaseData(Conditions(), ArtifactType.Photo, 10, "a.gif", null, "file", "image/gif").SetName("Refused_upload_gif_with_documented_types");
        yield return new TestCaseData(Conditions(maxLength: 10), ArtifactType.Portfolio, 10, "a.png", new string('x', 11), "description", "at most 10").SetName("Refused_upload_description_over_max_length");
        yield return new TestCaseData(Conditions(minLength: 5), ArtifactType.Portfolio, 10, "a.png", "abc", "description", "at least 5").SetName("Refused_upload_description_under_min_length");
        yield return new TestCaseData(Conditions(descriptionRequired: true), ArtifactType.Portfolio, 10, "a.png", null, "description", "requires a description").SetName("Refused_upload_required_description_missing");
        yield return new TestCaseData(Conditions(max: 20, uploaded: 20), ArtifactType.Photo, 10, "a.png", null, "type", "already has 20").SetName("Refused_upload_counters_full");
        yield return new TestCaseData(Conditions(max: 5, uploaded: 9), ArtifactType.Portfolio, 10, "a.png", "d", "type", "(5)").SetName("Refused_upload_counters_over_full");
    }

    [TestCaseSource(nameof(RefusedUploads))]
    public async Task An_upload_breaking_the_conditions_is_refused_naming_the_argument_before_it_is_sent(string conditions, ArtifactType type, int size, string fileName, string? description, string argument, string phrase)
    {
        OnConditions(conditions);
        _server.OnJson("/artifacts", 201, ArtifactJson);
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(type, new MemoryStream(new byte[size]), fileName, description));

        Assert.Multiple(() =>
        {
            Assert.That(error!.ParamName, Is.EqualTo(argument));
            Assert.That(error.Message, Does.Contain(phrase));
            Assert.That(CountRequests("/artifacts"), Is.Zero, "the upload was not sent");
        });
    }

    [Test]
    public async Task An_upload_within_the_conditions_is_sent()
    {
        OnConditions(Conditions(maxSize: 100, mimeTypes: "\"image/jpeg\"", maxLength: 10, minLength: 2, max: 5, uploaded: 4));
        _server.OnJson("/artifacts", 201, ArtifactJson);
        using var client = Client();

        // image/jpg (a common mislabel) counts as image/jpeg.
        await client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(new byte[100]), "a.jpg", "0123456789", "image/jpg");

        Assert.That(CountRequests("/artifacts"), Is.EqualTo(1));
    }

    [Test]
    public async Task Uploads_through_the_client_count_against_the_cached_counters_and_a_delete_drops_them()
    {
        OnConditions(Conditions(max: 3, uploaded: 1));
        _server.OnJson("/artifacts", 201, ArtifactJson);
        _server.On("/artifacts/123456", (context, _) => NoContent(context));
        using var client = Client();

        await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[1]), "a.png");
        await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[1]), "a.png");
        var full = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[1]), "a.png"));
        Assert.That(full!.ParamName, Is.EqualTo("type"));
        Assert.That((await client.GetUploadConditionsAsync(ArtifactType.Photo)).Remaining, Is.Zero);
        Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(1));
        Assert.That(CountRequests("/artifacts"), Is.EqualTo(2));

        await client.DeleteArtifactAsync("123456");
        await client.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[1]), "a.png");

        Assert.That(CountRequests(PhotoConditionsPath), Is.EqualTo(2), "asked again after the delete");
        Assert.That(CountRequests("/artifacts"), Is.EqualTo(3));
    }

    [Test]
    public async Task A_description_edit_is_checked_against_the_portfolio_conditions_before_it_is_sent()
    {
        _server.OnJson(PortfolioConditionsPath, 200, Conditions(maxLength: 8));
        _server.On("/artifacts/9", (context, _) => NoContent(context));
        using var client = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateArtifactDescriptionAsync("9", "123456789"));
        await client.UpdateArtifactDescriptionAsync("9", "12345678");

        Assert.That(error!.ParamName, Is.EqualTo("description"));
        Assert.That(_server.Requests.Count(r => r.Path == "/artifacts/9"), Is.EqualTo(1));
        Assert.That(CountRequests(PortfolioConditionsPath), Is.EqualTo(1));
    }

    private static async Task Call(HeadHunterClient client, string operation)
    {
        switch (operation)
        {
            case "listPhotos":
                await client.ListPhotosAsync();
                break;
            case "listPortfolio":
                await client.ListPortfolioAsync();
                break;
            case "photoConditions":
                await client.GetPhotoConditionsAsync();
                break;
            case "portfolioConditions":
                await client.GetPortfolioConditionsAsync();
                break;
            case "upload":
                await client.UploadArtifactAsync(ArtifactType.Portfolio, new MemoryStream(new byte[] { 1, 2, 3 }), "a.png", "desc");
                break;
            case "update":
                await client.UpdateArtifactDescriptionAsync("77", "desc");
                break;
            default:
                await client.DeleteArtifactAsync("77");
                break;
        }
    }
}
