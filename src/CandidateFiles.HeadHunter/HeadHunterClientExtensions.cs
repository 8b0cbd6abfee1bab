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
    /// <param name="progress">Receives the number of bytes sent so far, after every read of <paramref name="content"/>; null reports nothing.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new artifact, still <see cref="ArtifactStateId.Processing"/>.</returns>
    public static Task<Artifact> UploadArtifactAsync(this IHeadHunterClient client, ArtifactType type, Stream content, string fileName, string? description = null, string? contentType = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        return client.UploadArtifactAsync(type, description, new FileParameter(content, fileName, contentType ?? FileContentTypes.FromFileName(fileName), progress), cancellationToken);
    }

    /// <summary>Uploads the image at <paramref name="path"/> as an artifact.</summary>
    /// <remarks>
    /// Named apart from <c>UploadArtifactAsync</c> on purpose: the generated
    /// <c>UploadArtifactAsync(ArtifactType?, string? description, FileParameter file, …)</c> is an instance
    /// method, and C# prefers it to any extension, so an overload taking <c>(ArtifactType, string path)</c>
    /// would never be chosen: the path would become the description and the call would fail for want of a file.
    /// </remarks>
    /// <param name="client">The client.</param>
    /// <param name="type">Photo or portfolio.</param>
    /// <param name="path">The image file.</param>
    /// <param name="description">Description (portfolio only), or null.</param>
    /// <param name="progress">Receives the number of bytes sent so far, after every read of the file; null reports nothing.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new artifact.</returns>
    public static async Task<Artifact> UploadArtifactFromFileAsync(this IHeadHunterClient client, ArtifactType type, string path, string? description = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
#if NET // netstandard2.0's Stream is not IAsyncDisposable
        await using var stream = FileContentTypes.OpenForUpload(path, nameof(path));
#else
        using var stream = FileContentTypes.OpenForUpload(path, nameof(path));
#endif
        return await client.UploadArtifactAsync(type, stream, Path.GetFileName(path), description, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes an artifact's description (a <c>multipart/form-data</c> PUT with one <c>description</c> part, as hh.ru's OpenAPI says).</summary>
    /// <param name="client">The client.</param>
    /// <param name="id">Artifact id.</param>
    /// <param name="description">New description, within the portfolio upload conditions' length (255 characters as documented).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when hh.ru confirmed.</returns>
    public static Task UpdateArtifactDescriptionAsync(this IHeadHunterClient client, string id, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(description);
        return client.UpdateArtifactAsync(id, description, cancellationToken);
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

    /// <summary>
    /// Waits until hh.ru has processed a new artifact: returns it once its state is <c>ok</c> (with its
    /// <c>small</c>/<c>medium</c> URLs), throws <see cref="ArtifactProcessingFailedException"/> if it ends
    /// <c>failed</c>, and <see cref="TimeoutException"/> if it is still processing after <paramref name="timeout"/>.
    /// A state hh.ru added after its docs (not <c>ok</c> nor <c>failed</c>, for example <c>moderation</c>) counts as
    /// not finished; if the wait times out in it, the message names it.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="type">The artifact's type (where to look for it).</param>
    /// <param name="id">The artifact id from the upload.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="pollInterval">Time between checks (default 1 s).</param>
    /// <param name="cancellationToken">Cancels the wait (reported as cancellation, not as a timeout).</param>
    /// <returns>The processed artifact.</returns>
    /// <exception cref="InvalidOperationException">The artifact is not in the user's list (deleted, or another type).</exception>
    public static async Task<Artifact> WaitUntilProcessedAsync(this IHeadHunterClient client, ArtifactType type, string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var interval = pollInterval ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ArtifactStateId? lastState = null;
        try
        {
            while (true)
            {
                Artifact? found = null;
                await foreach (var artifact in client.ListAllArtifactsAsync(type, 100, deadline.Token).ConfigureAwait(false))
                {
                    if (artifact.Id == id)
                    {
                        found = artifact;
                        break;
                    }
                }

                if (found?.State is null)
                {
                    throw new InvalidOperationException($"Artifact {id} is not among the user's {type} artifacts: it was deleted, or it is of the other type.");
                }

                lastState = found.State.Id;
                if (lastState == ArtifactStateId.Ok)
                {
                    return found;
                }

                if (lastState == ArtifactStateId.Failed)
                {
                    throw new ArtifactProcessingFailedException(found);
                }

                // Processing, or a state hh.ru added after the docs (for example "moderation"): not finished yet.
                await Task.Delay(interval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var state = lastState is { IsKnown: false } unknown ? $"in state \"{unknown}\", which the SDK does not know," : "still processing";
            throw new TimeoutException($"Artifact {id} was {state} after {timeout.TotalSeconds:0.#} s.");
        }
    }
}
