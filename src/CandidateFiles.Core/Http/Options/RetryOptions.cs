namespace CandidateFiles;

/// <summary>Retry settings of a client. Defaults suit interactive use; every value can be changed.</summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt (default 3; 0 turns retries off).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; doubles each retry, with full jitter (default 500 ms).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest single wait, whether computed or asked for by <c>Retry-After</c> (default 30 s). A server
    /// asking for longer is waited on only this long before the next attempt.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate(Func<string, string, ArgumentException> invalid)
    {
        if (MaxRetries is < 0 or > 20)
        {
            throw invalid("Retry.MaxRetries", $"must be between 0 and 20, not {MaxRetries}.");
        }

        if (BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw invalid("Retry.BaseDelay", "must be zero or more, and not above Retry.MaxDelay.");
        }
    }
}
