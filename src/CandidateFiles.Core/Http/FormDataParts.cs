using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

namespace CandidateFiles;

/// <summary>
/// Adds parts to a multipart/form-data body with the <c>Content-Disposition</c> browsers and curl write:
/// every parameter quoted (<c>form-data; name="attachment"; filename="x.pdf"</c>). The generated clients
/// call it for every part (build/nswag/templates/Client.Class.liquid) instead of
/// <see cref="MultipartFormDataContent.Add(HttpContent, string, string)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why not .NET's own <c>Add</c>: it writes a name or file name that is a valid token unquoted
/// (<c>name=attachment; filename=x.pdf</c>). RFC 7578 allows that, but servers' multipart parsers are
/// written against what browsers send, and some read only quoted values (Prism's validator crashes on it).
/// </para>
/// <para>
/// A file name that is not printable ASCII is sent twice: <c>filename="..."</c> with an ASCII fallback
/// (accents dropped, other characters replaced by <c>_</c>) and <c>filename*=utf-8''...</c> (RFC 5987/6266
/// percent-encoded UTF-8), in that order. The encoded form is what multipart servers built on busboy 1.x
/// (multer 2.x, Express) decode to the exact name: busboy prefers <c>filename*</c> when both are present,
/// while a raw UTF-8 <c>filename="請假單.pdf"</c>, which browsers send, is decoded by busboy as Latin-1 and
/// stored as mojibake. RFC 7578 (section 4.2) says form-data should not use <c>filename*</c>; it is sent
/// anyway because for busboy it is the only form that arrives exact, and a server that follows RFC 7578
/// to the letter ignores it and reads the fallback, which is readable rather than percent-escapes or a MIME
/// word (.NET's own fallback is <c>=?utf-8?B?...?=</c>). The contract tests prove both against a real
/// multer server (tests/CandidateFiles.Tests/Contract). The fallback comes first because parsers that read parameters by position
/// (Prism's) expect the file name right after the part name. A name with <c>"</c> or <c>\</c> gets
/// <c>filename*</c> too: the fallback escapes them as RFC 9110 quoted-pairs, which busboy and Prism undo
/// but ASP.NET Core's form reader does not (it only strips the outer quotes), while every reader of
/// <c>filename*</c> gets them exactly. Any other printable ASCII name is sent only as <c>filename="..."</c>.
/// </para>
/// <para>
/// A file part without a media type gets one from its file name's extension (else
/// <c>application/octet-stream</c>), as browsers and curl label it; some parsers (again Prism's) fail on a
/// file part with no <c>Content-Type</c>.
/// </para>
/// </remarks>
internal static class FormDataParts
{
    private const char FallbackCharacter = '_';

    private static readonly string CombiningMarks = BuildCombiningMarks();

    private static string BuildCombiningMarks()
    {
        // U+0300..U+036F: the combining diacritical marks FormD splits Latin accents into.
        var marks = new StringBuilder();
        for (var c = '\u0300'; c <= '\u036F'; c++)
        {
            marks.Append(c);
        }

        return marks.ToString();
    }

    /// <summary>Adds a field part (text or JSON) named <paramref name="name"/>.</summary>
    /// <param name="content">The multipart body.</param>
    /// <param name="part">The part's content.</param>
    /// <param name="name">The part (field) name, as the provider's spec names it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void AddField(MultipartFormDataContent content, HttpContent part, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(part);
        part.Headers.ContentDisposition = Disposition(name, null);
        content.Add(part);
    }

    /// <summary>Adds a file part named <paramref name="name"/> carrying <paramref name="fileName"/>.</summary>
    /// <param name="content">The multipart body.</param>
    /// <param name="part">The file's content; without a media type it gets the one its file name's extension implies (<see cref="FileContentTypes.FromFileName"/>).</param>
    /// <param name="name">The part (field) name, as the provider's spec names it.</param>
    /// <param name="fileName">The file name to send, any characters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void AddFile(MultipartFormDataContent content, HttpContent part, string name, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(fileName);
        part.Headers.ContentType ??= new MediaTypeHeaderValue(FileContentTypes.FromFileName(fileName));
        part.Headers.ContentDisposition = Disposition(name, fileName);
        content.Add(part);
    }

    /// <summary>
    /// The <c>Content-Disposition</c> of a form-data part: <c>form-data; name="..."</c>, then
    /// <c>filename="..."</c> and, for a name that is not printable ASCII or holds <c>"</c> or <c>\</c>,
    /// <c>filename*=utf-8''...</c>.
    /// </summary>
    /// <param name="name">The part (field) name.</param>
    /// <param name="fileName">The file name, or null for a field part.</param>
    /// <returns>The header value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static ContentDispositionHeaderValue Disposition(string name, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(name);
        var disposition = new ContentDispositionHeaderValue("form-data");
        disposition.Parameters.Add(new NameValueHeaderValue("name", Quote(AsciiFallback(name))));
        if (fileName is not null)
        {
            var fallback = AsciiFallback(fileName);
            disposition.Parameters.Add(new NameValueHeaderValue("filename", Quote(fallback)));
            if (!string.Equals(fallback, fileName, StringComparison.Ordinal) || fileName.AsSpan().IndexOfAny('"', '\\') >= 0)
            {
                disposition.Parameters.Add(new NameValueHeaderValue("filename*", "utf-8''" + PercentEncode(fileName)));
            }
        }

        return disposition;
    }

    /// <summary>Printable ASCII kept; a letter with accents becomes its base letter; anything else becomes <c>_</c>.</summary>
    private static string AsciiFallback(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsPrintableAscii(rune))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var decomposed = rune.ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length > 1 && decomposed[0] is >= ' ' and < '\u007F' && decomposed.AsSpan(1).IndexOfAnyExcept(CombiningMarks) < 0)
            {
                builder.Append(decomposed[0]);
            }
            else
            {
                builder.Append(FallbackCharacter);
            }
        }

        return builder.ToString();
    }

    private static bool IsPrintableAscii(Rune rune) => rune.Value is >= 0x20 and < 0x7F;

    private static string Quote(string value)
        => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>RFC 5987 <c>value-chars</c>: attr-chars as they are, every other UTF-8 byte as <c>%XX</c>.</summary>
    private static string PercentEncode(string value)
    {
        var builder = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (IsAttrChar(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsAttrChar(byte b)
        => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}
