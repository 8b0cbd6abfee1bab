using System.Net;

namespace CandidateFiles;

/// <summary>
/// A request body sent as its inner content is, telling the attempt's time limit each time bytes go out: the
/// per-attempt limit then bounds a stall while sending, not the length of an upload whose bytes keep flowing.
/// </summary>
/// <remarks>
/// The inner content serializes itself each time (a seekable stream rewinds), so a wrapped body can be replayed
/// exactly when the inner one can (<see cref="ReplayableContent"/> looks through it). The inner content is the
/// caller's request body: the request disposes it, not this wrapper.
/// </remarks>
internal sealed class UploadWatchingContent(HttpContent inner, Action progress) : WrappedContent(inner, static stream => stream, ownsInner: false)
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        => Inner.CopyToAsync(new ReportingStream(stream, _ => progress(), ownsInner: false), context, cancellationToken);
}
