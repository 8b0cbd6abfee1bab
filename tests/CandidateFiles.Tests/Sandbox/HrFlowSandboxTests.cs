using System;
using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.HrFlow;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Sandbox;

/// <summary>
/// HrFlow behaviour against the sandbox: lookups on the current endpoint (and the deprecated one, still served),
/// every status its docs name, the key flow.
/// </summary>
[TestFixture]
public sealed class HrFlowSandboxTests
{
    private SandboxHost _sandbox = null!;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopSandbox() => await _sandbox.DisposeAsync();

    private HrFlowClient Client(string key = SandboxCredentials.HrFlowApiKey) => new(new HrFlowClientOptions { Endpoint = _sandbox.At("v1/"), ApiKey = key, UserEmail = "recruiter@example.com" });

    [TestCase(SandboxCredentials.HrFlowProfileId, null, null)]
    [TestCase(null, SandboxCredentials.HrFlowProfileReference, null)]
    [TestCase(null, null, SandboxCredentials.HrFlowProfileEmail)]
    public async Task ListProfileAttachments_200_by_any_one_identifier_in_the_current_object_shape(string? key, string? reference, string? email)
    {
        using var client = Client();

        var list = await client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key, reference, email);

        var hrFlowOffset = TimeSpan.Zero;
        Assert.Multiple(() =>
        {
            Assert.That(list.Code, Is.EqualTo(200));
            Assert.That(list.Data, Has.Count.EqualTo(2));
            Assert.That(list.Data[0].Type == ProfileAttachmentType.Resume, Is.True);
            Assert.That(list.Data[0].FileName, Is.EqualTo("resume"));
            Assert.That(list.Data[0].Extension, Is.EqualTo(".pdf"));
            Assert.That(list.Data[0].FileSize, Is.EqualTo(528305));
            Assert.That(list.Data[0].CreatedAt, Is.EqualTo(new DateTimeOffset(2020, 9, 11, 9, 58, 32, hrFlowOffset)));
            Assert.That(list.Data[0].CreatedAt!.Value.Offset, Is.EqualTo(hrFlowOffset));
            Assert.That(list.Data[0].UpdatedAt, Is.EqualTo(new DateTimeOffset(2020, 9, 11, 10, 26, 29, hrFlowOffset)));
            Assert.That(list.Data[1].Type == ProfileAttachmentType.Original, Is.True);
            Assert.That(list.Data.SelectMany(a => a.AdditionalProperties.Keys), Is.Empty, "the sandbox sends exactly the page's fields");
        });
        var request = _sandbox.State.Requests.Last(r => r.Path.Contains("/profile/", StringComparison.Ordinal));
        Assert.That(request.Path, Is.EqualTo("/v1/profile/indexing/attachments"));
    }

#pragma warning disable CS0618 // The deprecated endpoint stays served and callable.
    [TestCase(SandboxCredentials.HrFlowProfileId, null, null)]
    [TestCase(null, SandboxCredentials.HrFlowProfileReference, null)]
    [TestCase(null, null, SandboxCredentials.HrFlowProfileEmail)]
    public async Task ListProfileAttachmentsLegacy_200_by_any_one_identifier_in_the_old_object_shape(string? id, string? reference, string? email)
    {
        using var client = Client();

        var list = await client.ListProfileAttachmentsLegacyAsync(SandboxCredentials.HrFlowSourceId, id, reference, email);

        Assert.That(list.Code, Is.EqualTo(200));
        Assert.That(list.Data, Has.Count.EqualTo(2));
        Assert.That(list.Data[0].Type, Is.EqualTo("resume"));
        Assert.That(list.Data[0].FileName, Is.EqualTo("resume.pdf"));
        Assert.That(list.Data[0].Extension, Is.EqualTo("pdf"));
        Assert.That(list.Data[0].Timestamp, Is.EqualTo(1579252136));
        Assert.That(list.Data[1].Type, Is.EqualTo("original"));
        Assert.That(_sandbox.State.Requests.Last().Path, Is.EqualTo("/v1/profile/attachments"));
    }

    [Test]
    public async Task ListProfileAttachmentsLegacy_400_when_no_profile_matches_and_401_for_a_bad_key()
    {
        using var client = Client();
        using var badKey = Client("askr_ffffffffffffffffffffffffffffffff");

        var notFound = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsLegacyAsync(SandboxCredentials.HrFlowSourceId, "nobody"));
        var unauthorized = await Assert.ThrowsAsync<HrFlowApiException>(() => badKey.ListProfileAttachmentsLegacyAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowProfileId));

        Assert.That(notFound!.Kind, Is.EqualTo(HrFlowErrorKind.BadRequest));
        Assert.That(notFound.ProviderMessage, Is.EqualTo("Invalid profile array"));
        Assert.That(unauthorized!.Kind, Is.EqualTo(HrFlowErrorKind.Unauthorized));
    }
#pragma warning restore CS0618

    [TestCase("key")]
    [TestCase("reference")]
    [TestCase("email")]
    public async Task The_sandbox_current_endpoint_answers_by_the_current_parameter_names_only(string identifier)
    {
        using var http = new System.Net.Http.HttpClient();
        http.DefaultRequestHeaders.Add("X-API-KEY", SandboxCredentials.HrFlowApiKey);
        var value = identifier switch { "key" => SandboxCredentials.HrFlowProfileId, "reference" => SandboxCredentials.HrFlowProfileReference, _ => SandboxCredentials.HrFlowProfileEmail };

        using var current = await http.GetAsync(_sandbox.At($"v1/profile/indexing/attachments?source_key={SandboxCredentials.HrFlowSourceId}&{identifier}={Uri.EscapeDataString(value)}"));
        using var oldNames = await http.GetAsync(_sandbox.At($"v1/profile/indexing/attachments?source_id={SandboxCredentials.HrFlowSourceId}&profile_{(identifier == "key" ? "id" : identifier)}={Uri.EscapeDataString(value)}"));

        Assert.That((int)current.StatusCode, Is.EqualTo(200));
        Assert.That(await current.Content.ReadAsStringAsync(), Does.Contain("\"created_at\":\"2020-09-11T09:58:32+0000\"").And.Contain("\"extension\":\".pdf\""));
        Assert.That((int)oldNames.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task ListProfileAttachments_200_with_no_attachments_is_an_empty_list()
    {
        using var client = Client();

        var list = await client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowEmptyProfileId);

        Assert.That(list.Data, Is.Empty);
    }

    [Test]
    public async Task ListProfileAttachments_400_when_no_profile_matches()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, "nobody"));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.BadRequest));
        Assert.That(error.ProviderMessage, Is.EqualTo("Invalid profile array"));
    }

    [Test]
    public async Task ListProfileAttachments_400_for_an_unknown_source()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync("other-source", SandboxCredentials.HrFlowProfileId));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.BadRequest));
    }

    [Test]
    public async Task ListProfileAttachments_without_identifier_is_refused_before_HrFlow_would_answer_400()
    {
        using var client = Client();

        await Assert.ThrowsAsync<System.ArgumentException>(() => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId));
    }

    [Test]
    public async Task ListProfileAttachments_401_for_a_bad_key_which_is_redacted_from_the_echo()
    {
        const string wrongKey = "askr_ffffffffffffffffffffffffffffffff";
        using var client = Client(wrongKey);

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, SandboxCredentials.HrFlowProfileId));

        Assert.That(error!.Kind, Is.EqualTo(HrFlowErrorKind.Unauthorized));
        Assert.That(error.ProviderMessage, Does.Contain("Invalid secret key: ***"));
        Assert.That(error.ToString(), Does.Not.Contain(wrongKey));
    }

    [TestCase(SandboxCredentials.HrFlowQuotaExceededSourceId, HrFlowErrorKind.QuotaExceeded, 402)]
    [TestCase(SandboxCredentials.HrFlowNotFoundSourceId, HrFlowErrorKind.NotFound, 404)]
    [TestCase(SandboxCredentials.HrFlowUnprocessableSourceId, HrFlowErrorKind.Unprocessable, 422)]
    public async Task ListProfileAttachments_statuses_from_HrFlow_status_list_are_typed(string source, HrFlowErrorKind kind, int status)
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync(source, SandboxCredentials.HrFlowProfileId));

        Assert.That(error!.Kind, Is.EqualTo(kind));
        Assert.That(error.StatusCode, Is.EqualTo(status));
    }
}
