namespace CandidateFiles;

/// <summary>
/// Shows the caller which success status a provider answered, for calls that return only a model.
/// A provider may answer a 2xx its documentation does not list (an upload answering 200 where 201 is
/// documented, 204 where 200 is): the SDK accepts any 2xx whose body reads as the documented result, and
/// this is where its status stays visible. File downloads carry it as <see cref="FileResponse.StatusCode"/>.
/// </summary>
/// <example>
/// <code>
/// using var capture = ProviderResponseCapture.Start();
/// var artifact = await client.UploadArtifactAsync(ArtifactType.Photo, stream, "me.jpg");
/// if (capture.StatusCode != 201) { /* the provider answered another success status */ }
/// </code>
/// </example>
/// <remarks>
/// Scoped to the current async flow: calls made inside <c>using</c> (and in tasks started from it) record here,
/// concurrent calls in other flows do not. Scopes nest; the innermost one records. Records success statuses
/// only: a failure is a <see cref="ProviderApiException"/> carrying its own status.
/// </remarks>
public sealed class ProviderResponseCapture : IDisposable
{
    private static readonly AsyncLocal<ProviderResponseCapture?> Current = new();

    private readonly ProviderResponseCapture? _outer;
    private int _statusCode;
    private int _count;
    private bool _disposed;

    private ProviderResponseCapture(ProviderResponseCapture? outer) => _outer = outer;

    /// <summary>The success status of the last provider response in this scope, or null when none arrived yet.</summary>
    public int? StatusCode => Volatile.Read(ref _count) == 0 ? null : Volatile.Read(ref _statusCode);

    /// <summary>How many successful provider responses arrived in this scope (retries count once, as one response).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts recording success statuses of the provider calls made in this async flow until disposed.</summary>
    /// <returns>The scope; dispose it to stop recording.</returns>
    public static ProviderResponseCapture Start()
    {
        var capture = new ProviderResponseCapture(Current.Value);
        Current.Value = capture;
        return capture;
    }

    /// <summary>Stops recording; the statuses seen so far stay readable.</summary>
    public void Dispose()
    {
        // A second dispose, possibly from another async flow, must not reset that flow's scope.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (ReferenceEquals(Current.Value, this))
        {
            Current.Value = _outer;
        }
    }

    /// <summary>Called for every success response a provider client accepts.</summary>
    internal static void Record(int statusCode)
    {
        var capture = Current.Value;
        while (capture is { _disposed: true })
        {
            capture = capture._outer;
        }

        if (capture is not null)
        {
            Volatile.Write(ref capture._statusCode, statusCode);
            Interlocked.Increment(ref capture._count);
        }
    }
}
