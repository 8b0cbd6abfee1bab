using System.Diagnostics;

namespace CandidateFiles;

/// <summary>
/// The time limits of one call: its overall deadline, and what each attempt (or wait between attempts) may take
/// within it. The deadline runs on the real clock: a <see cref="TimeProvider"/> only paces the waits.
/// </summary>
internal readonly struct CallDeadline
{
    private readonly long? _end;

    public CallDeadline(TimeoutOptions timeouts)
    {
        Timeouts = timeouts;
        _end = timeouts.Overall == Timeout.InfiniteTimeSpan ? null : Stopwatch.GetTimestamp() + (long)(timeouts.Overall.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The limits in force for this call (the client's, or a <see cref="CallTimeouts"/> scope's).</summary>
    public TimeoutOptions Timeouts { get; }

    /// <summary>What is left of the overall limit (never negative); infinite when there is none.</summary>
    public TimeSpan Remaining => _end is null ? Timeout.InfiniteTimeSpan : Next(Timeout.InfiniteTimeSpan).Limit is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero;

    /// <summary>The limit of the next attempt: the per-attempt one, or the overall deadline's rest when that ends first.</summary>
    public (TimeSpan Limit, bool OverallEndsFirst) Next() => Next(Timeouts.PerAttempt);

    private (TimeSpan Limit, bool OverallEndsFirst) Next(TimeSpan own)
    {
        if (_end is not { } end)
        {
            return (own, false);
        }

        var rest = TimeSpan.FromSeconds((end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        return own == Timeout.InfiniteTimeSpan || rest <= own ? (rest, true) : (own, false);
    }
}
