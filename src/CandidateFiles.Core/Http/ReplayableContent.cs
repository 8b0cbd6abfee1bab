namespace CandidateFiles;

/// <summary>Tells whether a request body can be sent again from its start without copying it into memory.</summary>
internal static class ReplayableContent
{
    /// <summary>
    /// True for no body, buffered bodies (byte array, string, form), a <see cref="StreamContent"/> over a
    /// seekable stream (it rewinds itself on a resend), and multipart made only of those. A
    /// StreamContent reports a length exactly when its stream can seek, which is how that is told apart
    /// without touching the stream.
    /// </summary>
    internal static bool CanReplay(HttpContent? content) => content switch
    {
        null => true,
        ByteArrayContent => true,
        MultipartContent multipart => multipart.All(CanReplay),
        UploadWatchingContent watched => CanReplay(watched.Inner),
        StreamContent stream => stream.Headers.ContentLength is not null,
        _ => false,
    };
}
