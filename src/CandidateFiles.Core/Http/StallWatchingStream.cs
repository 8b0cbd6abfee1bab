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
/// life, armed for each read that has to wait and disarmed after it; one source linking it to the
/// caller's token, kept while the caller passes the same token; reads that complete at once return
/// without an async state machine or a timer change, and the others use a pooled state machine.
/// </remarks>
internal sealed class StallWatchingStream : CompatibleStream
{
    private readonly Stream _inner;
    private readonly TimeSpan _limit;
    private readonly string _provider;
    private readonly string _method;
    private readonly Uri? _uri;
    private readonly int _attempt;
    private readonly long _minimumBytesPerSecond;
    private readonly long _windowTicks;
    private long _waitedTicks;
    private long _windowBytes;
    private CancellationTokenSource? _watch;
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedTo;

    // watch: a reset timer source to use (the finished attempt's, handed on), or null to make one on the first read.
    // minimumBytesPerSecond/lowSpeedWindow: the low-speed limit (0 turns it off), over time spent waiting in reads.
    public StallWatchingStream(Stream inner, TimeSpan limit, string provider, string method, Uri? uri, int attempt, CancellationTokenSource? watch = null, int minimumBytesPerSecond = 0, TimeSpan lowSpeedWindow = default)
    {
        _minimumBytesPerSecond = minimumBytesPerSecond;
        _windowTicks = (long)(lowSpeedWindow.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _watch = watch;
        _inner = inner;
        _limit = limit;
        _provider = provider;
        _method = method;
        _uri = uri;
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

        // The timer is armed only for a read that has to wait: one served from data already received
        // completes here and touches no timer (a timer change takes the timer queue's lock, and on Unix
        // an earlier due time wakes the timer thread). A waiting read is watched from this instant on.
        var read = _inner.ReadAsync(buffer, token);
        if (read.IsCompleted)
        {
            if (_minimumBytesPerSecond > 0 && read.IsCompletedSuccessfully)
            {
                _windowBytes += read.Result;
            }

            return read;
        }

        watch.CancelAfter(_limit);
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

#if NET // pooled builders are .NET 6+; netstandard2.0's AsyncMethodBuilderAttribute does not apply to methods
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> WaitAsync(ValueTask<int> read, CancellationTokenSource watch, CancellationToken cancellationToken)
    {
        var started = _minimumBytesPerSecond > 0 ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        int count;
        try
        {
            count = await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (watch.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderTimeoutException(_provider, _method, _uri?.IsAbsoluteUri == true ? _uri.AbsolutePath : "?", ProviderTimeoutKind.BodyStalled, _attempt, _limit, _limit, ex);
        }
        finally
        {
            watch.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        if (_minimumBytesPerSecond > 0)
        {
            CheckSpeed(count, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }

        return count;
    }

    /// <summary>
    /// Counts a waited read towards the low-speed window; once the window's waiting time is full, fails when fewer
    /// bytes than the minimum rate came in it, and starts the next window otherwise. The end of the body passes.
    /// </summary>
    private void CheckSpeed(int count, long waitedTicks)
    {
        _windowBytes += count;
        _waitedTicks += waitedTicks;
        if (count == 0 || _waitedTicks < _windowTicks)
        {
            return;
        }

        var waited = TimeSpan.FromSeconds(_waitedTicks / (double)System.Diagnostics.Stopwatch.Frequency);
        if (_windowBytes < _minimumBytesPerSecond * waited.TotalSeconds)
        {
            throw new ProviderTimeoutException(_provider, _method, _uri?.IsAbsoluteUri == true ? _uri.AbsolutePath : "?", ProviderTimeoutKind.BodyTooSlow, _attempt, waited, waited);
        }

        _waitedTicks = 0;
        _windowBytes = 0;
    }
}
