namespace CandidateFiles;

/// <summary>
/// Time limits for the calls made inside a scope, in place of the client's <see cref="TimeoutOptions"/>: for one
/// long upload, or one call that must answer quickly, without a second client.
/// </summary>
/// <example>
/// <code>
/// using (CallTimeouts.Override(overall: TimeSpan.FromMinutes(30)))
/// {
///     await client.AttachFileAsync("wf010", stream, "scan.pdf");
/// }
/// </code>
/// </example>
/// <remarks>
/// The scope follows the code's async flow (an <see cref="AsyncLocal{T}"/>), so it covers every call awaited inside
/// the <c>using</c>, on any client, and nothing outside it; scopes nest, the inner one winning for what it sets.
/// </remarks>
public static class CallTimeouts
{
    private static readonly AsyncLocal<TimeoutOptions?> Current = new();

    /// <summary>Overrides the time limits of the calls made until the returned scope is disposed.</summary>
    /// <param name="overall">In place of <see cref="TimeoutOptions.Overall"/>; null keeps the client's (or the enclosing scope's).</param>
    /// <param name="perAttempt">In place of <see cref="TimeoutOptions.PerAttempt"/>; null keeps the client's (or the enclosing scope's).</param>
    /// <returns>The scope; dispose it to end the override.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public static IDisposable Override(TimeSpan? overall = null, TimeSpan? perAttempt = null)
    {
        Check(overall, nameof(overall));
        Check(perAttempt, nameof(perAttempt));
        var previous = Current.Value;
        Current.Value = new TimeoutOptions
        {
            Overall = overall ?? previous?.Overall ?? TimeSpan.Zero,
            PerAttempt = perAttempt ?? previous?.PerAttempt ?? TimeSpan.Zero,
        };
        return new Scope(previous);
    }

    /// <summary>The limits in force for the current call: <paramref name="configured"/>, or a copy with the scope's overrides.</summary>
    internal static TimeoutOptions Apply(TimeoutOptions configured)
    {
        if (Current.Value is not { } scope)
        {
            return configured;
        }

        return new TimeoutOptions
        {
            // TimeSpan.Zero marks "not overridden" (a zero limit is refused by Override).
            Overall = scope.Overall == TimeSpan.Zero ? configured.Overall : scope.Overall,
            PerAttempt = scope.PerAttempt == TimeSpan.Zero ? configured.PerAttempt : scope.PerAttempt,
            MinimumBytesPerSecond = configured.MinimumBytesPerSecond,
            LowSpeedWindow = configured.LowSpeedWindow,
        };
    }

    private static void Check(TimeSpan? limit, string name)
    {
        if (limit is { } value && value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "A time limit must be positive (or Timeout.InfiniteTimeSpan).");
        }
    }

    private sealed class Scope(TimeoutOptions? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
