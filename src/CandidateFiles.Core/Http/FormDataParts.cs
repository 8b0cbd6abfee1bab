using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace CandidateFiles;

/// <summary>
/// Adds parts to a multipart/form-data body with the <c>Content-Disposition</c> browsers and curl write, every
/// parameter quoted (<c>form-data; name="attachment"; filename="x.pdf"</c>); the generated clients call it for
/// every part (build/nswag/templates/Client.Class.liquid).
/// </summary>
/// <remarks>
/// <para>.NET's own <c>Add</c> leaves token-like values unquoted, which RFC 7578 allows but parsers written against
/// browsers misread (Prism's validator crashes on it).</para>
/// <para>A file name that is not printable ASCII, or holds <c>"</c> or <c>\</c>, is sent twice: <c>filename="..."</c>
/// with a readable ASCII fallback, then <c>filename*=utf-8''...</c> (RFC 5987). busboy 1.x (multer 2.x) prefers the
/// latter and gets the exact name, while it decodes a raw UTF-8 <c>filename</c> as Latin-1; RFC 7578 discourages
/// <c>filename*</c>, and a server following it to the letter reads the fallback. The fallback comes first because
/// positional parsers (Prism's) expect it right after the name; ASP.NET Core's form reader does not undo quoted-pairs,
/// hence <c>filename*</c> for <c>"</c> and <c>\</c>. The contract tests prove it against a real multer server.</para>
/// <para>A file part without a media type gets one from its extension, as browsers label it (Prism fails without).</para>
/// </remarks>
internal static class FormDataParts
{
    private const char FallbackCharacter = '_';

    /// <summary>Adds a field part (text or JSON) named <paramref name="name"/>.</summary>
    public static void AddField(MultipartFormDataContent content, HttpContent part, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(part);
        part.Headers.ContentDisposition = Disposition(name, null);
        content.Add(part);
    }

    /// <summary>
    /// Adds a file part named <paramref name="name"/> carrying <paramref name="fileName"/>; without a media type
    /// it gets the one the file name's extension implies.
    /// </summary>
    public static void AddFile(MultipartFormDataContent content, HttpContent part, string name, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(fileName);
        part.Headers.ContentType ??= new MediaTypeHeaderValue(FileContentTypes.FromFileName(fileName));
        part.Headers.ContentDisposition = Disposition(name, fileName);
        content.Add(part);
    }

    /// <summary>The <c>Content-Disposition</c> of a form-data part; <paramref name="fileName"/> is null for a field part.</summary>
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
            if (decomposed.Length > 1 && decomposed[0] is >= ' ' and < '\u007F' && decomposed.Skip(1).All(mark => mark is >= '\u0300' and <= '\u036F'))
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
