namespace CandidateFiles;

/// <summary>Which limit a <see cref="ProviderTimeoutException"/> hit.</summary>
public enum ProviderTimeoutKind
{
    /// <summary>One attempt got no response headers within <see cref="TimeoutOptions.PerAttempt"/>.</summary>
    Attempt,

    /// <summary>The call as a whole passed <see cref="TimeoutOptions.Overall"/>.</summary>
    Overall,

    /// <summary>A response body stalled longer than <see cref="TimeoutOptions.PerAttempt"/> between two reads.</summary>
    BodyStalled,

    /// <summary>A response body came slower than <see cref="TimeoutOptions.MinimumBytesPerSecond"/> over <see cref="TimeoutOptions.LowSpeedWindow"/> of waiting (curl's low-speed limit).</summary>
    BodyTooSlow,
}

/// <summary>A provider call ran out of time. Caller cancellation is never reported this way: it stays an <see cref="OperationCanceledException"/>.</summary>
/// <param name="provider">Provider display name.</param>
/// <param name="method">HTTP method.</param>
/// <param name="path">Request path (no query).</param>
/// <param name="kind">Which limit was hit.</param>
/// <param name="attempt">The attempt that was running (1-based).</param>
/// <param name="elapsed">Time spent, for the attempt or the call depending on <paramref name="kind"/>.</param>
/// <param name="limit">The limit that was hit.</param>
/// <param name="innerException">The cancellation that stopped the work.</param>
public sealed class ProviderTimeoutException(string provider, string method, string path, ProviderTimeoutKind kind, int attempt, TimeSpan elapsed, TimeSpan limit, Exception? innerException = null)
    : TimeoutException(Describe(provider, method, path, kind, attempt, elapsed, limit), innerException)
{
    /// <summary>Provider display name.</summary>
    public string Provider { get; } = provider;

    /// <summary>HTTP method.</summary>
    public string RequestMethod { get; } = method;

    /// <summary>Request path (no query).</summary>
    public string RequestPath { get; } = path;

    /// <summary>Which limit was hit.</summary>
    public ProviderTimeoutKind Kind { get; } = kind;

    /// <summary>The attempt that was running (1-based).</summary>
    public int Attempt { get; } = attempt;

    /// <summary>Time spent.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>The limit that was hit.</summary>
    public TimeSpan Limit { get; } = limit;

    private static string Describe(string provider, string method, string path, ProviderTimeoutKind kind, int attempt, TimeSpan elapsed, TimeSpan limit) => $"{provider} {method} {path}: " + kind switch
    {
        ProviderTimeoutKind.Attempt => $"attempt {attempt} got no response within {limit.TotalSeconds:0.###} s (TimeoutOptions.PerAttempt).",
        ProviderTimeoutKind.Overall => $"no final response within {limit.TotalSeconds:0.###} s over {attempt} attempt(s) (TimeoutOptions.Overall); {elapsed.TotalSeconds:0.###} s elapsed.",
        ProviderTimeoutKind.BodyTooSlow => $"the response body came slower than TimeoutOptions.MinimumBytesPerSecond over {limit.TotalSeconds:0.###} s of waiting (TimeoutOptions.LowSpeedWindow).",
        _ => $"the response body stalled for {limit.TotalSeconds:0.###} s (TimeoutOptions.PerAttempt).",
    };
}
