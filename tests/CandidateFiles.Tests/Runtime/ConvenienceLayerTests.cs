using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using Moq;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>The hand-written extension methods call the generated operations correctly (Moq over the generated interfaces).</summary>
[TestFixture]
public sealed class ConvenienceLayerTests
{
    [Test]
    public async Task HrMax_DetachFile_by_uuid_sends_a_FileReference_with_that_uuid()
    {
        var client = new Mock<IHrMaxClient>(MockBehavior.Strict);
        client.Setup(c => c.DetachFileAsync(It.Is<FileReference>(r => r.Uuid == "u-1"), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask).Verifiable();

        await client.Object.DetachFileAsync("u-1");

        client.Verify();
    }

    [Test]
    public async Task HrMax_AttachFile_from_a_stream_names_the_file_and_infers_its_type()
    {
        var client = new Mock<IHrMaxClient>(MockBehavior.Strict);
        FileParameter? sent = null;
        client.Setup(c => c.AttachFileAsync("wf010", It.IsAny<FileParameter>(), It.IsAny<CancellationToken>()))
            .Callback<string?, FileParameter, CancellationToken>((_, file, _) => sent = file)
            .ReturnsAsync(new AttachedFile { FileUUID = "x" });

        var result = await client.Object.AttachFileAsync("wf010", new MemoryStream(), "photo.JPG");

        Assert.That(result.FileUUID, Is.EqualTo("x"));
        Assert.That(sent!.FileName, Is.EqualTo("photo.JPG"));
        Assert.That(sent.ContentType, Is.EqualTo("image/jpeg"));
    }

    [Test]
    public async Task HrMax_empty_uuid_is_refused_before_calling_the_client()
    {
        var client = new Mock<IHrMaxClient>(MockBehavior.Strict);

        await Assert.ThrowsAsync<System.ArgumentException>(() => client.Object.DownloadFileAsync(" "));
    }

    [Test]
    public async Task HeadHunter_ListAll_walks_every_page_and_stops_after_the_last()
    {
        var client = new Mock<IHeadHunterClient>(MockBehavior.Strict);
        for (var page = 0; page < 3; page++)
        {
            var p = page;
            client.Setup(c => c.ListPhotosAsync(p, 2, It.IsAny<CancellationToken>()))
                .ReturnsAsync(new ArtifactList { Page = p, Pages = 3, PerPage = 2, Found = 5, Items = Enumerable.Range(p * 2, p == 2 ? 1 : 2).Select(i => new Artifact { Id = i.ToString() }).ToList() });
        }

        var ids = new List<string>();
        await foreach (var artifact in client.Object.ListAllArtifactsAsync(ArtifactType.Photo, perPage: 2))
        {
            ids.Add(artifact.Id);
        }

        Assert.That(ids, Is.EqualTo(new[] { "0", "1", "2", "3", "4" }));
        client.Verify(c => c.ListPhotosAsync(It.IsAny<int?>(), It.IsAny<int?>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }
}
