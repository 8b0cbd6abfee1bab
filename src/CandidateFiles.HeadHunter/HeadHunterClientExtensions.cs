using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.HeadHunter;

/// <summary>Typed conveniences over the generated <see cref="IHeadHunterClient"/> operations.</summary>
public static class HeadHunterClientExtensions
{
    /// <summary>Uploads an artifact from a stream.</summary>
    /// <param name="client">The client.</param>
    /// <param name="type">Photo or portfolio.</param>
    /// <param name="content">The image; read from its current position, not disposed.</param>
    /// <param name="fileName">The file name to send.</param>
    /// <param name="description">Description (portfolio only), at most 255 characters, or null.</param>
    /// <param name="contentType">Media type; null infers it from <paramref name="fileName"/>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new artifact, still <see cref="ArtifactStateId.Processing"/>.</returns>
    public static Task<Artifact> UploadArtifactAsync(this IHeadHunterClient client, ArtifactType type, Stream content, string fileName, string? description = null, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        return client.UploadArtifactAsync(type, description, new FileParameter(content, fileName, contentType ?? FileContentTypes.FromFileName(fileName)), cancellationToken);
    }

    /// <summary>Uploads the image at <paramref name="path"/> as an artifact.</summary>
    /// <param name="client">The client.</param>
    /// <param name="type">Photo or portfolio.</param>
    /// <param name="path">The image file.</param>
    /// <param name="description">Description (portfolio only), or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new artifact.</returns>
    public static async Task<Artifact> UploadArtifactAsync(this IHeadHunterClient client, ArtifactType type, string path, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var stream = FileContentTypes.OpenForUpload(path, nameof(path));
        return await client.UploadArtifactAsync(type, stream, Path.GetFileName(path), description, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes an artifact's description.</summary>
    /// <param name="client">The client.</param>
    /// <param name="id">Artifact id.</param>
    /// <param name="description">New description, at most 255 characters.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when hh.ru confirmed.</returns>
    public static Task UpdateArtifactDescriptionAsync(this IHeadHunterClient client, string id, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(description);
        return client.UpdateArtifactAsync(id, new ArtifactUpdate { Description = description }, cancellationToken);
    }

    /// <summary>Every artifact of <paramref name="type"/>, page after page, fetched as you enumerate.</summary>
    /// <param name="client">The client.</param>
    /// <param name="type">Photo or portfolio.</param>
    /// <param name="perPage">Page size (1 to 100).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The artifacts.</returns>
    public static async IAsyncEnumerable<Artifact> ListAllArtifactsAsync(this IHeadHunterClient client, ArtifactType type, int perPage = 20, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, 100);
        for (var page = 0; ; page++)
        {
            var list = type == ArtifactType.Photo
                ? await client.ListPhotosAsync(page, perPage, cancellationToken).ConfigureAwait(false)
                : await client.ListPortfolioAsync(page, perPage, cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items)
            {
                yield return item;
            }

            if (list.Items.Count == 0 || page + 1 >= list.Pages)
            {
                yield break;
            }
        }
    }
}
