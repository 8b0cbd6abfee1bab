using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Threading;

namespace CandidateFiles;

/// <summary>
/// A response's headers (content headers included) as the generated clients hand them to
/// <see cref="FileResponse"/> and <see cref="ProviderApiException"/>: read from the response only when
/// first asked for.
/// </summary>
/// <remarks>
/// NSwag's generated code copies every header into a new dictionary on every call, which parses each
/// header value and cost about 0.9 KiB per call (issue #6); most calls never look at them. This view makes
/// the same dictionary (same keys, content headers winning over response headers, as NSwag did) on first
/// use; unlike NSwag's, its keys are case-insensitive, as HTTP header names are (.NET spells known headers
/// its own way, "X-Request-ID"). The headers stay readable after the response is disposed: disposing a
/// response releases its body, not its header collections.
/// </remarks>
internal sealed class ResponseHeaderDictionary : IReadOnlyDictionary<string, IEnumerable<string>>
{
    private readonly HttpResponseMessage _response;
    private Dictionary<string, IEnumerable<string>>? _headers;

    /// <summary>Wraps the headers of <paramref name="response"/> without reading them.</summary>
    /// <param name="response">The response.</param>
    public ResponseHeaderDictionary(HttpResponseMessage response) => _response = response ?? throw new ArgumentNullException(nameof(response));

    /// <inheritdoc />
    public int Count => Headers.Count;

    /// <summary>The response these headers belong to (its request names the method and path for errors).</summary>
    internal HttpResponseMessage Response => _response;

    /// <inheritdoc />
    public IEnumerable<string> Keys => Headers.Keys;

    /// <inheritdoc />
    public IEnumerable<IEnumerable<string>> Values => Headers.Values;

    private Dictionary<string, IEnumerable<string>> Headers
    {
        get
        {
            if (_headers is { } made)
            {
                return made;
            }

            var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in _response.Headers)
            {
                headers[header.Key] = header.Value;
            }

            if (_response.Content is { } content)
            {
                foreach (var header in content.Headers)
                {
                    headers[header.Key] = header.Value;
                }
            }

            return Interlocked.CompareExchange(ref _headers, headers, null) ?? headers;
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> this[string key] => Headers[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => Headers.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IEnumerable<string> value) => Headers.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, IEnumerable<string>>> GetEnumerator() => Headers.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
