using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// A read-only response stream that fails with a timeout when one read waits longer than a limit, so a
/// server that stops sending mid-body cannot hang a download forever. Time between reads is not
/// counted (a slow consumer is not a stalled server).
/// </summary>
/// <remarks>
/// A download makes thousands of reads, so a read allocates nothing: one timer source for the stream's
/// life, armed before each read and disarmed after it; one source linking it to the caller's token,
/// kept while the caller passes the same token; reads that complete at once return without an async
/// state machine, and the others use a pooled one.
/// </remarks>
internal sealed class StallWatchingStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _limit;
    private readonly string _provider;
    private readonly string _method;
    private readonly string _path;
    private readonly int _attempt;
    private CancellationTokenSource? _watch;
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedTo;

    public StallWatchingStream(Stream inner, TimeSpan limit, string provider, string method, string path, int attempt)
    {
        _inner = inner;
        _limit = limit;
        _provider = provider;
        _method = method;
        _path = path;
        _attempt = attempt;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var watch = _watch;
        if (watch is null || watch.IsCancellationRequested)
        {
            // First read, or the one after a stall was reported: a fresh timer source.
            watch?.Dispose();
            _linked?.Dispose();
            _linked = null;
            _watch = watch = new CancellationTokenSource();
        }

        var token = watch.Token;
        if (cancellationToken.CanBeCanceled)
        {
            if (_linked is null || _linkedTo != cancellationToken)
            {
                _linked?.Dispose();
                _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, token);
                _linkedTo = cancellationToken;
            }

            token = _linked.Token;
        }

        watch.CancelAfter(_limit);
        ValueTask<int> read;
        try
        {
            read = _inner.ReadAsync(buffer, token);
        }
        catch
        {
            watch.CancelAfter(Timeout.InfiniteTimeSpan);
            throw;
        }

        if (read.IsCompletedSuccessfully)
        {
            watch.CancelAfter(Timeout.InfiniteTimeSpan);
            return read;
        }

        return WaitAsync(read, watch, cancellationToken);
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
            _linked?.Dispose();
            _watch?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WaitAsync(ValueTask<int> read, CancellationTokenSource watch, CancellationToken cancellationToken)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (watch.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderTimeoutException(_provider, _method, _path, ProviderTimeoutKind.BodyStalled, _attempt, _limit, _limit, ex);
        }
        finally
        {
            watch.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }
}
