namespace CandidateFiles;

/// <summary>
/// The time limit of one attempt: one cancellation source, linked to the caller's token by a registration rather
/// than a linked source, so that once the attempt is over it can be reset and handed to the body's stall watch
/// (one source and one timer per call instead of two).
/// </summary>
internal sealed class AttemptTimer : IDisposable
{
    private CancellationTokenSource? _source;
    private CancellationTokenRegistration _callerLink;

    private AttemptTimer(CancellationTokenSource source, TimeSpan limit, CancellationToken caller)
    {
        _source = source;
        _callerLink = caller.CanBeCanceled ? caller.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source) : default;
        source.CancelAfter(limit);
    }

    /// <summary>The attempt's token (the caller's included).</summary>
    public CancellationToken Token => _source!.Token;

    /// <summary>Whether the limit (or the caller) cancelled the attempt.</summary>
    public bool Fired => _source?.IsCancellationRequested == true;

    /// <summary>A timer for <paramref name="limit"/>, or null when the attempt is unlimited (then the caller's token alone applies).</summary>
    public static AttemptTimer? Start(TimeSpan limit, CancellationToken caller)
        => limit == Timeout.InfiniteTimeSpan ? null : new AttemptTimer(new CancellationTokenSource(), limit, caller);

    /// <summary>Starts the limit again (never negative): each write of an upload does, so a body that keeps flowing is never cut.</summary>
    public void Restart(TimeSpan limit) => _source?.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.Zero);

    /// <summary>Ends the caller's link; the source stays until handed off or disposed.</summary>
    public void Unlink() => _callerLink.Dispose();

    /// <summary>The source, reset for the body's stall watch to reuse its timer; null (and disposed) when it fired late.</summary>
    public CancellationTokenSource? HandOff()
    {
        var source = Interlocked.Exchange(ref _source, null);
        if (source is not null && !source.TryReset())
        {
            source.Dispose();
            return null;
        }

        return source;
    }

    public void Dispose()
    {
        _callerLink.Dispose();
        Interlocked.Exchange(ref _source, null)?.Dispose();
    }
}
