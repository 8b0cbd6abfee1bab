using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Newtonsoft.Json;

namespace CandidateFiles.Auth;

/// <summary>
/// Removes credentials from text that is about to leave the SDK (exception messages and properties, body
/// excerpts, header values): every form a server may echo a credential in, not only the raw one.
/// </summary>
/// <remarks>
/// The forms: raw (which covers <c>Bearer …</c>); URL- and form-encoded (<c>%2B</c> and <c>%2b</c>, <c>+</c>
/// for a space); JSON-escaped; base64 and base64url, also where the credential sits inside a longer base64
/// text at any byte offset (HTTP Basic's <c>base64(id:secret)</c>, a JWT segment). Credentials shorter than
/// <see cref="MinLength"/> characters are left alone: redacting "ab" everywhere would destroy the text and
/// protect nothing.
/// </remarks>
internal sealed class CredentialRedactor
{
    /// <summary>What a credential is replaced with.</summary>
    internal const string Mask = "***";

    /// <summary>Shortest credential redacted.</summary>
    internal const int MinLength = 4;

    // A base64 core shorter than this would match ordinary text by chance.
    private const int MinBase64Core = 8;

    private static readonly string[] NoForms = [];

    private readonly string[] _forms;

    /// <summary>Creates the redactor for <paramref name="credentials"/> (nulls and short values are skipped).</summary>
    /// <param name="credentials">The credential values, raw.</param>
    internal CredentialRedactor(IEnumerable<string?> credentials)
    {
        _forms = credentials
            .Where(c => c is { Length: >= MinLength })
            .SelectMany(c => FormsOf(c!))
            .Where(f => f.Length >= MinLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToArray();
    }

    /// <summary>A redactor that removes nothing.</summary>
    internal static CredentialRedactor None { get; } = new(NoForms);

    /// <summary>True when there is nothing to redact.</summary>
    internal bool IsEmpty => _forms.Length == 0;

    /// <summary>A redactor for several lists of credentials (null lists are skipped).</summary>
    /// <param name="credentials">The lists of raw credentials.</param>
    /// <returns>The redactor.</returns>
    internal static CredentialRedactor For(params IEnumerable<string?>[] credentials)
        => new(credentials.SelectMany(c => c ?? Array.Empty<string?>()));

    /// <summary>The text with every form of every credential replaced by <see cref="Mask"/>.</summary>
    /// <param name="text">The text, or null.</param>
    /// <returns>The redacted text (null stays null).</returns>
    internal string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || _forms.Length == 0)
        {
            return text;
        }

        foreach (var form in _forms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Header values with every credential form redacted.</summary>
    /// <param name="headers">The headers.</param>
    /// <returns>The same instance when nothing changed, else a copy.</returns>
    internal IReadOnlyDictionary<string, IEnumerable<string>> Redact(IReadOnlyDictionary<string, IEnumerable<string>> headers)
    {
        if (_forms.Length == 0)
        {
            return headers;
        }

        var copy = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.Select(v => Redact(v) ?? string.Empty).ToArray();
        }

        return copy;
    }

    /// <summary>The forms <paramref name="credential"/> may be echoed in.</summary>
    internal static IEnumerable<string> FormsOf(string credential)
    {
        yield return credential;
        var escaped = Uri.EscapeDataString(credential);
        foreach (var percent in new[] { escaped, LowerEscapes(escaped) })
        {
            yield return percent;
            yield return percent.Replace("%20", "+", StringComparison.Ordinal);
        }

        // JSON writers differ in what they escape: Newtonsoft little, System.Text.Json also + < > & ' (as \u002B),
        // some every non-alphanumeric character; a parser turns all of them back into the raw credential.
        var json = JsonConvert.ToString(credential)[1..^1];
        yield return json;
        yield return json.Replace("/", "\\/", StringComparison.Ordinal);
        yield return System.Text.Json.JsonEncodedText.Encode(credential).ToString();
        yield return UnicodeEscaped(credential, "X4");
        yield return UnicodeEscaped(credential, "x4");

        foreach (var core in Base64Cores(Encoding.UTF8.GetBytes(credential)))
        {
            yield return core;
            yield return core.Replace('+', '-').Replace('/', '_');
        }
    }

    /// <summary>
    /// The base64 characters that depend only on <paramref name="bytes"/>, for each of the three offsets the
    /// bytes can start at inside a longer base64 text; the characters shared with neighbouring bytes are left out.
    /// </summary>
    private static IEnumerable<string> Base64Cores(byte[] bytes)
    {
        for (var offset = 0; offset < 3; offset++)
        {
            var shifted = new byte[offset + bytes.Length];
            bytes.CopyTo(shifted, offset);
            var encoded = Convert.ToBase64String(shifted).TrimEnd('=');
            var skip = offset == 0 ? 0 : offset + 1;
            var fullGroups = shifted.Length * 8 / 6;
            var core = encoded[skip..Math.Max(skip, fullGroups)];
            if (core.Length >= MinBase64Core)
            {
                yield return core;
            }

            if (offset == 0)
            {
                // The whole encoding as sent on its own (an HTTP Basic value, a base64 field), padded and not.
                yield return Convert.ToBase64String(bytes);
                yield return encoded;
            }
        }
    }

    private static string UnicodeEscaped(string credential, string hex)
    {
        var text = new StringBuilder(credential.Length * 2);
        foreach (var c in credential)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(c);
            }
            else
            {
                text.Append("\\u").Append(((int)c).ToString(hex, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string LowerEscapes(string escaped)
    {
        if (!escaped.Contains('%', StringComparison.Ordinal))
        {
            return escaped;
        }

        var text = new StringBuilder(escaped);
        for (var i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] == '%')
            {
                text[i + 1] = char.ToLowerInvariant(text[i + 1]);
                text[i + 2] = char.ToLowerInvariant(text[i + 2]);
            }
        }

        return text.ToString();
    }
}
