using System;

namespace CandidateFiles.Sandbox;

/// <summary>Knobs of the sandbox. Every default matches the documented provider behaviour.</summary>
public sealed class SandboxOptions
{
    /// <summary>Clock for token expiry and hh.ru artifact processing. Tests swap in a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lifetime of 104 OAuth access tokens (<c>expires_in</c>) and of HR Max access tokens. Default one hour.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>HR Max: largest accepted <c>attachment</c> file, in bytes; larger gives 450 "File too large". Default 10 MiB.</summary>
    public long HrMaxMaxUploadBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>hh.ru: largest accepted artifact file, in bytes; larger gives 400 <c>artifacts/image_too_large</c>. Default 6291456.</summary>
    public long HhMaxImageBytes { get; set; } = 6_291_456;

    /// <summary>hh.ru: largest accepted <c>POST /artifacts</c> request body, in bytes; larger gives 413. Default 8 MiB.</summary>
    public long HhMaxRequestBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>hh.ru: how long (by <see cref="TimeProvider"/>) an uploaded artifact stays <c>processing</c>. Default 300 ms.</summary>
    public TimeSpan HhProcessingDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>hh.ru: most artifacts of one type (photo, portfolio) one user may have, as the conditions endpoints report; one more gives <c>artifacts/limit_exceeded</c>. Default 20.</summary>
    public int HhMaxArtifactsPerUser { get; set; } = 20;

    /// <summary>How many requests <see cref="SandboxState.Requests"/> keeps (oldest dropped first). Default 10000.</summary>
    public int MaxLoggedRequests { get; set; } = 10_000;

    /// <summary>
    /// When a request body breaks a limit, the sandbox reads and discards at most this many further bytes
    /// before answering, so a client still uploading sees the error response instead of a reset connection.
    /// Default 256 MiB.
    /// </summary>
    public long MaxDrainBytes { get; set; } = 256L * 1024 * 1024;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(TokenLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(HrMaxMaxUploadBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(HhMaxImageBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(HhMaxRequestBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(HhProcessingDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(HhMaxArtifactsPerUser);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxLoggedRequests);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDrainBytes);
    }
}
