using System.Runtime.CompilerServices;

namespace CandidateFiles;

/// <summary>
/// A pass-through stream that reports every read and every write (in slices of at most 64 KiB, so a seekable
/// source written in one call still reports as it goes out). Seeking passes through, so a retry that rewinds an
/// upload source (see <see cref="ReplayableContent"/>) keeps its known length and stays replayable.
/// </summary>
internal sealed class ReportingStream(Stream inner, Action<int> transferred, bool ownsInner = true) : CompatibleStream
{
    private const int Slice = 64 * 1024;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    /// <summary>
    /// An upload source that reports, after every read, the bytes read since the upload started (from the
    /// position it started at when the source can seek, so a retry counts again from there).
    /// </summary>
    public static Stream WithProgress(Stream source, IProgress<long> progress)
    {
        var start = source.CanSeek ? source.Position : 0;
        long read = 0;
        return new ReportingStream(source, count =>
        {
            read += count;
            progress.Report(source.CanSeek ? source.Position - start : read);
        });
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Report(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Report(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(Report(read.Result)) : ReportAsync(read);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        for (var done = 0; done < count; done += Slice)
        {
            var slice = Math.Min(Slice, count - done);
            inner.Write(buffer, offset + done, slice);
            transferred(slice);
        }
    }

    // A 256 MiB upload makes thousands of writes that wait: a pooled state machine keeps them from allocating one
    // each (the benchmark's upload rows show it).
#if NET // pooled builders are .NET 6+
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var done = 0; done < buffer.Length; done += Slice)
        {
            var slice = Math.Min(Slice, buffer.Length - done);
            await inner.WriteAsync(buffer.Slice(done, slice), cancellationToken).ConfigureAwait(false);
            transferred(slice);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> ReportAsync(ValueTask<int> read) => Report(await read.ConfigureAwait(false));

    private int Report(int read)
    {
        if (read > 0)
        {
            transferred(read);
        }

        return read;
    }
}
