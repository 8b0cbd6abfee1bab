using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// A request body sent as its inner content is, telling the attempt's time limit each time bytes go out: the
/// per-attempt limit then bounds a stall while sending (and the wait for the response after), not the length of
/// an upload whose bytes keep flowing.
/// </summary>
/// <remarks>
/// The inner content serializes itself each time (a seekable stream rewinds, bytes are sent again), so a wrapped
/// body can be replayed exactly when the inner one can (<see cref="ReplayableContent"/> looks through it).
/// </remarks>
internal sealed class UploadWatchingContent : CompatibleHttpContent
{
    private readonly Action _progress;

    public UploadWatchingContent(HttpContent inner, Action progress)
    {
        Inner = inner;
        _progress = progress;
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>The content sent.</summary>
    public HttpContent Inner { get; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // Not disposed: Stream's own Dispose closes nothing, and the transport's stream is not this wrapper's.
        var watched = new ProgressReportingStream(stream, _progress);
        await Inner.CopyToAsync(watched, context, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Inner.Headers.ContentLength ?? 0;
        return Inner.Headers.ContentLength is not null;
    }

    // The inner content is the caller's request body: the request disposes it, not this wrapper.

    /// <summary>A write-only pass-through that reports each write.</summary>
    private sealed class ProgressReportingStream(Stream inner, Action progress) : CompatibleStream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        // A seekable source may be written in one call (a MemoryStream copies its whole buffer at once): slices
        // of the same memory, no copy, each reported as it goes out.
        private const int Slice = 64 * 1024;

        public override void Write(byte[] buffer, int offset, int count)
        {
            for (var done = 0; done < count; done += Slice)
            {
                inner.Write(buffer, offset + done, Math.Min(Slice, count - done));
                progress();
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            for (var done = 0; done < buffer.Length; done += Slice)
            {
                await inner.WriteAsync(buffer.Slice(done, Math.Min(Slice, buffer.Length - done)), cancellationToken).ConfigureAwait(false);
                progress();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    }
}
