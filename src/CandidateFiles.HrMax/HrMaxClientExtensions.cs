using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.HrMax;

/// <summary>Typed conveniences over the generated <see cref="IHrMaxClient"/> operations.</summary>
public static class HrMaxClientExtensions
{
    /// <summary>Uploads <paramref name="content"/> as an attachment of function <paramref name="funCode"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="funCode">The agreed function code (for example "wf010" for a leave form).</param>
    /// <param name="content">The file content; read from its current position, not disposed.</param>
    /// <param name="fileName">The file name to send.</param>
    /// <param name="contentType">Media type; null infers it from <paramref name="fileName"/>.</param>
    /// <param name="progress">Receives the number of bytes sent so far, after every read of <paramref name="content"/>; null reports nothing.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The uploaded file's descriptor, to put in the form's attachments.</returns>
    public static Task<AttachedFile> AttachFileAsync(this IHrMaxClient client, string funCode, Stream content, string fileName, string? contentType = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(funCode);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        return client.AttachFileAsync(funCode, new FileParameter(content, fileName, contentType ?? FileContentTypes.FromFileName(fileName), progress), cancellationToken);
    }

    /// <summary>Uploads the file at <paramref name="path"/> as an attachment of function <paramref name="funCode"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="funCode">The agreed function code.</param>
    /// <param name="path">The file to upload; its name is sent as the file name.</param>
    /// <param name="contentType">Media type; null infers it from the extension.</param>
    /// <param name="progress">Receives the number of bytes sent so far, after every read of the file; null reports nothing.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The uploaded file's descriptor.</returns>
    public static async Task<AttachedFile> AttachFileAsync(this IHrMaxClient client, string funCode, string path, string? contentType = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(funCode);
#if NET // netstandard2.0's Stream is not IAsyncDisposable
        await using var stream = FileContentTypes.OpenForUpload(path, nameof(path));
#else
        using var stream = FileContentTypes.OpenForUpload(path, nameof(path));
#endif
        return await client.AttachFileAsync(funCode, stream, Path.GetFileName(path), contentType, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an uploaded attachment.</summary>
    /// <param name="client">The client.</param>
    /// <param name="uuid">The <see cref="AttachedFile.FileUUID"/> of the upload.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when HR Max confirmed.</returns>
    public static Task DetachFileAsync(this IHrMaxClient client, string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        return client.DetachFileAsync(new FileReference { Uuid = uuid }, cancellationToken);
    }

    /// <summary>Downloads an attachment. Dispose the result.</summary>
    /// <param name="client">The client.</param>
    /// <param name="uuid">The file's UUID.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The file stream and its metadata.</returns>
    public static Task<FileResponse> DownloadFileAsync(this IHrMaxClient client, string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        return client.DownloadFileAsync(new FileReference { Uuid = uuid }, cancellationToken);
    }
}
