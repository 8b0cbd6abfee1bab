namespace CandidateFiles;

/// <summary>A file to upload: its content stream, the file name to send, and its media type.</summary>
/// <remarks>
/// Shared by every provider (NSwag would otherwise generate one copy per client namespace).
/// The stream is read once from its current position and is not disposed by the SDK.
/// With a progress receiver, <see cref="Data"/> is the stream wrapped so that each read reports the bytes
/// sent so far (a retry that rewinds the stream starts the count again).
/// </remarks>
public class FileParameter
{
    /// <summary>Creates a file parameter with no file name or media type.</summary>
    /// <param name="data">The content to upload.</param>
    public FileParameter(Stream data)
        : this(data, null, null)
    {
    }

    /// <summary>Creates a file parameter with a file name.</summary>
    /// <param name="data">The content to upload.</param>
    /// <param name="fileName">The file name sent in the multipart part.</param>
    public FileParameter(Stream data, string? fileName)
        : this(data, fileName, null)
    {
    }

    /// <summary>Creates a file parameter with a file name and a media type.</summary>
    /// <param name="data">The content to upload.</param>
    /// <param name="fileName">The file name sent in the multipart part.</param>
    /// <param name="contentType">The media type of the part (for example image/png).</param>
    public FileParameter(Stream data, string? fileName, string? contentType)
        : this(data, fileName, contentType, null)
    {
    }

    /// <summary>Creates a file parameter that reports upload progress.</summary>
    /// <param name="data">The content to upload.</param>
    /// <param name="fileName">The file name sent in the multipart part.</param>
    /// <param name="contentType">The media type of the part (for example image/png).</param>
    /// <param name="progress">Receives the number of bytes read for sending so far, after every read; null reports nothing.</param>
    public FileParameter(Stream data, string? fileName, string? contentType, IProgress<long>? progress)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = progress is null ? data : ReportingStream.WithProgress(data, progress);
        FileName = fileName;
        ContentType = contentType;
    }

    /// <summary>The content to upload.</summary>
    public Stream Data { get; }

    /// <summary>The file name sent in the multipart part, or null.</summary>
    public string? FileName { get; }

    /// <summary>The media type of the part, or null.</summary>
    public string? ContentType { get; }
}
