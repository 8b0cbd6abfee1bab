namespace CandidateFiles;

/// <summary>Time limits of a client.</summary>
public sealed class TimeoutOptions
{
    /// <summary>
    /// Longest one attempt may wait (default 100 s): while its request body is sent, for the next bytes to go
    /// out (each write restarts the clock, so a large upload that keeps flowing is never cut, however long it
    /// takes); then for the response headers after the body is sent; then, between two reads, for the response
    /// body. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns it off. <see cref="Overall"/> still bounds the call.
    /// </summary>
    public TimeSpan PerAttempt { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Longest a call may take across all attempts and waits until its final response headers
    /// (default 5 min). The body transfer after that is bounded by <see cref="PerAttempt"/> between
    /// reads, so a large download can take as long as it needs while data keeps flowing.
    /// </summary>
    public TimeSpan Overall { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Slowest a response body may come, in bytes per second averaged over <see cref="LowSpeedWindow"/> (default
    /// 1024; 0 turns it off), as curl's low-speed limit: a server trickling a byte a second never stalls long
    /// enough for <see cref="PerAttempt"/>, but is cut here. Only time spent waiting for the server counts, not
    /// time the caller spends between reads, so a slow consumer is never cut. Applies to downloads handed to
    /// the caller too (a <see cref="FileResponse"/> stream, <c>SaveToFileAsync</c>).
    /// </summary>
    public int MinimumBytesPerSecond { get; set; } = 1024;

    /// <summary>Waiting time over which <see cref="MinimumBytesPerSecond"/> is averaged (default 30 s).</summary>
    public TimeSpan LowSpeedWindow { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate(Func<string, string, ArgumentException> invalid)
    {
        if (MinimumBytesPerSecond < 0)
        {
            throw invalid("Timeouts.MinimumBytesPerSecond", $"must be zero (off) or more, not {MinimumBytesPerSecond}.");
        }

        if (LowSpeedWindow <= TimeSpan.Zero)
        {
            throw invalid("Timeouts.LowSpeedWindow", "must be positive.");
        }

        if (PerAttempt <= TimeSpan.Zero && PerAttempt != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw invalid("Timeouts.PerAttempt", "must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (Overall <= TimeSpan.Zero && Overall != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw invalid("Timeouts.Overall", "must be positive (or Timeout.InfiniteTimeSpan).");
        }
    }
}
