using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CandidateFiles;

/// <summary>
/// Reads the file name out of a <c>Content-Disposition</c> header the way browsers do. <c>filename*</c> (RFC 6266 /
/// RFC 8187, UTF-8 or ISO-8859-1) wins when it decodes, else <c>filename</c> (RFC 6266 section 4.3): quoted with its
/// escapes undone, or unquoted up to the next <c>;</c> with its spaces. Then, as Chrome and Firefox do, an RFC 2047
/// encoded word is decoded, percent-escapes that form UTF-8 (IIS, ASP.NET) are decoded, and raw UTF-8 bytes, which
/// .NET hands over as Latin-1 characters, are read as UTF-8.
/// </summary>
/// <remarks>
/// Not <see cref="System.Net.Http.Headers.ContentDispositionHeaderValue"/>: of the shapes real servers send, it
/// rejects the whole header over a trailing <c>;</c>, an unquoted name with spaces, raw UTF-8 or a missing
/// disposition type; keeps backslash escapes and percent-escapes; reads a quoted <c>filename*</c> as none; turns an
/// undecodable one into U+FFFD instead of falling back; and decodes only base64 encoded words. The result is the
/// name as the server meant it, NOT safe as a path (see <c>FileResponse.SafeFileName</c>).
/// </remarks>
internal static partial class ContentDispositionFileName
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file name the raw header carries, or null when it names none.</summary>
    public static string? Read(string? header)
    {
        var parameters = Parameter.Matches(header ?? string.Empty).Cast<Match>()
            .Select(m => (Name: m.Groups["name"].Value, Value: m.Groups["quoted"].Success ? Unescape.Replace(m.Groups["quoted"].Value, "$1") : m.Groups["token"].Value.Trim()))
            .ToList();
        var extended = parameters.FirstOrDefault(p => p.Name.Equals("filename*", StringComparison.OrdinalIgnoreCase)).Value;
        var plain = parameters.FirstOrDefault(p => p.Name.Equals("filename", StringComparison.OrdinalIgnoreCase)).Value;
        var chosen = (extended is null ? null : DecodeExtended(extended)) ?? (plain is null ? null : DecodePlain(plain));
        return string.IsNullOrWhiteSpace(chosen) ? null : chosen;
    }

    /// <summary>RFC 8187 <c>charset'language'value</c>; null when the charset is unknown or the bytes do not decode.</summary>
    private static string? DecodeExtended(string value)
    {
        var parts = value.Split('\'', 3);
        var encoding = parts[0].Trim().ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => StrictUtf8,
            "ISO-8859-1" or "LATIN1" => Encoding.Latin1,
            _ => null,
        };
        return parts.Length == 3 && encoding is not null ? Decode(encoding, PercentDecode(parts[2], strict: true)) : null;
    }

    private static string DecodePlain(string value)
    {
        if (EncodedWord.Match(value) is { Success: true } word)
        {
            try
            {
                var charset = word.Groups["charset"].Value;
                var encoding = charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) ? StrictUtf8 : Encoding.GetEncoding(charset);
                var text = word.Groups["text"].Value;
                var bytes = word.Groups["q"].Success ? PercentDecode(text.Replace('_', ' ').Replace('=', '%'), strict: true) : Convert.FromBase64String(text);
                if (bytes is not null)
                {
                    return encoding.GetString(bytes);
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException) // DecoderFallbackException is an ArgumentException
            {
                // Not a word this reader can decode: read the value as plain text.
            }
        }

        // Raw UTF-8 bytes arrive as Latin-1 characters (.NET's default header decoding).
        if (value.All(c => c <= 0xFF) && value.Any(c => c >= 0x80) && Decode(StrictUtf8, Encoding.Latin1.GetBytes(value)) is { } utf8)
        {
            value = utf8;
        }

        return value.Contains('%', StringComparison.Ordinal) ? Decode(StrictUtf8, PercentDecode(value, strict: false)) ?? value : value;
    }

    /// <summary>
    /// Percent-escapes decoded to bytes, every other character taken as one Latin-1 byte (a literal <c>+</c> stays one);
    /// null for a character beyond Latin-1, and, when strict (RFC 8187), for a <c>%</c> that starts no escape.
    /// </summary>
    private static byte[]? PercentDecode(string value, bool strict)
    {
        if (value.Any(c => c > 0xFF) || (strict && BrokenEscape.IsMatch(value)))
        {
            return null;
        }

        var bytes = Encoding.Latin1.GetBytes(value.Replace("+", "%2B", StringComparison.Ordinal));
        return WebUtility.UrlDecodeToBytes(bytes, 0, bytes.Length);
    }

    private static string? Decode(Encoding? encoding, byte[]? bytes)
    {
        try
        {
            return bytes is null ? null : encoding?.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // name=value pairs: a quoted value (escapes inside, a missing closing quote tolerated) or everything up to the next ';'.
    private static readonly Regex Parameter = new("""(?<name>[^\s;=]+)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"?[^;]*|(?<token>[^;]*))""");

    private static readonly Regex Unescape = new(@"\\(.)");

    private static readonly Regex EncodedWord = new(@"^=\?(?<charset>[^?]+)\?(?:[Bb]|(?<q>[Qq]))\?(?<text>[^?]*)\?=$");

    private static readonly Regex BrokenEscape = new("%(?![0-9A-Fa-f]{2})");
}
