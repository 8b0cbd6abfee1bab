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
internal sealed class UploadWatchingContent : CompatibleHttpContent
{
    private readonly Action _progress;

    public UploadWatchingContent(HttpContent inner, Action progress)
    {
        (Inner, _progress) = (inner, progress);
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    public HttpContent Inner { get; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        => Inner.CopyToAsync(new ReportingStream(stream, _ => _progress(), ownsInner: false), context, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = Inner.Headers.ContentLength ?? 0;
        return Inner.Headers.ContentLength is not null;
    }
}
