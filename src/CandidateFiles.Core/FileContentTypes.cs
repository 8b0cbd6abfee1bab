using System;
using System.Collections.Generic;
using System.IO;

namespace CandidateFiles;

/// <summary>Infers a media type from a file name, for uploads where the caller does not give one.</summary>
internal static class FileContentTypes
{
    /// <summary>Media type used when the extension is unknown.</summary>
    public const string Default = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".bmp"] = "image/bmp",
        [".webp"] = "image/webp",
        [".psd"] = "image/psd",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
        [".pdf"] = "application/pdf",
        [".doc"] = "application/msword",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xls"] = "application/vnd.ms-excel",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".ppt"] = "application/vnd.ms-powerpoint",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".txt"] = "text/plain",
        [".rtf"] = "application/rtf",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".zip"] = "application/zip",
    };

    /// <summary>The media type for <paramref name="fileName"/>'s extension, or <see cref="Default"/>.</summary>
    /// <param name="fileName">A file name or path.</param>
    /// <returns>The media type.</returns>
    public static string FromFileName(string? fileName)
        => fileName is not null && ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : Default;

    /// <summary>Opens <paramref name="path"/> for an upload: asynchronous, sequential, shareable for reading.</summary>
    /// <param name="path">The file to upload.</param>
    /// <param name="parameterName">The caller's parameter name, for the error message.</param>
    /// <returns>The open stream.</returns>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static FileStream OpenForUpload(string path, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("Give the path of the file to upload.", parameterName);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file to upload does not exist: '{path}'.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }
}
