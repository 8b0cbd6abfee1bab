using System;
using System.Collections.Generic;
using System.Linq;

namespace CandidateFiles.HeadHunter;

/// <summary>
/// What a new artifact of one type must meet, as hh.ru's <c>GET /artifacts/photo/conditions</c> or
/// <c>GET /artifacts/portfolio/conditions</c> answered (or, when that call failed, the values hh.ru
/// documents: see <see cref="IsDocumentedDefault"/>). The client checks uploads and description edits
/// against these before sending.
/// </summary>
public sealed class HeadHunterUploadConditions
{
    /// <summary>Creates the conditions.</summary>
    /// <param name="type">The artifact type they are for.</param>
    /// <param name="maxFileBytes">Largest file, in bytes (<c>fields.file.max_size</c>).</param>
    /// <param name="mediaTypes">Accepted media types of the file (<c>fields.file.mime_type</c>).</param>
    /// <param name="descriptionMinLength">Shortest description, in characters (<c>fields.description.min_length</c>).</param>
    /// <param name="descriptionMaxLength">Longest description, in characters (<c>fields.description.max_length</c>).</param>
    /// <param name="descriptionRequired">Whether a description is required (<c>fields.description.required</c>).</param>
    /// <param name="maxArtifacts">Most artifacts of the type (<c>counters.max</c>).</param>
    /// <param name="uploaded">Artifacts of the type already uploaded (<c>counters.uploaded</c>; 0 when unknown).</param>
    /// <param name="isDocumentedDefault">True when these are hh.ru's documented values because the call failed.</param>
    /// <param name="retrievedAt">When they were fetched (or the fallback was made).</param>
    public HeadHunterUploadConditions(ArtifactType type, long maxFileBytes, IEnumerable<string> mediaTypes, int descriptionMinLength, int descriptionMaxLength, bool descriptionRequired, int maxArtifacts, int uploaded, bool isDocumentedDefault, DateTimeOffset retrievedAt)
    {
        ArgumentNullException.ThrowIfNull(mediaTypes);
        Type = type;
        MaxFileBytes = maxFileBytes;
        MediaTypes = mediaTypes.ToArray();
        DescriptionMinLength = descriptionMinLength;
        DescriptionMaxLength = descriptionMaxLength;
        DescriptionRequired = descriptionRequired;
        MaxArtifacts = maxArtifacts;
        Uploaded = uploaded;
        IsDocumentedDefault = isDocumentedDefault;
        RetrievedAt = retrievedAt;
    }

    /// <summary>The artifact type these conditions are for.</summary>
    public ArtifactType Type { get; }

    /// <summary>Largest file, in bytes.</summary>
    public long MaxFileBytes { get; }

    /// <summary>Accepted media types of the file (for example image/jpeg, image/png, image/psd).</summary>
    public IReadOnlyList<string> MediaTypes { get; }

    /// <summary>Shortest description, in characters.</summary>
    public int DescriptionMinLength { get; }

    /// <summary>Longest description, in characters.</summary>
    public int DescriptionMaxLength { get; }

    /// <summary>Whether an upload of this type needs a description.</summary>
    public bool DescriptionRequired { get; }

    /// <summary>Most artifacts of this type the applicant may have.</summary>
    public int MaxArtifacts { get; }

    /// <summary>Artifacts of this type the applicant has (counting uploads made through this client since; 0 when unknown).</summary>
    public int Uploaded { get; }

    /// <summary>How many more may be uploaded now (never negative).</summary>
    public int Remaining => Math.Max(0, MaxArtifacts - Uploaded);

    /// <summary>
    /// True when hh.ru could not be asked and these are the values it documents (6291456 bytes; JPEG, PNG,
    /// PSD; 255 characters; 20 artifacts, none counted as uploaded), taken from
    /// <see cref="HeadHunterClientOptions.MaxImageBytes"/> and <see cref="HeadHunterClientOptions.AcceptedImageTypes"/>.
    /// </summary>
    public bool IsDocumentedDefault { get; }

    /// <summary>When these conditions were fetched, or when the fallback was made.</summary>
    public DateTimeOffset RetrievedAt { get; }

    /// <summary>Whether <paramref name="mediaType"/> is accepted (case-insensitive; image/jpg counts as image/jpeg).</summary>
    /// <param name="mediaType">A bare media type, such as image/png.</param>
    /// <returns>Whether a file of that type may be uploaded.</returns>
    public bool Accepts(string? mediaType)
    {
        if (mediaType is null)
        {
            return false;
        }

        var canonical = Canonical(mediaType);
        return MediaTypes.Any(accepted => string.Equals(Canonical(accepted), canonical, StringComparison.OrdinalIgnoreCase));
    }

    internal HeadHunterUploadConditions WithOneMoreUploaded()
        => new(Type, MaxFileBytes, MediaTypes, DescriptionMinLength, DescriptionMaxLength, DescriptionRequired, MaxArtifacts, IsDocumentedDefault ? Uploaded : Uploaded + 1, IsDocumentedDefault, RetrievedAt);

    // "image/jpg" is not a registered type, but files get labelled with it; hh.ru lists image/jpeg.
    private static string Canonical(string mediaType)
        => string.Equals(mediaType, "image/jpg", StringComparison.OrdinalIgnoreCase) ? "image/jpeg" : mediaType;

    /// <inheritdoc />
    public override string ToString()
        => $"{Type}: file at most {MaxFileBytes} bytes ({string.Join(", ", MediaTypes)}), description {DescriptionMinLength}-{DescriptionMaxLength} characters{(DescriptionRequired ? " (required)" : string.Empty)}, {Uploaded} of {MaxArtifacts} uploaded{(IsDocumentedDefault ? " (documented defaults: hh.ru could not be asked)" : string.Empty)}";
}
