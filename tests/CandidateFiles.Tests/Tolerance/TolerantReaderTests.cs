using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using Newtonsoft.Json;
using NUnit.Framework;

namespace CandidateFiles.Tests.Tolerance;

/// <summary>
/// Issue #12's failing inputs, each as a test through a real client over loopback, and the kinds around them:
/// open enums (1), no date guessing (2), undeclared 2xx (3), one exception family per provider (5).
/// </summary>
[TestFixture]
public sealed class TolerantReaderTests
{
    private LoopbackServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private HeadHunterClient HeadHunter() => new(new HeadHunterClientOptions { Endpoint = _server.BaseAddress, UserAgent = "T/1 (t@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } });

    private HrMaxClient HrMax() => new(new HrMaxClientOptions { Endpoint = _server.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } });

    private HrFlowClient HrFlow() => new(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "k", Retry = { MaxRetries = 0 } });

    /// <summary>HrFlow's list path, before and after its spec followed the official one (profile/indexing/attachments).</summary>
    private static readonly string[] HrFlowListPaths = ["/v1/profile/attachments", "/v1/profile/indexing/attachments"];

    private void OnHrFlowList(int status, string contentType, string body)
    {
        foreach (var path in HrFlowListPaths)
        {
            _server.On(path, (context, _) => LoopbackServer.WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(body)));
        }
    }

    private static string Artifact(string id, string state) => $$"""{"id":"{{id}}","state":{"id":"{{state}}","name":"x"},"small":null,"medium":null}""";

    private static string Page(params string[] items) => $$"""{"items":[{{string.Join(",", items)}}],"found":{{items.Length}},"pages":1,"page":0,"per_page":100}""";

    // ---- kind 1: enums are open ----

    [Test]
    public async Task A_list_page_with_an_unknown_state_keeps_every_item_and_the_state_as_sent()
    {
        _server.OnJson("/artifacts/photo", 200, Page(Artifact("1", "ok"), Artifact("2", "moderation"), Artifact("3", "processing")));
        using var client = HeadHunter();

        var page = await client.ListPhotosAsync();

        Assert.That(page.Items.Select(i => i.Id), Is.EqualTo(new[] { "1", "2", "3" }), "the valid items are not lost");
        var unknown = page.Items[1].State.Id;
        Assert.Multiple(() =>
        {
            Assert.That(unknown.ToString(), Is.EqualTo("moderation"));
            Assert.That(unknown.IsKnown, Is.False);
            Assert.That(unknown == ArtifactStateId.Ok, Is.False);
            Assert.That(unknown, Is.EqualTo(new ArtifactStateId("moderation")));
            Assert.That(page.Items[0].State.Id == ArtifactStateId.Ok, Is.True, "known values still compare with ==");
            Assert.That(page.Items[0].State.Id.IsKnown, Is.True);
            Assert.That(page.Items[2].State.Id, Is.EqualTo(ArtifactStateId.Processing));
        });
    }

    [Test]
    public async Task WaitUntilProcessed_treats_an_unknown_state_as_not_finished_and_returns_when_it_turns_ok()
    {
        var polls = 0;
        _server.On("/artifacts/photo", (context, _) =>
        {
            var state = ++polls < 3 ? "moderation" : "ok";
            return LoopbackServer.WriteAsync(context, 200, "application/json", Encoding.UTF8.GetBytes(Page(Artifact("7", state))));
        });
        using var client = HeadHunter();

        var artifact = await client.WaitUntilProcessedAsync(ArtifactType.Photo, "7", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        Assert.That(artifact.State.Id, Is.EqualTo(ArtifactStateId.Ok));
        Assert.That(polls, Is.EqualTo(3));
    }

    [Test]
    public async Task WaitUntilProcessed_names_the_unknown_state_when_it_times_out()
    {
        _server.OnJson("/artifacts/photo", 200, Page(Artifact("7", "moderation")));
        using var client = HeadHunter();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitUntilProcessedAsync(ArtifactType.Photo, "7", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(20)));

        Assert.That(error!.Message, Does.Contain("\"moderation\""));
    }

    [Test]
    public async Task WaitUntilProcessed_still_says_processing_when_the_state_is_known()
    {
        _server.OnJson("/artifacts/photo", 200, Page(Artifact("7", "processing")));
        using var client = HeadHunter();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitUntilProcessedAsync(ArtifactType.Photo, "7", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(20)));

        Assert.That(error!.Message, Does.Contain("still processing"));
    }

    /// <summary>Every extensible enum the generator produced in every provider package, found by reflection (new specs' enums included).</summary>
    public static Type[] GeneratedEnums() =>
    [
        .. new[] { typeof(EhrwebResumeClient), typeof(HrMaxClient), typeof(HrFlowClient), typeof(HeadHunterClient) }
            .SelectMany(client => client.Assembly.GetExportedTypes())
            .Where(type => type.IsValueType && type.GetNestedType("WireConverter", System.Reflection.BindingFlags.NonPublic) is not null),
    ];

    [Test]
    public void The_generated_enums_include_the_issues_examples()
        => Assert.That(GeneratedEnums(), Is.SupersetOf(new[] { typeof(ArtifactStateId), typeof(ArtifactType), typeof(AttachmentType) }));

    [TestCaseSource(nameof(GeneratedEnums))]
    public void Every_generated_enum_reads_any_value_and_writes_the_wire_value(Type enumType)
    {
        var unseen = JsonConvert.DeserializeObject("\"brand-new\"", enumType)!;
        Assert.That(unseen.ToString(), Is.EqualTo("brand-new"));
        Assert.That(JsonConvert.SerializeObject(unseen), Is.EqualTo("\"brand-new\""));
        var number = JsonConvert.DeserializeObject("4", enumType)!;
        Assert.That(number.ToString(), Is.EqualTo("4"), "a number where a string was documented is kept as its text");
        Assert.Throws<JsonSerializationException>(() => JsonConvert.DeserializeObject("{}", enumType));
        Assert.That(JsonConvert.DeserializeObject("null", typeof(Nullable<>).MakeGenericType(enumType)), Is.Null);

        foreach (var known in (System.Collections.IEnumerable)enumType.GetProperty("KnownValues")!.GetValue(null)!)
        {
            var wire = JsonConvert.SerializeObject(known);
            Assert.That(JsonConvert.DeserializeObject(wire, enumType), Is.EqualTo(known));
        }
    }

    [Test]
    public async Task An_enum_request_parameter_goes_on_the_wire_as_its_wire_value()
    {
        _server.OnJson("/oauth2/token", 200, """{"access_token":"t","expires_in":3600}""");
        _server.OnBytes("/external/files/attachment", 200, "application/pdf", [1, 2, 3]);
        using var client = new EhrwebResumeClient(new EhrwebResumeClientOptions { Endpoint = new Uri(_server.BaseAddress, "external/"), TokenEndpoint = new Uri(_server.BaseAddress, "oauth2/token"), GuiNum = "12345678", ClientId = "c", ClientSecret = "s", Retry = { MaxRetries = 0 } });

        using var file = await client.GetAttachmentAsync(AttachmentType.ProjectAchievement, "f");

        Assert.That(_server.SingleRequest("/external/files/attachment").Query["type"], Is.EqualTo("3"));
    }

    [Test]
    public async Task A_default_enum_argument_is_refused_before_anything_is_sent()
    {
        using var client = new EhrwebResumeClient(new EhrwebResumeClientOptions { Endpoint = new Uri(_server.BaseAddress, "external/"), TokenEndpoint = new Uri(_server.BaseAddress, "oauth2/token"), GuiNum = "12345678", ClientId = "c", ClientSecret = "s", Retry = { MaxRetries = 0 } });

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetAttachmentAsync(default, "f"));

        Assert.That(_server.Requests, Is.Empty);
    }

    // ---- kind 2: no date guessing ----

    [TestCase("2024-03-01T10:00:00+03:00")]
    [TestCase("2024-03-01T10:00:00Z")]
    [TestCase("2024-03-01")]
    [TestCase("/Date(1709276400000)/")]
    public async Task An_unknown_field_keeps_the_text_the_provider_sent(string sent)
    {
        _server.OnJson("/artifacts/photo", 200, Page(Artifact("1", "ok").Replace("\"id\":\"1\"", $$"""
            "id":"1","created_at":"{{sent}}","nested":{"at":"{{sent}}"},"list":["{{sent}}"]
            """)));
        using var client = HeadHunter();

        var item = (await client.ListPhotosAsync()).Items[0];

        Assert.That(item.AdditionalProperties["created_at"], Is.EqualTo(sent));
        Assert.That(item.AdditionalProperties["nested"].ToString(), Does.Contain(sent), "nested values keep their text too");
        Assert.That(((Newtonsoft.Json.Linq.JObject)item.AdditionalProperties["nested"])["at"]!.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.String));
    }

    [Test]
    public async Task An_unknown_field_keeps_its_text_in_a_body_with_a_declared_non_utf8_charset()
    {
        _server.On("/artifacts/photo", (context, _) => LoopbackServer.WriteAsync(context, 200, "application/json; charset=utf-16", Encoding.Unicode.GetBytes(Page(Artifact("1", "ok").Replace("\"id\":\"1\"", "\"id\":\"1\",\"created_at\":\"2024-03-01T10:00:00+03:00\"")))));
        using var client = HeadHunter();

        var item = (await client.ListPhotosAsync()).Items[0];

        Assert.That(item.AdditionalProperties["created_at"], Is.EqualTo("2024-03-01T10:00:00+03:00"));
    }

    // ---- kind 3: an undeclared 2xx is a success ----

    [Test]
    public async Task An_upload_answered_200_instead_of_201_returns_the_artifact_and_is_sent_once()
    {
        _server.OnJson("/artifacts", 200, Artifact("42", "processing"));
        using var client = HeadHunter();
        using var capture = ProviderResponseCapture.Start();

        var artifact = await client.UploadArtifactAsync(ArtifactType.Photo, new System.IO.MemoryStream([0xFF, 0xD8, 0xFF, 0xE0]), "me.jpg", contentType: "image/jpeg");

        Assert.That(artifact.Id, Is.EqualTo("42"));
        Assert.That(capture.StatusCode, Is.EqualTo(200));
        Assert.That(_server.Requests.Count(r => r.Path == "/artifacts"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_204_where_200_is_documented_is_a_success_for_an_operation_that_returns_nothing()
    {
        _server.On("/api/file/detach", (context, _) => LoopbackServer.WriteAsync(context, 204, null, []));
        using var client = HrMax();
        using var capture = ProviderResponseCapture.Start();

        await client.DetachFileAsync("u");

        Assert.That(capture.StatusCode, Is.EqualTo(204));
    }

    [Test]
    public async Task A_200_with_a_body_where_204_is_documented_is_a_success()
    {
        _server.OnJson("/artifacts/a1", 200, """{"id":"a1","done":true}""");
        using var client = HeadHunter();
        using var capture = ProviderResponseCapture.Start();

        await client.DeleteArtifactAsync("a1");

        Assert.That(capture.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task A_201_where_200_is_documented_reads_the_documented_body()
    {
        OnHrFlowList(201, "application/json", """{"code":200,"message":"ok","data":[]}""");
        using var client = HrFlow();
        using var capture = ProviderResponseCapture.Start();

        await client.ListProfileAttachmentsAsync("s", "p");

        Assert.That(capture.StatusCode, Is.EqualTo(201));
    }

    [Test]
    public async Task An_undeclared_2xx_whose_body_is_not_the_documented_result_is_the_providers_typed_exception()
    {
        _server.OnJson("/artifacts", 202, """{"queued":true}""");
        using var client = HeadHunter();

        var error = await Assert.ThrowsAsync<HeadHunterApiException>(() => client.UploadArtifactAsync(ArtifactType.Photo, new System.IO.MemoryStream([0xFF, 0xD8, 0xFF, 0xE0]), "me.jpg", contentType: "image/jpeg"));

        Assert.That(error!.StatusCode, Is.EqualTo(202));
        Assert.That(error.Message, Does.Contain("could not be read as Artifact"));
        Assert.That(error.ResponseBody, Is.EqualTo("""{"queued":true}"""));
    }

    [Test]
    public async Task Capture_scopes_nest_and_stop_recording_when_disposed()
    {
        _server.OnJson("/artifacts/photo", 200, Page());
        _server.OnJson("/artifacts/portfolio", 203, Page());
        using var client = HeadHunter();
        using var outer = ProviderResponseCapture.Start();
        await client.ListPhotosAsync();
        using (var inner = ProviderResponseCapture.Start())
        {
            await client.ListPortfolioAsync();
            Assert.That(inner.StatusCode, Is.EqualTo(203));
            Assert.That(inner.Count, Is.EqualTo(1));
        }

        await client.ListPhotosAsync();
        Assert.That(outer.StatusCode, Is.EqualTo(200));
        Assert.That(outer.Count, Is.EqualTo(2), "the inner scope's call went to the inner scope");
    }

    // ---- kind 5: one exception family per provider ----

    public static readonly object[] UnusableSuccessBodies =
    [
        new object[] { 200, "text/html", "<html><body><h1>Down for maintenance</h1></body></html>" },
        new object[] { 200, "application/json", "{\"items\": [" },
        new object[] { 200, "application/json", "[1,2,3]" },
        new object[] { 200, "application/json", "{\"items\": \"not a list\", \"data\": 7}" },
        new object[] { 200, "application/json", "" },
        new object[] { 200, "application/json", "null" },
        new object[] { 201, "text/plain", "created" },
        new object[] { 202, "text/html", "<p>accepted</p>" },
    ];

    [TestCaseSource(nameof(UnusableSuccessBodies))]
    public async Task An_unusable_success_body_is_the_providers_own_exception(int status, string contentType, string body)
    {
        foreach (var path in new[] { "/artifacts/photo", "/api/file/attach" })
        {
            _server.On(path, (context, _) => LoopbackServer.WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(body)));
        }

        OnHrFlowList(status, contentType, body);

        using var headHunter = HeadHunter();
        using var hrMax = HrMax();
        using var hrFlow = HrFlow();
        var errors = new ProviderApiException[]
        {
            (await Assert.ThrowsAsync<HeadHunterApiException>(() => headHunter.ListPhotosAsync()))!,
            (await Assert.ThrowsAsync<HrMaxApiException>(() => hrMax.AttachFileAsync("wf010", new System.IO.MemoryStream([1]), "a.pdf")))!,
            (await Assert.ThrowsAsync<HrFlowApiException>(() => hrFlow.ListProfileAttachmentsAsync("s", "p")))!,
        };

        foreach (var error in errors)
        {
            Assert.Multiple(() =>
            {
                Assert.That(error.StatusCode, Is.EqualTo(status));
                Assert.That(error.ResponseBody ?? string.Empty, Is.EqualTo(body));
                Assert.That(error.Message, Does.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(error.Message, Does.Contain(", but its body"));
                Assert.That(error.Provider, Is.Not.EqualTo("provider"), "the provider's name, not the generic one");
                Assert.That(error.RequestPath, Is.Not.Null);
            });
        }
    }

    [Test]
    public async Task An_unusable_success_body_never_shows_a_configured_secret()
    {
        OnHrFlowList(200, "application/json", "{\"data\": \"k-secret-key-0123456789abcdef\", \"code\": [");
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "k-secret-key-0123456789abcdef", Retry = { MaxRetries = 0 } });

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync("s", "p"));

        Assert.That(error!.ToString(), Does.Not.Contain("k-secret-key-0123456789abcdef"));
    }
}
