using System.Text;

namespace CandidateFiles;

/// <summary>Reads error bodies up to a cap, so a huge or endless error response cannot exhaust memory.</summary>
internal static class ResponseExcerpt
{
    /// <summary>Characters of body text kept in an exception.</summary>
    internal const int MaxExcerptChars = 4096;

    internal static string? Cut(string? text, out bool truncated)
    {
        truncated = text?.Length > MaxExcerptChars;
        return truncated ? text![..MaxExcerptChars] : text;
    }

    /// <summary>
    /// At most <paramref name="maxBytes"/> bytes of <paramref name="content"/> as UTF-8 text; null for no body. A
    /// broken connection or <paramref name="stopReading"/> (a time limit) ends the read keeping what arrived, marked
    /// truncated, since this text only explains an error; only <paramref name="cancellationToken"/> throws.
    /// </summary>
    internal static async Task<(string? Text, bool Truncated)> ReadAsync(HttpContent? content, int maxBytes, CancellationToken cancellationToken, CancellationToken stopReading = default)
    {
        if (content is null)
        {
            return (null, false);
        }

        using var linked = stopReading.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopReading) : null;
        var token = linked?.Token ?? cancellationToken;
        var buffer = new byte[Math.Min(maxBytes, 16 * 1024)];
        using var collected = new MemoryStream();
        var truncated = false;
        try
        {
            using var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
            int read;
            while (collected.Length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(maxBytes - (int)collected.Length, buffer.Length)), token).ConfigureAwait(false)) > 0)
            {
                collected.Write(buffer, 0, read);
            }

            // At the cap: one more byte tells "exactly at the cap" from "longer than the cap".
            truncated = collected.Length == maxBytes && await stream.ReadAsync(buffer.AsMemory(0, 1), token).ConfigureAwait(false) > 0;
        }
        catch (Exception ex) when ((ex is IOException or HttpRequestException && !token.IsCancellationRequested)
            || (ex is OperationCanceledException && stopReading.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            truncated = true;
        }

        return collected.Length == 0
            ? (truncated ? string.Empty : null, truncated)
            : (Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length), truncated);
    }
}

/// <summary>
/// Keeps the response headers that are safe in an exception: not Set-Cookie, not a credential header of the
/// provider that sent the request (<see cref="RedactionPolicy"/>).
/// </summary>
internal static class SafeHeaders
{
    internal static IReadOnlyDictionary<string, IEnumerable<string>> Filter(IReadOnlyDictionary<string, IEnumerable<string>> headers, HttpRequestMessage? request)
    {
        var policy = RedactionPolicy.Of(request);
        var kept = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers.Where(h => policy.KeepsResponseHeader(h.Key)))
        {
            kept[name] = values.ToArray();
        }

        return kept;
    }
}
