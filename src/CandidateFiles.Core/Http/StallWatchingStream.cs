using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// A read-only response stream that fails with a timeout when one read waits longer than a limit, so a
/// server that stops sending mid-body cannot hang a download forever. One timer source is reused for
/// every read (a download makes thousands of reads).
/// </summary>
internal sealed class StallWatchingStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _limit;
    private readonly Func<Exception> _onStall;
    private CancellationTokenSource _watch = new();

    public StallWatchingStream(Stream inner, TimeSpan limit, Func<Exception> onStall)
    {
        _inner = inner;
        _limit = limit;
        _onStall = onStall;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_watch.TryReset())
        {
            _watch.Dispose();
            _watch = new CancellationTokenSource();
        }

        _watch.CancelAfter(_limit);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _watch.Token) : null;
        try
        {
            return await _inner.ReadAsync(buffer, linked?.Token ?? _watch.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_watch.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw _onStall();
        }
        finally
        {
            _watch.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads go straight through (unwatched) rather than blocking on the async path.
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watch.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
