using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;

namespace CandidateFiles.Auth;

/// <summary>
/// Removes credentials from text that is about to leave the SDK (exception messages and properties, body
/// excerpts, header values): every form a server may echo a credential in, not only the raw one.
/// </summary>
/// <remarks>
/// The forms: raw (which covers <c>Bearer …</c>); URL- and form-encoded (<c>%2B</c> and <c>%2b</c>, <c>+</c> for a
/// space); JSON-escaped as Newtonsoft, System.Text.Json or an escape-everything writer does; base64 and
/// base64url, also inside a longer base64 text at any byte offset (HTTP Basic's <c>base64(id:secret)</c>, a JWT
/// segment). Credentials shorter than <see cref="MinLength"/> are left alone: redacting "ab" everywhere would
/// destroy the text and protect nothing.
/// </remarks>
internal sealed class CredentialRedactor
{
    /// <summary>What a credential is replaced with.</summary>
    internal const string Mask = "***";

    /// <summary>Shortest credential redacted.</summary>
    private const int MinLength = 4;

    // A base64 core shorter than this would match ordinary text by chance.
    private const int MinBase64Core = 8;

    private readonly string[] _forms;

    /// <summary>Creates the redactor for raw <paramref name="credentials"/> (nulls and short values are skipped).</summary>
    internal CredentialRedactor(IEnumerable<string?> credentials)
        => _forms = credentials.OfType<string>().Where(c => c.Length >= MinLength).SelectMany(FormsOf)
            .Where(f => f.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ToArray();

    /// <summary>A redactor for several lists of raw credentials (null lists are skipped).</summary>
    internal static CredentialRedactor For(params IEnumerable<string?>?[] credentials)
        => new(credentials.SelectMany(c => c ?? []));

    /// <summary>
    /// The credentials <paramref name="request"/> carried, which an answer may echo: its credential headers (as its
    /// provider declares them, bearer tokens included) and every query value the provider does not declare as logged.
    /// </summary>
    internal static IEnumerable<string> CredentialsOf(HttpRequestMessage? request)
    {
        if (request is null)
        {
            yield break;
        }

        if (request.Headers.Authorization?.Parameter is { } parameter)
        {
            yield return parameter;
        }

        var policy = RedactionPolicy.Of(request);
        foreach (var name in policy.CredentialHeaderNames)
        {
            if (request.Headers.NonValidated.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    yield return value;
                }
            }
        }

        var query = request.RequestUri is { IsAbsoluteUri: true, Query.Length: > 1 } uri ? uri.Query[1..] : string.Empty;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && !policy.IsLogged(Uri.UnescapeDataString(pair[..equals])))
            {
                yield return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }
    }

    /// <summary>The text with every form of every credential replaced by <see cref="Mask"/> (null stays null).</summary>
    internal string? Redact(string? text)
    {
        foreach (var form in string.IsNullOrEmpty(text) ? [] : _forms)
        {
            text = text!.Replace(form, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Header values with every credential form redacted: the same instance when there is nothing to redact, else a copy.</summary>
    internal IReadOnlyDictionary<string, IEnumerable<string>> Redact(IReadOnlyDictionary<string, IEnumerable<string>> headers)
        => _forms.Length == 0
            ? headers
            : headers.ToDictionary(h => h.Key, IEnumerable<string> (h) => h.Value.Select(v => Redact(v) ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The forms <paramref name="credential"/> may be echoed in.</summary>
    internal static IEnumerable<string> FormsOf(string credential)
    {
        var escaped = Uri.EscapeDataString(credential);
        var lowerEscaped = LowerEscape.Replace(escaped, m => m.Value.ToLowerInvariant());
        var json = JsonConvert.ToString(credential)[1..^1];
        string[] text =
        [
            credential, escaped, escaped.Replace("%20", "+", StringComparison.Ordinal), lowerEscaped, lowerEscaped.Replace("%20", "+", StringComparison.Ordinal),
            json, json.Replace("/", "\\/", StringComparison.Ordinal), System.Text.Json.JsonEncodedText.Encode(credential).ToString(),
            UnicodeEscaped(credential, "X4"), UnicodeEscaped(credential, "x4"),
        ];
        return text.Concat(Base64Forms(Encoding.UTF8.GetBytes(credential)).SelectMany(b => new[] { b, b.Replace('+', '-').Replace('/', '_') }));
    }

    /// <summary>
    /// The whole base64 encoding (padded and not), and for each of the three offsets the bytes can start at inside a
    /// longer base64 text, the characters that depend only on <paramref name="bytes"/> (not those shared with neighbours).
    /// </summary>
    private static IEnumerable<string> Base64Forms(byte[] bytes)
    {
        yield return Convert.ToBase64String(bytes);
        for (var offset = 0; offset < 3; offset++)
        {
            var shifted = new byte[offset + bytes.Length];
            bytes.CopyTo(shifted, offset);
            var encoded = Convert.ToBase64String(shifted).TrimEnd('=');
            var skip = offset == 0 ? 0 : offset + 1;
            var core = encoded[skip..Math.Max(skip, shifted.Length * 8 / 6)];
            if (offset == 0)
            {
                yield return encoded;
            }

            if (core.Length >= MinBase64Core)
            {
                yield return core;
            }
        }
    }

    private static string UnicodeEscaped(string credential, string hex)
        => string.Concat(credential.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : "\\u" + ((int)c).ToString(hex, CultureInfo.InvariantCulture)));

    private static readonly Regex LowerEscape = new("%[0-9A-F]{2}");
}
