using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CandidateFiles;

/// <summary>
/// Reads the file name out of a <c>Content-Disposition</c> header the way browsers do, not the way
/// <see cref="System.Net.Http.Headers.ContentDispositionHeaderValue"/> does (which rejects a whole header over
/// a trailing <c>;</c>, keeps quotes and backslashes, and cannot see raw UTF-8). What it accepts, in order:
/// <list type="number">
/// <item><c>filename*</c> (RFC 6266 / RFC 8187: <c>charset'lang'percent-encoded</c>, UTF-8 or ISO-8859-1),
/// when it decodes; a broken one falls back to <c>filename</c> as RFC 6266 section 4.3 says.</item>
/// <item><c>filename</c>: a quoted string with its backslash escapes undone, or an unquoted value up to the
/// next <c>;</c> (spaces kept, as servers that do not quote send it).</item>
/// <item>Then, as Chrome and Firefox do: an RFC 2047 encoded word (<c>=?UTF-8?B?...?=</c>) is decoded;
/// percent-escapes are decoded when they form UTF-8 (IIS and ASP.NET send <c>filename=%E5%B1%A5.pdf</c>);
/// and raw UTF-8 bytes, which .NET hands over as Latin-1 characters, are decoded as UTF-8.</item>
/// </list>
/// The result is the name as the server meant it; it is NOT safe as a path (see <c>FileResponse.SafeFileName</c>).
/// </summary>
internal static class ContentDispositionFileName
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file name the header carries, or null when it names none.</summary>
    /// <param name="header">The raw header value, as received.</param>
    /// <returns>The file name, or null.</returns>
    public static string? Read(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        string? plain = null;
        string? extended = null;
        foreach (var (name, value) in Parameters(header))
        {
            if (extended is null && name.Equals("filename*", StringComparison.OrdinalIgnoreCase))
            {
                extended = DecodeExtended(value);
            }
            else if (plain is null && name.Equals("filename", StringComparison.OrdinalIgnoreCase))
            {
                plain = value;
            }
        }

        var chosen = extended ?? (plain is null ? null : DecodePlain(plain));
        return string.IsNullOrWhiteSpace(chosen) ? null : chosen;
    }

    /// <summary>The header's parameters (name, unquoted value), skipping the disposition type and anything malformed.</summary>
    private static IEnumerable<(string Name, string Value)> Parameters(string header)
    {
        var at = 0;
        while (at < header.Length)
        {
            var end = header.IndexOfAny([';', '='], at);
            if (end < 0)
            {
                yield break;
            }

            if (header[end] == ';')
            {
                // The disposition type, or a bare word: not a parameter.
                at = end + 1;
                continue;
            }

            var name = header[at..end].Trim();
            at = end + 1;
            while (at < header.Length && header[at] is ' ' or '\t')
            {
                at++;
            }

            string value;
            if (at < header.Length && header[at] == '"')
            {
                var text = new StringBuilder();
                at++;
                while (at < header.Length && header[at] != '"')
                {
                    // Browsers undo quoted-pair escapes (a\"b -> a"b, a\\b -> a\b).
                    if (header[at] == '\\' && at + 1 < header.Length)
                    {
                        at++;
                    }

                    text.Append(header[at]);
                    at++;
                }

                value = text.ToString();
                var next = header.IndexOf(';', Math.Min(at, header.Length));
                at = next < 0 ? header.Length : next + 1;
            }
            else
            {
                var next = header.IndexOf(';', at);
                value = (next < 0 ? header[at..] : header[at..next]).Trim();
                at = next < 0 ? header.Length : next + 1;
            }

            if (name.Length > 0)
            {
                yield return (name, value);
            }
        }
    }

    /// <summary>RFC 8187 <c>charset'language'value</c>; null when the charset is unknown or the bytes do not decode.</summary>
    private static string? DecodeExtended(string value)
    {
        var first = value.IndexOf('\'');
        var second = first < 0 ? -1 : value.IndexOf('\'', first + 1);
        if (second < 0)
        {
            return null;
        }

        Encoding encoding;
        switch (value[..first].Trim().ToUpperInvariant())
        {
            case "UTF-8":
            case "UTF8":
                encoding = StrictUtf8;
                break;
            case "ISO-8859-1":
            case "LATIN1":
                encoding = Encoding.Latin1;
                break;
            default:
                return null;
        }

        // The header arrives as Latin-1 characters: one char per byte, escaped or not.
        var bytes = PercentDecode(value[(second + 1)..], lenient: false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string DecodePlain(string value)
    {
        if (DecodeEncodedWord(value) is { } word)
        {
            return word;
        }

        var text = FromLatin1Bytes(value);
        if (text.Contains('%', StringComparison.Ordinal) && PercentDecode(text, lenient: true) is { } bytes && TryUtf8(bytes, out var decoded))
        {
            return decoded;
        }

        return text;
    }

    /// <summary>Raw UTF-8 bytes reach us as Latin-1 characters (.NET's default header decoding); decode them when they are valid UTF-8.</summary>
    private static string FromLatin1Bytes(string value)
    {
        var hasHigh = false;
        foreach (var c in value)
        {
            if (c > 0xFF)
            {
                return value;
            }

            hasHigh |= c >= 0x80;
        }

        return hasHigh && TryUtf8(Encoding.Latin1.GetBytes(value), out var decoded) ? decoded : value;
    }

    /// <summary>An RFC 2047 encoded word (<c>=?charset?B|Q?text?=</c>), as Chrome and Firefox accept in <c>filename</c>.</summary>
    private static string? DecodeEncodedWord(string value)
    {
        if (!value.StartsWith("=?", StringComparison.Ordinal) || !value.EndsWith("?=", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = value[2..^2].Split('?');
        if (parts.Length != 3)
        {
            return null;
        }

        Encoding encoding;
        try
        {
            encoding = parts[0].Equals("UTF-8", StringComparison.OrdinalIgnoreCase) ? StrictUtf8 : Encoding.GetEncoding(parts[0]);
        }
        catch (ArgumentException)
        {
            return null;
        }

        try
        {
            var bytes = parts[1].ToUpperInvariant() switch
            {
                "B" => Convert.FromBase64String(parts[2]),
                "Q" => PercentDecode(parts[2].Replace('_', ' ').Replace('=', '%'), lenient: false),
                _ => null,
            };
            return bytes is null ? null : encoding.GetString(bytes);
        }
        catch (Exception exception) when (exception is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Percent-decodes to bytes (characters other than escapes taken as Latin-1 bytes). Strict: a bad escape
    /// gives null; lenient: a bad escape is kept as text.
    /// </summary>
    private static byte[]? PercentDecode(string value, bool lenient)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                bytes.Add(escaped);
                i += 2;
            }
            else if (c > 0xFF || (c == '%' && !lenient))
            {
                return null;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return bytes.ToArray();
    }

    private static bool TryUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
