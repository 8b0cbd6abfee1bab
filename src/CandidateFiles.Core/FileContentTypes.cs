namespace CandidateFiles;

/// <summary>Infers a media type from a file name, for uploads where the caller does not give one.</summary>
internal static class FileContentTypes
{
    private const string Default = "application/octet-stream";

    private const string OpenXml = "application/vnd.openxmlformats-officedocument.";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif", [".bmp"] = "image/bmp",
        [".webp"] = "image/webp", [".psd"] = "image/psd", [".tif"] = "image/tiff", [".tiff"] = "image/tiff",
        [".pdf"] = "application/pdf", [".rtf"] = "application/rtf", [".txt"] = "text/plain", [".zip"] = "application/zip",
        [".odt"] = "application/vnd.oasis.opendocument.text", [".doc"] = "application/msword", [".xls"] = "application/vnd.ms-excel",
        [".ppt"] = "application/vnd.ms-powerpoint", [".docx"] = OpenXml + "wordprocessingml.document",
        [".xlsx"] = OpenXml + "spreadsheetml.sheet", [".pptx"] = OpenXml + "presentationml.presentation",
    };

    /// <summary>The media type for <paramref name="fileName"/>'s extension (a name or a path), or application/octet-stream.</summary>
    public static string FromFileName(string? fileName)
        => fileName is not null && ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : Default;

    /// <summary>Opens <paramref name="path"/> for an upload (<paramref name="parameterName"/> is the caller's, for the error).</summary>
    public static FileStream OpenForUpload(string path, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("Give the path of the file to upload.", parameterName);
        }

        return File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : throw new FileNotFoundException($"The file to upload does not exist: '{path}'.", path);
    }
}
