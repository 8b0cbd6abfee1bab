using System;

namespace CandidateFiles.HeadHunter;

/// <summary>hh.ru finished processing an uploaded artifact with state <c>failed</c> (usually: not a usable image).</summary>
public sealed class ArtifactProcessingFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="artifact">The artifact as last listed.</param>
    public ArtifactProcessingFailedException(Artifact artifact)
        : base($"hh.ru could not process artifact {artifact?.Id} (state failed: {artifact?.State?.Name}); the file is probably not a JPEG, PNG or PSD image. Delete it and upload another file.")
    {
        Artifact = artifact ?? throw new ArgumentNullException(nameof(artifact));
    }

    /// <summary>The artifact as last listed.</summary>
    public Artifact Artifact { get; }
}
