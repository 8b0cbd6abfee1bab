using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CandidateFiles;

/// <summary>
/// A response's headers (content headers winning over response headers, as NSwag's copy had them) as the generated
/// clients hand them to <see cref="FileResponse"/> and <see cref="ProviderApiException"/>, read only when first
/// asked for: NSwag copied and parsed every header on every call (about 0.9 KiB, issue #6), and most calls never
/// look. Keys are case-insensitive, as HTTP header names are. Readable after the response is disposed (that
/// releases the body, not the header collections).
/// </summary>
internal sealed class ResponseHeaderDictionary(HttpResponseMessage response) : IReadOnlyDictionary<string, IEnumerable<string>>
{
    private Dictionary<string, IEnumerable<string>>? _headers;

    /// <summary>The response these headers belong to (its request names the method and path for errors).</summary>
    internal HttpResponseMessage Response { get; } = response ?? throw new ArgumentNullException(nameof(response));

    public int Count => Headers.Count;

    public IEnumerable<string> Keys => Headers.Keys;

    public IEnumerable<IEnumerable<string>> Values => Headers.Values;

    // Racing first readers may each build a copy; one wins and every reader sees it.
    private Dictionary<string, IEnumerable<string>> Headers => _headers ?? LazyInitializer.EnsureInitialized(ref _headers, Copy)!;

    private Dictionary<string, IEnumerable<string>> Copy()
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in Response.Headers.Concat(Response.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[header.Key] = header.Value;
        }

        return headers;
    }

    public IEnumerable<string> this[string key] => Headers[key];

    public bool ContainsKey(string key) => Headers.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IEnumerable<string> value) => Headers.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, IEnumerable<string>>> GetEnumerator() => Headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
