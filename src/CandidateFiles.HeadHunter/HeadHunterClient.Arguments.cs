using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.HeadHunter;

/// <summary>
/// hh.ru's rules for the calls' arguments that its spec cannot state: uploads and description edits are checked
/// against the type's upload conditions (which hh.ru is asked for, then kept), before the request exists. A blank or
/// dot-segment id, a negative page, a perPage outside 1 to 100, an unknown type, a missing file and a description over
/// 255 characters are refused before this, by the guards specs/headhunter.yaml gives the generated methods.
/// </summary>
public partial class HeadHunterClient
{
    partial void CheckUploadArtifactArguments(ArtifactType? type, string? description, FileParameter file, CancellationToken cancellationToken, ref Task? providerCheck)
        => providerCheck = CheckUploadAsync(type!.Value, description, file, cancellationToken);

    // Only portfolio artifacts carry a description, so the portfolio conditions bound it.
    partial void CheckUpdateArtifactArguments(string id, string? description, CancellationToken cancellationToken, ref Task? providerCheck)
        => providerCheck = CheckEditedDescriptionAsync(description, cancellationToken);

    private async Task CheckUploadAsync(ArtifactType type, string? description, FileParameter file, CancellationToken cancellationToken)
    {
        var conditions = await GetUploadConditionsAsync(type, cancellationToken).ConfigureAwait(false);
        CheckDescription(description, conditions);
        CheckImage(file, conditions);
        if (!conditions.IsDocumentedDefault && conditions.Remaining == 0)
        {
            throw InvalidArgument.For("type", $"The applicant already has {conditions.Uploaded} {TypeName(type)} artifacts, the most hh.ru allows ({conditions.MaxArtifacts}). Delete one before uploading another.");
        }
    }

    private async Task CheckEditedDescriptionAsync(string? description, CancellationToken cancellationToken)
        => CheckDescription(description, await GetUploadConditionsAsync(ArtifactType.Portfolio, cancellationToken).ConfigureAwait(false));

    private static void CheckDescription(string? description, HeadHunterUploadConditions conditions)
    {
        if (description is null)
        {
            if (conditions.DescriptionRequired)
            {
                throw InvalidArgument.For("description", $"hh.ru requires a description for {TypeName(conditions.Type)} artifacts: pass one ({conditions.DescriptionMinLength} to {conditions.DescriptionMaxLength} characters).");
            }

            return;
        }

        if (description.Length > conditions.DescriptionMaxLength)
        {
            throw InvalidArgument.For("description", $"description is {description.Length} characters; hh.ru accepts at most {conditions.DescriptionMaxLength}. Shorten it.");
        }

        if (description.Length < conditions.DescriptionMinLength)
        {
            throw InvalidArgument.For("description", $"description is {description.Length} characters; hh.ru wants at least {conditions.DescriptionMinLength}. Lengthen it.");
        }
    }

    private static void CheckImage(FileParameter file, HeadHunterUploadConditions conditions)
    {
        // A file without a media type goes labelled from its file name (PrepareRequestAsync), as hh.ru judges the format by it.
        var mediaType = UploadMediaType(file.ContentType, file.FileName);
        if (!conditions.Accepts(mediaType))
        {
            throw InvalidArgument.For("file", $"hh.ru accepts {string.Join(", ", conditions.MediaTypes)} images for {TypeName(conditions.Type)} artifacts; this file is {mediaType ?? "of no known type"}. Convert it, or give the right content type.");
        }

        // What StreamContent will declare as Content-Length: the rest of a seekable stream.
        if (file.Data.CanSeek && file.Data.Length - file.Data.Position is var length && length > conditions.MaxFileBytes)
        {
            throw InvalidArgument.For("file", $"The image is {length} bytes; hh.ru accepts at most {conditions.MaxFileBytes} bytes for {TypeName(conditions.Type)} artifacts. Make it smaller.");
        }
    }

    private static string? UploadMediaType(string? contentType, string? fileName)
        => string.IsNullOrEmpty(contentType)
            ? FileContentTypes.FromFileName(fileName)
            : System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : contentType;
}
