using System;
using CandidateFiles.HeadHunter;
using Newtonsoft.Json;
using NUnit.Framework;

namespace CandidateFiles.Tests.Generation;

/// <summary>
/// The generated hh.ru error models follow the official document per status (400 upload, 400 edit,
/// 403, 404, 413) plus the error reference's any-operation 400 and 5xx bodies: each reads the bodies
/// documented for its status, with the official required flags. Enums are compared with == only, so
/// these hold whether the generated enums are C# enums or open structs.
/// </summary>
[TestFixture]
public sealed class HeadHunterErrorModelTests
{
    [Test]
    public void The_upload_400_model_reads_artifacts_errors_and_bad_json_data_errors()
    {
        var artifacts = JsonConvert.DeserializeObject<HhArtifactUploadErrors>(
            """{"request_id":"r-1","errors":[{"type":"artifacts","value":"limit_exceeded"},{"type":"artifacts","value":"unknown_format"}]}""")!;
        Assert.That(artifacts.RequestId, Is.EqualTo("r-1"));
        Assert.That(artifacts.Errors, Has.Count.EqualTo(2));
        Assert.That(artifacts.Errors[0].Type == HhArtifactUploadErrorType.Artifacts, Is.True);
        Assert.That(artifacts.Errors[0].Value == HhArtifactUploadErrorValue.Limit_exceeded, Is.True);
        Assert.That(artifacts.Errors[1].Value == HhArtifactUploadErrorValue.Unknown_format, Is.True);

        var badJson = JsonConvert.DeserializeObject<HhArtifactUploadErrors>(
            """{"request_id":"r-2","errors":[{"type":"bad_json_data","reason":"unexpected","pointer":"/extra","description":"Unexpected field"}]}""")!;
        var entry = badJson.Errors[0];
        Assert.That(entry.Type == HhArtifactUploadErrorType.Bad_json_data, Is.True);
        Assert.That(entry.Value, Is.Null, "bad_json_data's value is optional upstream");
        Assert.That(entry.Reason == HhArtifactUploadErrorReason.Unexpected, Is.True);
        Assert.That(entry.Pointer, Is.EqualTo("/extra"));
        Assert.That(entry.Description, Is.EqualTo("Unexpected field"));
    }

    [TestCase("unset")]
    [TestCase("blacklisted")]
    public void Every_400_model_reads_the_error_references_bad_user_agent(string value)
    {
        var body = $$"""{"request_id":"r-3","errors":[{"type":"bad_user_agent","value":"{{value}}"}]}""";

        var upload = JsonConvert.DeserializeObject<HhArtifactUploadErrors>(body)!.Errors[0];
        Assert.That(upload.Type == HhArtifactUploadErrorType.Bad_user_agent, Is.True);
        Assert.That(upload.Value == (value == "unset" ? HhArtifactUploadErrorValue.Unset : HhArtifactUploadErrorValue.Blacklisted), Is.True);

        var edit = JsonConvert.DeserializeObject<HhBadArgumentErrors>(body)!.Errors[0];
        Assert.That(edit.Type == HhBadArgumentErrorType.Bad_user_agent, Is.True);
        Assert.That(edit.Value, Is.EqualTo(value));

        var any = JsonConvert.DeserializeObject<HhBadRequestErrors>(body)!.Errors[0];
        Assert.That(any.Type == HhBadRequestErrorType.Bad_user_agent, Is.True);
        Assert.That(any.Value == (value == "unset" ? HhBadRequestErrorValue.Unset : HhBadRequestErrorValue.Blacklisted), Is.True);
    }

    [TestCase("description", "too_long_value")]
    [TestCase("id", "invalid")]
    public void The_edit_400_model_keeps_the_bad_argument_parameter_and_reason_as_sent(string parameter, string reason)
    {
        var body = JsonConvert.DeserializeObject<HhBadArgumentErrors>(
            $$"""{"request_id":"r-4","errors":[{"type":"bad_argument","value":"{{parameter}}","reason":"{{reason}}"}]}""")!;
        Assert.That(body.Errors[0].Type == HhBadArgumentErrorType.Bad_argument, Is.True);
        Assert.That(body.Errors[0].Value, Is.EqualTo(parameter));
        Assert.That(body.Errors[0].Reason, Is.EqualTo(reason));
    }

    [Test]
    public void The_403_model_reads_oauth_errors_with_the_legacy_oauth_error_and_description()
    {
        var body = JsonConvert.DeserializeObject<HhBadAuthorizationErrors>(
            """{"request_id":"r-5","description":"Forbidden","oauth_error":"token-expired","errors":[{"type":"oauth","value":"token_expired"}]}""")!;
        Assert.That(body.Description, Is.EqualTo("Forbidden"));
        Assert.That(body.OauthError == HhOauthError.TokenExpired, Is.True);
        Assert.That(body.Errors[0].Type == HhBadAuthorizationErrorType.Oauth, Is.True);
        Assert.That(body.Errors[0].Value == HhBadAuthorizationErrorValue.Token_expired, Is.True);
    }

    [Test]
    public void The_403_model_reads_captcha_urls_and_an_employers_allowed_accounts()
    {
        var captcha = JsonConvert.DeserializeObject<HhBadAuthorizationErrors>(
            """{"request_id":"r-6","errors":[{"type":"captcha_required","value":"captcha_required","captcha_url":"https://hh.ru/account/captcha?state=s","fallback_url":"https://hh.ru/account/connect/register"}]}""")!.Errors[0];
        Assert.That(captcha.Type == HhBadAuthorizationErrorType.Captcha_required, Is.True);
        Assert.That(captcha.CaptchaUrl, Is.EqualTo(new Uri("https://hh.ru/account/captcha?state=s")));
        Assert.That(captcha.FallbackUrl, Is.EqualTo(new Uri("https://hh.ru/account/connect/register")));

        var blocked = JsonConvert.DeserializeObject<HhBadAuthorizationErrors>(
            """{"request_id":"r-7","errors":[{"type":"manager_accounts","value":"used_manager_account_forbidden","allowed_accounts":[{"id":"2","employer":{"id":"87654321","name":"Beta Inc."}}]}]}""")!.Errors[0];
        Assert.That(blocked.Value == HhBadAuthorizationErrorValue.Used_manager_account_forbidden, Is.True);
        Assert.That(blocked.AllowedAccounts, Has.Count.EqualTo(1));
        Assert.That(blocked.AllowedAccounts![0].Id, Is.EqualTo("2"));
        Assert.That(blocked.AllowedAccounts[0].Employer.Name, Is.EqualTo("Beta Inc."));
    }

    [Test]
    public void The_404_and_413_models_read_their_single_documented_error()
    {
        var notFound = JsonConvert.DeserializeObject<HhNotFoundErrors>("""{"request_id":"r-8","errors":[{"type":"not_found"}]}""")!;
        Assert.That(notFound.Errors[0].Type == HhNotFoundErrorType.Not_found, Is.True);

        var tooLarge = JsonConvert.DeserializeObject<HhRequestEntityTooLargeErrors>("""{"request_id":"r-9","errors":[{"type":"artifacts","value":"image_too_large"}]}""")!;
        Assert.That(tooLarge.Errors[0].Type == HhRequestEntityTooLargeErrorType.Artifacts, Is.True);
        Assert.That(tooLarge.Errors[0].Value == HhRequestEntityTooLargeErrorValue.Image_too_large, Is.True);
    }

    [TestCase("""{"errors":[{"type":"artifacts","value":"image_too_large"}]}""", TestName = "A 413 body without request_id")]
    [TestCase("""{"request_id":"r-10","errors":[{"type":"artifacts"}]}""", TestName = "A 413 entry without value")]
    [TestCase("""{"request_id":"r-11"}""", TestName = "A 413 body without errors")]
    public void The_413_model_keeps_the_official_required_fields(string json)
    {
        Assert.Throws<JsonSerializationException>(() => JsonConvert.DeserializeObject<HhRequestEntityTooLargeErrors>(json));
    }

    [Test]
    public void The_5xx_model_reads_service_unavailable_with_or_without_request_id()
    {
        var withId = JsonConvert.DeserializeObject<HhServerErrors>("""{"request_id":"r-12","errors":[{"type":"service_unavailable"}]}""")!;
        Assert.That(withId.RequestId, Is.EqualTo("r-12"));
        Assert.That(withId.Errors![0].Type == HhServerErrorType.Service_unavailable, Is.True);

        var withoutId = JsonConvert.DeserializeObject<HhServerErrors>("""{"errors":[{"type":"service_unavailable"}]}""")!;
        Assert.That(withoutId.RequestId, Is.Null);
        Assert.That(withoutId.Errors, Has.Count.EqualTo(1));
    }
}
