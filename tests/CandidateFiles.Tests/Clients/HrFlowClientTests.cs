using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HrFlow;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>What <see cref="HrFlowClient"/> puts on the wire and makes of the answers, over real HTTP on loopback.</summary>
[TestFixture]
public sealed class HrFlowClientTests
{
    private const string ApiKey = "askr_0123456789abcdef0123456789abcdef";
    private const string UserEmail = "recruiter@example.com";
    private const string CurrentPath = "/v1/profile/indexing/attachments";
    private const string LegacyPath = "/v1/profile/attachments";

    /// <summary>The current page's 200 example, as HrFlow writes it (colon-less offsets, dotted extension, type original).</summary>
    private const string CurrentPageExample = """
        {"code":200,"data":[
          {"alt":"alt_key","created_at":"2020-09-11T09:58:32+0000","extension":".pdf","file_name":"resume","file_size":528305,"original_file_name":"resume","public_url":"https://riminder-documents-eu-2019-12.s3-eu-west-1.amazonaws.com/resume.pdf","type":"resume","updated_at":"2020-09-11T10:26:29+0000"},
          {"alt":"alt_key","created_at":"2020-09-11T09:58:32+0000","extension":".pdf","file_name":"original","file_size":537789,"original_file_name":"original","public_url":"public_url_original","type":"original","updated_at":"2020-09-11T09:58:32+0000"}],
         "message":"Profile attachment list"}
        """;

    private LoopbackServer _server = null!;
    private HrFlowClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = ApiKey, UserEmail = UserEmail });
    }

    [TearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("key", "profile-key-1")]
    [TestCase("reference", "ref-1")]
    [TestCase("email", "candidate@example.com")]
    public async Task ListProfileAttachments_calls_the_current_endpoint_with_source_key_one_identifier_and_both_headers(string identifier, string value)
    {
        _server.OnJson(CurrentPath, 200, CurrentPageExample);

        var list = identifier switch
        {
            "key" => await _client.ListProfileAttachmentsAsync("source-1", key: value),
            "reference" => await _client.ListProfileAttachmentsAsync("source-1", reference: value),
            _ => await _client.ListProfileAttachmentsAsync("source-1", email: value),
        };

        var request = _server.SingleRequest(CurrentPath);
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Header("X-API-KEY"), Is.EqualTo(ApiKey));
            Assert.That(request.Header("X-USER-EMAIL"), Is.EqualTo(UserEmail));
            Assert.That(request.Query.Keys, Is.EquivalentTo(new[] { "source_key", identifier }));
            Assert.That(request.Query["source_key"], Is.EqualTo("source-1"));
            Assert.That(request.Query[identifier], Is.EqualTo(value));
            Assert.That(_server.Requests.Any(r => r.Path == LegacyPath), Is.False);
            Assert.That(list.Code, Is.EqualTo(200));
            Assert.That(list.Message, Is.EqualTo("Profile attachment list"));
            Assert.That(list.Data, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task ListProfileAttachments_reads_the_current_attachment_object()
    {
        _server.OnJson(CurrentPath, 200, CurrentPageExample);

        var list = await _client.ListProfileAttachmentsAsync("source-1", key: "p");

        var resume = list.Data[0];
        var original = list.Data[1];
        Assert.Multiple(() =>
        {
            Assert.That(resume.Type == ProfileAttachmentType.Resume, Is.True);
            Assert.That(original.Type == ProfileAttachmentType.Original, Is.True, "the page's own example returns type original");
            Assert.That(resume.Alt, Is.EqualTo("alt_key"));
            Assert.That(resume.Extension, Is.EqualTo(".pdf"), "the extension keeps its dot");
            Assert.That(resume.FileName, Is.EqualTo("resume"));
            Assert.That(resume.OriginalFileName, Is.EqualTo("resume"));
            Assert.That(resume.FileSize, Is.EqualTo(528305));
            Assert.That(original.FileSize, Is.EqualTo(537789));
            Assert.That(resume.PublicUrl, Is.EqualTo(new Uri("https://riminder-documents-eu-2019-12.s3-eu-west-1.amazonaws.com/resume.pdf")));
            Assert.That(original.PublicUrl.OriginalString, Is.EqualTo("public_url_original"));
            Assert.That(resume.CreatedAt, Is.EqualTo(new DateTimeOffset(2020, 9, 11, 9, 58, 32, TimeSpan.Zero)));
            Assert.That(resume.CreatedAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(resume.UpdatedAt, Is.EqualTo(new DateTimeOffset(2020, 9, 11, 10, 26, 29, TimeSpan.Zero)));
            Assert.That(resume.AdditionalProperties, Is.Empty, "every field of the page is a declared property");
        });
    }

    [Test]
    public async Task ListProfileAttachments_reads_absent_and_null_optional_fields_as_null()
    {
        _server.OnJson(CurrentPath, 200, """
            {"code":200,"message":"Profile attachment list","data":[
              {"type":"cover","file_name":"cover","public_url":"https://files.example.com/cover.pdf","alt":null,"created_at":null,"extension":null,"file_size":null},
              {"type":"other","file_name":"portfolio","public_url":"https://files.example.com/portfolio.zip"}]}
            """);

        var list = await _client.ListProfileAttachmentsAsync("source-1", email: "candidate@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(list.Data[0].Type == ProfileAttachmentType.Cover, Is.True);
            Assert.That(list.Data[1].Type == ProfileAttachmentType.Other, Is.True);
            Assert.That(list.Data.Select(a => a.CreatedAt), Is.All.Null);
            Assert.That(list.Data.Select(a => a.UpdatedAt), Is.All.Null);
            Assert.That(list.Data.Select(a => a.FileSize), Is.All.Null);
            Assert.That(list.Data.Select(a => a.Extension), Is.All.Null);
        });
    }

    [TestCase("2020-09-11T09:58:32+0000", 0, 0, 0)]
    [TestCase("2020-09-11T09:58:32+0530", 5, 30, 0)]
    [TestCase("2020-09-11T09:58:32-0800", -8, 0, 0)]
    [TestCase("2020-09-11T09:58:32+1400", 14, 0, 0)]
    [TestCase("2020-09-11T09:58:32Z", 0, 0, 0)]
    [TestCase("2020-09-11T09:58:32+02:00", 2, 0, 0)]
    [TestCase("2020-09-11T09:58:32-03:30", -3, -30, 0)]
    [TestCase("2020-09-11T09:58:32.250+0100", 1, 0, 250)]
    public async Task ListProfileAttachments_reads_dates_with_or_without_the_offset_colon_keeping_the_offset(string sent, int offsetHours, int offsetMinutes, int milliseconds)
    {
        _server.OnJson(CurrentPath, 200, $$"""
            {"code":200,"message":"Profile attachment list","data":[
              {"type":"resume","file_name":"resume","public_url":"https://files.example.com/r.pdf","created_at":"{{sent}}","updated_at":"{{sent}}"}]}
            """);

        var list = await _client.ListProfileAttachmentsAsync("source-1", key: "p");

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        var expected = new DateTimeOffset(2020, 9, 11, 9, 58, 32, milliseconds, offset);
        var attachment = list.Data.Single();
        Assert.Multiple(() =>
        {
            Assert.That(attachment.CreatedAt, Is.EqualTo(expected));
            Assert.That(attachment.CreatedAt!.Value.Offset, Is.EqualTo(offset), "the offset HrFlow sent is kept");
            Assert.That(attachment.CreatedAt.Value.DateTime, Is.EqualTo(expected.DateTime), "the local time HrFlow sent is kept");
            Assert.That(attachment.UpdatedAt, Is.EqualTo(expected));
            Assert.That(attachment.UpdatedAt!.Value.Offset, Is.EqualTo(offset));
        });
    }

    [TestCase("2020-09-11T09:58:32+0000")]
    [TestCase("2020-09-11T09:58:32Z")]
    [TestCase("2020-09-11T09:58:32+02:00")]
    [TestCase("2020-09-11")]
    [TestCase("09/11/2020 09:58:32")]
    public async Task ListProfileAttachments_keeps_strings_that_merely_look_like_dates_as_sent(string dateLike)
    {
        _server.OnJson(CurrentPath, 200, $$$"""
            {"code":200,"message":"{{{dateLike}}}","data":[
              {"type":"resume","file_name":"{{{dateLike}}}","public_url":"https://files.example.com/r.pdf","alt":"{{{dateLike}}}","note":"{{{dateLike}}}","extra":{"when":"{{{dateLike}}}"}}]}
            """);

        var list = await _client.ListProfileAttachmentsAsync("source-1", key: "p");

        var attachment = list.Data.Single();
        Assert.Multiple(() =>
        {
            Assert.That(list.Message, Is.EqualTo(dateLike));
            Assert.That(attachment.FileName, Is.EqualTo(dateLike));
            Assert.That(attachment.Alt, Is.EqualTo(dateLike));
            Assert.That(attachment.AdditionalProperties["note"], Is.TypeOf<string>().And.EqualTo(dateLike), "an unknown field keeps the string, not a guessed DateTime");
            Assert.That(attachment.AdditionalProperties["extra"].ToString(), Does.Contain(dateLike));
        });
    }

    [TestCase("yesterday")]
    [TestCase("2020-13-45T99:99:99+0000")]
    public async Task ListProfileAttachments_a_date_that_is_no_date_is_a_typed_error_naming_the_type(string notADate)
    {
        _server.OnJson(CurrentPath, 200, $$"""
            {"code":200,"message":"ok","data":[{"type":"resume","file_name":"r","public_url":"https://files.example.com/r.pdf","created_at":"{{notADate}}"}]}
            """);

        var error = await Assert.CatchAsync<ProviderApiException>(() => _client.ListProfileAttachmentsAsync("source-1", key: "p"));

        Assert.That(error!.Message, Does.Contain(nameof(ProfileAttachmentList)));
        Assert.That(error.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task ListProfileAttachments_without_any_profile_identifier_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.ListProfileAttachmentsAsync("source-1"));

        Assert.That(error!.Message, Does.Contain("exactly one").And.Contain("key, reference or email").And.Contain("none"));
        Assert.That(error.ParamName, Is.EqualTo("key"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [TestCase("k", "r", null, "key and reference", "reference")]
    [TestCase("k", null, "e@example.com", "key and email", "email")]
    [TestCase(null, "r", "e@example.com", "reference and email", "email")]
    [TestCase("k", "r", "e@example.com", "key and reference and email", "reference")]
    public async Task ListProfileAttachments_with_more_than_one_profile_identifier_is_refused_before_anything_is_sent(string? key, string? reference, string? email, string named, string paramName)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.ListProfileAttachmentsAsync("source-1", key, reference, email));

        Assert.That(error!.Message, Does.Contain("exactly one").And.Contain("only one of key, reference or email").And.Contain(named + " were given"));
        Assert.That(error.ParamName, Is.EqualTo(paramName));
        Assert.That(_server.Requests, Is.Empty);
    }

    [TestCase("key", "")]
    [TestCase("key", " ")]
    [TestCase("reference", "\t")]
    [TestCase("reference", "")]
    [TestCase("email", "  ")]
    [TestCase("email", "")]
    public async Task ListProfileAttachments_with_a_blank_profile_identifier_is_refused_before_anything_is_sent(string identifier, string blank)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => identifier switch
        {
            "key" => _client.ListProfileAttachmentsAsync("source-1", key: blank),
            "reference" => _client.ListProfileAttachmentsAsync("source-1", reference: blank),
            _ => _client.ListProfileAttachmentsAsync("source-1", email: blank),
        });

        Assert.That(error!.Message, Does.Contain(identifier + " is empty or whitespace"));
        Assert.That(error.ParamName, Is.EqualTo(identifier));
        Assert.That(_server.Requests, Is.Empty);
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task ListProfileAttachments_with_a_blank_source_key_is_refused_before_anything_is_sent(string blank)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.ListProfileAttachmentsAsync(blank, key: "p"));

        Assert.That(error!.ParamName, Is.EqualTo("sourceKey"));
        Assert.That(error.Message, Does.Contain("sourceKey is empty or whitespace"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [Test]
    public async Task ListProfileAttachments_with_a_null_source_key_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => _client.ListProfileAttachmentsAsync(null!, key: "p"));

        Assert.That(error!.ParamName, Is.EqualTo("sourceKey"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [Test]
    public async Task ListProfileAttachments_sends_identifiers_with_reserved_characters_escaped_and_intact()
    {
        _server.OnJson(CurrentPath, 200, """{"code":200,"message":"ok","data":[]}""");

        await _client.ListProfileAttachmentsAsync("source &=+1", email: "jane+cv@example.com");

        var request = _server.SingleRequest(CurrentPath);
        Assert.That(request.Query["source_key"], Is.EqualTo("source &=+1"));
        Assert.That(request.Query["email"], Is.EqualTo("jane+cv@example.com"));
    }

    [Test]
    public async Task ListProfileAttachments_without_a_user_email_sends_no_X_USER_EMAIL_header()
    {
        _server.OnJson(CurrentPath, 200, """{"code":200,"message":"ok","data":[]}""");
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = ApiKey });

        await client.ListProfileAttachmentsAsync("s", key: "p");

        var request = _server.SingleRequest(CurrentPath);
        Assert.That(request.Header("X-API-KEY"), Is.EqualTo(ApiKey));
        Assert.That(request.Header("X-USER-EMAIL"), Is.Null);
    }

    [Test]
    public async Task ListProfileAttachments_401_that_echoes_the_key_and_user_email_becomes_a_typed_error_with_both_redacted()
    {
        _server.OnJson(CurrentPath, 401, "{\"code\":401,\"message\":\"Unauthorized. Invalid secret key: " + ApiKey + " for " + UserEmail + "\"}");

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => _client.ListProfileAttachmentsAsync("s", key: "p"));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.Unauthorized));
        Assert.That(error.ProviderMessage, Does.StartWith("Unauthorized. Invalid secret key: ***"));
        Assert.That(error.ToString(), Does.Not.Contain(ApiKey).And.Not.Contain(UserEmail));
        Assert.That(error.Headers.Keys.Select(k => k.ToUpperInvariant()), Has.None.EqualTo("X-API-KEY").And.None.EqualTo("X-USER-EMAIL"));
    }

    [Test]
    public async Task ListProfileAttachments_logs_and_errors_never_show_the_user_email_or_the_key()
    {
        var seen = 0;
        _server.On(CurrentPath, (context, _) => Interlocked.Increment(ref seen) == 1
            ? LoopbackServer.WriteAsync(context, 503, "application/json", Encoding.UTF8.GetBytes("{\"code\":503,\"message\":\"busy for " + UserEmail + "\"}"))
            : LoopbackServer.WriteAsync(context, 401, "application/json", Encoding.UTF8.GetBytes("{\"code\":401,\"message\":\"Unauthorized user " + UserEmail + " key " + ApiKey + "\"}")));
        var logs = new CapturingLoggerFactory();
        var options = new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = ApiKey, UserEmail = UserEmail, LoggerFactory = logs };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        using var client = new HrFlowClient(options);

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync("source-1", email: "candidate@example.com"));

        Assert.That(_server.Requests.Select(r => r.Header("X-USER-EMAIL")), Is.All.EqualTo(UserEmail), "sent on every attempt");
        Assert.That(logs.Lines, Is.Not.Empty);
        var shown = string.Join("\n", logs.Lines) + "\n" + error!.ToString() + "\n" + options.ToString();
        Assert.That(shown, Does.Not.Contain(UserEmail).And.Not.Contain(ApiKey).And.Not.Contain("candidate@example.com"));
    }

    [Test]
    public async Task ListProfileAttachments_400_becomes_a_bad_request_error()
    {
        _server.OnJson(CurrentPath, 400, """{"code":400,"message":"Invalid source fields"}""");

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => _client.ListProfileAttachmentsAsync("s", email: "nobody@example.com"));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.BadRequest));
        Assert.That(error.ProviderMessage, Is.EqualTo("Invalid source fields"));
        Assert.That(error.Message, Does.Contain("source key"));
        Assert.That(_server.SingleRequest(CurrentPath).Query["email"], Is.EqualTo("nobody@example.com"));
    }

#pragma warning disable CS0618 // The deprecated endpoint stays callable; these tests prove it.
    [Test]
    public async Task ListProfileAttachmentsLegacy_still_calls_the_deprecated_endpoint_with_its_own_names_and_reads_its_object()
    {
        _server.OnJson(LegacyPath, 200, """
            {"code":200,"message":"Profile attachment list","data":[
              {"type":"resume","alt":"id","file_name":"resume.pdf","original_file_name":"resume","file_size":194094,"extension":"pdf","public_url":"http://www.hrflow.ai/profile/attachment?key=key_value&type=resume","timestamp":1579252136},
              {"type":"original","alt":null,"file_name":"original.pdf","original_file_name":null,"file_size":null,"extension":"pdf","public_url":"http://www.hrflow.ai/profile/attachment?key=k&type=original","timestamp":1579252136}]}
            """);

        var list = await _client.ListProfileAttachmentsLegacyAsync("source-1", profileReference: "ref-1");

        var request = _server.SingleRequest(LegacyPath);
        Assert.Multiple(() =>
        {
            Assert.That(_server.Requests.Any(r => r.Path == CurrentPath), Is.False);
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Header("X-API-KEY"), Is.EqualTo(ApiKey));
            Assert.That(request.Header("X-USER-EMAIL"), Is.EqualTo(UserEmail));
            Assert.That(request.Query.Keys, Is.EquivalentTo(new[] { "source_id", "profile_reference" }));
            Assert.That(request.Query["source_id"], Is.EqualTo("source-1"));
            Assert.That(request.Query["profile_reference"], Is.EqualTo("ref-1"));
            Assert.That(list.Data, Has.Count.EqualTo(2));
            Assert.That(list.Data[0].Type, Is.EqualTo("resume"));
            Assert.That(list.Data[0].FileName, Is.EqualTo("resume.pdf"));
            Assert.That(list.Data[0].Extension, Is.EqualTo("pdf"));
            Assert.That(list.Data[0].FileSize, Is.EqualTo(194094));
            Assert.That(list.Data[0].Timestamp, Is.EqualTo(1579252136));
            Assert.That(list.Data[1].Type, Is.EqualTo("original"));
            Assert.That(list.Data[1].FileSize, Is.Null);
        });
    }

    [Test]
    public async Task ListProfileAttachmentsLegacy_without_any_profile_identifier_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.ListProfileAttachmentsLegacyAsync("source-1"));

        Assert.That(error!.Message, Does.Contain("profileId, profileReference or profileEmail"));
        Assert.That(_server.Requests, Is.Empty);
    }

    [Test]
    public async Task ListProfileAttachmentsLegacy_401_becomes_a_typed_error_with_the_key_redacted()
    {
        _server.OnJson(LegacyPath, 401, "{\"code\":401,\"message\":\"Unauthorized. Invalid secret key: " + ApiKey + " \"}");

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => _client.ListProfileAttachmentsLegacyAsync("s", profileId: "p"));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.Unauthorized));
        Assert.That(error.ToString(), Does.Not.Contain(ApiKey));
    }
#pragma warning restore CS0618

    [TestCase(typeof(HrFlowClient))]
    [TestCase(typeof(IHrFlowClient))]
    public void ListProfileAttachmentsLegacy_is_obsolete_with_a_message_naming_its_replacement(Type type)
    {
        var legacy = type.GetMethod("ListProfileAttachmentsLegacyAsync")!;
        var current = type.GetMethod(nameof(IHrFlowClient.ListProfileAttachmentsAsync))!;

        var obsolete = legacy.GetCustomAttributes(typeof(ObsoleteAttribute), inherit: false).Cast<ObsoleteAttribute>().SingleOrDefault();
        Assert.That(obsolete, Is.Not.Null, "the deprecated operation is [Obsolete]");
        Assert.That(obsolete!.Message, Does.Contain(nameof(IHrFlowClient.ListProfileAttachmentsAsync)).And.Contain("/v1/profile/indexing/attachments"));
        Assert.That(obsolete.IsError, Is.False, "still callable");
        Assert.That(current.GetCustomAttributes(typeof(ObsoleteAttribute), inherit: false), Is.Empty);
        Assert.That(current.GetParameters().Select(p => p.Name), Is.EqualTo(new[] { "sourceKey", "key", "reference", "email", "cancellationToken" }));
    }
}
