using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using Moq;
using NUnit.Framework;

namespace CandidateFiles.Tests.DependencyInjection;

// docs/dependency-injection.md's example of testing code that uses a client: the caller's class depends on the generated
// interface, and the test mocks it with Moq. No HTTP, no sandbox.

#region Snippet:DependencyInjection_CallerCode
/// <summary>Caller code: keeps a candidate's headshot (what an application would write).</summary>
public sealed class HeadshotArchive(IEhrwebResumeClient resumes)
{
    public async Task<long> SaveAsync(string fileId, Stream destination, CancellationToken cancellationToken)
    {
        using var headshot = await resumes.GetHeadshotAsync(fileId, cancellationToken);
        await headshot.Stream.CopyToAsync(destination, cancellationToken);
        return destination.Length;
    }
}
#endregion

[TestFixture]
public sealed class CallerCodeMockingTests
{
    #region Snippet:DependencyInjection_MockTheInterface
    [Test]
    public async Task HeadshotArchive_saves_the_bytes_the_client_returns()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47 };
        var resumes = new Mock<IEhrwebResumeClient>();
        resumes.Setup(c => c.GetHeadshotAsync("file-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new FileResponse(200, new Dictionary<string, IEnumerable<string>>(), new MemoryStream(png), null, null));
        using var saved = new MemoryStream();

        var size = await new HeadshotArchive(resumes.Object).SaveAsync("file-1", saved, CancellationToken.None);

        Assert.That(size, Is.EqualTo(4));
        Assert.That(saved.ToArray(), Is.EqualTo(png));
        resumes.Verify(c => c.GetHeadshotAsync("file-1", It.IsAny<CancellationToken>()), Times.Once);
    }
    #endregion

    [Test]
    public async Task HeadshotArchive_lets_the_providers_error_through()
    {
        var resumes = new Mock<IEhrwebResumeClient>();
        resumes.Setup(c => c.GetHeadshotAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderApiException("expired", 500, "{\"code\":\"895\"}", new Dictionary<string, IEnumerable<string>>(), null));

        await Assert.ThrowsAsync<ProviderApiException>(() => new HeadshotArchive(resumes.Object).SaveAsync("old", Stream.Null, CancellationToken.None));
    }
}
