using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>Reads error bodies up to a cap so a huge or endless error response cannot exhaust memory.</summary>
internal static class ResponseExcerpt
{
    /// <summary>Characters of body text kept in an exception.</summary>
    internal const int MaxExcerptChars = 4096;

    internal static string? Cut(string? text, out bool truncated)
    {
        truncated = text is not null && text.Length > MaxExcerptChars;
        return truncated ? text![..MaxExcerptChars] : text;
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes of <paramref name="content"/> as UTF-8 text.
    /// Returns null for no body. Never throws for odd content (bad charset, cut connection):
    /// what was read so far is returned, since this text only explains an error.
    /// </summary>
    /// <param name="content">The body.</param>
    /// <param name="maxBytes">Most bytes read.</param>
    /// <param name="cancellationToken">The caller's cancellation: throws.</param>
    /// <param name="stopReading">Ends the read early, keeping what arrived (marked truncated): a time limit.</param>
    internal static async Task<(string? Text, bool Truncated)> ReadAsync(
        HttpContent? content, int maxBytes, CancellationToken cancellationToken, CancellationToken stopReading = default)
    {
        if (content is null)
        {
            return (null, false);
        }

        using var linked = stopReading.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopReading) : null;
        var callerToken = cancellationToken;
        cancellationToken = linked?.Token ?? cancellationToken;

        var buffer = new byte[Math.Min(maxBytes, 16 * 1024)];
        using var collected = new MemoryStream();
        var truncated = false;
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var room = maxBytes - (int)collected.Length;
                if (room <= 0)
                {
                    // One more byte tells "exactly at the cap" from "longer than the cap".
                    truncated = await stream.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0;
                    break;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(room, buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                collected.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke mid-body: keep what arrived; the status code still tells the story.
            truncated = true;
        }
        catch (OperationCanceledException) when (stopReading.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            // Out of time: keep what arrived.
            truncated = true;
        }

        if (collected.Length == 0)
        {
            return (truncated ? string.Empty : null, truncated);
        }

        var text = Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length);
        return (text, truncated);
    }
}

/// <summary>
/// Keeps response headers that are safe to put in an exception: not Set-Cookie, not a credential header
/// of the provider that sent the request (<see cref="RedactionPolicy"/>).
/// </summary>
internal static class SafeHeaders
{
    internal static IReadOnlyDictionary<string, IEnumerable<string>> Filter(
        IReadOnlyDictionary<string, IEnumerable<string>> headers, HttpRequestMessage? request)
    {
        var policy = RedactionPolicy.Of(request);
        var kept = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            if (policy.KeepsResponseHeader(name))
            {
                kept[name] = values.ToArray();
            }
        }

        return kept;
    }

    internal static IReadOnlyDictionary<string, IEnumerable<string>> From(HttpResponseMessage response)
        => Filter(new ResponseHeaderDictionary(response), response.RequestMessage);
}
