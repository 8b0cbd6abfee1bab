using System.Threading.Tasks;
using CandidateFiles.HrFlow;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Sandbox;

/// <summary>HrFlow behaviour against the sandbox: lookups, every status its docs name, the key flow.</summary>
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
    public async Task ListProfileAttachments_200_by_any_one_identifier(string? id, string? reference, string? email)
    {
        using var client = Client();

        var list = await client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, id, reference, email);

        Assert.That(list.Code, Is.EqualTo(200));
        Assert.That(list.Data, Has.Count.EqualTo(2));
        Assert.That(list.Data[0].Type, Is.EqualTo("resume"));
        Assert.That(list.Data[0].FileName, Is.EqualTo("resume.pdf"));
        Assert.That(list.Data[1].Type, Is.EqualTo("original"));
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
