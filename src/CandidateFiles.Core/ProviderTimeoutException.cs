using System;

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

    /// <summary>
    /// A response body came slower than <see cref="TimeoutOptions.MinimumBytesPerSecond"/> over
    /// <see cref="TimeoutOptions.LowSpeedWindow"/> of waiting for it (curl's low-speed limit).
    /// </summary>
    BodyTooSlow,
}

/// <summary>
/// A provider call ran out of time. Caller cancellation is never reported this way: it stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class ProviderTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">Provider display name.</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Request path (no query).</param>
    /// <param name="kind">Which limit was hit.</param>
    /// <param name="attempt">The attempt that was running (1-based).</param>
    /// <param name="elapsed">Time spent, for the attempt or the call depending on <paramref name="kind"/>.</param>
    /// <param name="limit">The limit that was hit.</param>
    /// <param name="innerException">The cancellation that stopped the work.</param>
    public ProviderTimeoutException(string provider, string method, string path, ProviderTimeoutKind kind, int attempt, TimeSpan elapsed, TimeSpan limit, Exception? innerException = null)
        : base(Describe(provider, method, path, kind, attempt, elapsed, limit), innerException)
    {
        Provider = provider;
        RequestMethod = method;
        RequestPath = path;
        Kind = kind;
        Attempt = attempt;
        Elapsed = elapsed;
        Limit = limit;
    }

    /// <summary>Provider display name.</summary>
    public string Provider { get; }

    /// <summary>HTTP method.</summary>
    public string RequestMethod { get; }

    /// <summary>Request path (no query).</summary>
    public string RequestPath { get; }

    /// <summary>Which limit was hit.</summary>
    public ProviderTimeoutKind Kind { get; }

    /// <summary>The attempt that was running (1-based).</summary>
    public int Attempt { get; }

    /// <summary>Time spent.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The limit that was hit.</summary>
    public TimeSpan Limit { get; }

    private static string Describe(string provider, string method, string path, ProviderTimeoutKind kind, int attempt, TimeSpan elapsed, TimeSpan limit) => kind switch
    {
        ProviderTimeoutKind.Attempt => $"{provider} {method} {path}: attempt {attempt} got no response within {limit.TotalSeconds:0.###} s (TimeoutOptions.PerAttempt).",
        ProviderTimeoutKind.Overall => $"{provider} {method} {path}: no final response within {limit.TotalSeconds:0.###} s over {attempt} attempt(s) (TimeoutOptions.Overall); {elapsed.TotalSeconds:0.###} s elapsed.",
        ProviderTimeoutKind.BodyTooSlow => $"{provider} {method} {path}: the response body came slower than TimeoutOptions.MinimumBytesPerSecond over {limit.TotalSeconds:0.###} s of waiting (TimeoutOptions.LowSpeedWindow).",
        _ => $"{provider} {method} {path}: the response body stalled for {limit.TotalSeconds:0.###} s (TimeoutOptions.PerAttempt).",
    };
}
