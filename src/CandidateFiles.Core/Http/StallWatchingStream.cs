using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CandidateFiles;

/// <summary>
/// A response body that fails with a timeout when one read waits longer than the per-attempt limit, or when less
/// than <see cref="TimeoutOptions.MinimumBytesPerSecond"/> arrives over <see cref="TimeoutOptions.LowSpeedWindow"/>
/// of waiting. Time between reads is not counted: a slow consumer is not a stalled server.
/// </summary>
/// <remarks>
/// A download makes thousands of reads, so a read allocates nothing: one timer source for the stream's life,
/// armed only for a read that has to wait (a timer change takes the timer queue's lock); one source linking it to
/// the caller's token, kept while the caller passes the same token; a pooled state machine for waiting reads.
/// </remarks>
internal sealed class StallWatchingStream(Stream inner, TimeoutOptions timeouts, string provider, string method, Uri? uri, int attempt, CancellationTokenSource? watch)
    : CompatibleStream
{
    private readonly long _windowTicks = (long)(timeouts.LowSpeedWindow.TotalSeconds * Stopwatch.Frequency);
    private long _waitedTicks;
    private long _windowBytes;
    private CancellationTokenSource? _watch = watch;
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedTo;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The request's path for messages, made only when one is needed (no query: it can identify people).</summary>
    private string Path => ProviderResponseInfo.PathOf(uri) ?? "?";

    /// <summary>
    /// Wraps a success body in the watch; <paramref name="spare"/>, the finished attempt's reset timer source, is
    /// reused by the first stream made.
    /// </summary>
    public static void Watch(HttpResponseMessage response, TimeoutOptions timeouts, string provider, string method, Uri? uri, int attempt, CancellationTokenSource? spare)
    {
        if ((timeouts.PerAttempt == Timeout.InfiniteTimeSpan && timeouts.MinimumBytesPerSecond == 0) || response.Content is null)
        {
            spare?.Dispose();
            return;
        }

        response.Content = new WrappedContent(response.Content, body => new StallWatchingStream(body, timeouts, provider, method, uri, attempt, Interlocked.Exchange(ref spare, null)));
    }

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

        var read = inner.ReadAsync(buffer, token);
        if (!read.IsCompleted)
        {
            watch.CancelAfter(timeouts.PerAttempt);
            return WaitAsync(read, watch, cancellationToken);
        }

        if (timeouts.MinimumBytesPerSecond > 0 && read.IsCompletedSuccessfully)
        {
            // A ValueTask is consumed once: its result is read here and handed on as a value.
            var count = read.Result;
            _windowBytes += count;
            return new ValueTask<int>(count);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads go straight through (unwatched) rather than blocking on the async path.
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

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
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

#if NET // pooled builders are .NET 6+: a download's thousands of waiting reads allocate no state machine each
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> WaitAsync(ValueTask<int> read, CancellationTokenSource watch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        int count;
        try
        {
            count = await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (watch.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderTimeoutException(provider, method, Path, ProviderTimeoutKind.BodyStalled, attempt, timeouts.PerAttempt, timeouts.PerAttempt, ex);
        }
        finally
        {
            watch.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        // The low-speed window counts waiting time only; once full, too few bytes in it fail (the end of the body passes).
        _windowBytes += count;
        _waitedTicks += Stopwatch.GetTimestamp() - started;
        if (timeouts.MinimumBytesPerSecond > 0 && count > 0 && _waitedTicks >= _windowTicks)
        {
            var waited = TimeSpan.FromSeconds(_waitedTicks / (double)Stopwatch.Frequency);
            if (_windowBytes < timeouts.MinimumBytesPerSecond * waited.TotalSeconds)
            {
                throw new ProviderTimeoutException(provider, method, Path, ProviderTimeoutKind.BodyTooSlow, attempt, waited, waited);
            }

            (_waitedTicks, _windowBytes) = (0, 0);
        }

        return count;
    }
}
