using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// An upload source that reports, after every read, how many bytes have been read from where the upload
/// started. Seeking is passed through, so a retry that rewinds the stream (see <c>ReplayableContent</c>)
/// starts the count again, and a seekable source keeps its known length (the request keeps its
/// Content-Length and stays replayable). Disposing it disposes the source, as disposing the source
/// directly would.
/// </summary>
internal sealed class ProgressStream : CompatibleStream
{
    private readonly Stream _inner;
    private readonly IProgress<long> _progress;
    private readonly long _start;
    private long _read;

    public ProgressStream(Stream inner, IProgress<long> progress)
    {
        _inner = inner;
        _progress = progress;
        _start = inner.CanSeek ? inner.Position : 0;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override int Read(byte[] buffer, int offset, int count) => Report(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Report(_inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = _inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(Report(read.Result)) : AwaitAndReportAsync(read);
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

#if NET // pooled builders are .NET 6+; netstandard2.0's AsyncMethodBuilderAttribute does not apply to methods
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> AwaitAndReportAsync(ValueTask<int> read) => Report(await read.ConfigureAwait(false));

    private int Report(int read)
    {
        if (read > 0)
        {
            _read += read;
            _progress.Report(_inner.CanSeek ? _inner.Position - _start : _read);
        }

        return read;
    }
}
