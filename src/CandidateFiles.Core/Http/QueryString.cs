using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Web;

namespace CandidateFiles;

/// <summary>
/// Reads a URL's query string exactly as <see cref="HttpUtility.ParseQueryString(string)"/> does (segments
/// between '&amp;', the name up to the first '=', both URL-decoded, names compared case-insensitively,
/// repeated names joined with ","), without building a NameValueCollection for every request.
/// </summary>
internal static class QueryString
{
    /// <summary>The value of <paramref name="name"/> (repeated values joined with ","), or null when absent.</summary>
    internal static string? Get(string query, string name)
    {
        string? found = null;
        for (var position = query.StartsWith('?') ? 1 : 0; Segment(query, ref position, out var key, out var value);)
        {
            if (key.Length < 0)
            {
                continue;
            }

            var keyText = query.AsSpan(key.Start, key.Length);
            var matches = keyText.IndexOfAny('%', '+') < 0
                ? keyText.Equals(name, StringComparison.OrdinalIgnoreCase)
                : Decode(query, key.Start, key.Length).Equals(name, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                var text = Decode(query, value.Start, value.Length);
                found = found is null ? text : found + "," + text;
            }
        }

        return found;
    }

    /// <summary>
    /// <paramref name="path"/> + "?" + "name=value&amp;..." for every named parameter in first-seen order, with
    /// the values of names not in <paramref name="shown"/> replaced by "***" (as a NameValueCollection from
    /// HttpUtility would list them). Built in one pass into one string when no name needs URL-decoding.
    /// </summary>
    internal static string Redact(string path, string query, string[] shown)
    {
        var begin = query.StartsWith('?') ? 1 : 0;
        if (query.AsSpan(begin).IndexOfAny('%', '+') >= 0 && NamesNeedDecoding(query, begin))
        {
            return path + "?" + RedactDecoded(query, shown);
        }

        var output = new CharBuffer(stackalloc char[256]);
        try
        {
            output.Append(path);
            output.Append('?');
            var first = true;
            for (var position = begin; Segment(query, ref position, out var name, out var value);)
            {
                if (name.Length < 0 || SeenBefore(query, begin, name.Start, query.AsSpan(name.Start, name.Length)))
                {
                    continue;
                }

                if (!first)
                {
                    output.Append('&');
                }

                first = false;
                var nameText = query.AsSpan(name.Start, name.Length);
                output.Append(nameText);
                output.Append('=');
                if (!IsShown(nameText, shown))
                {
                    output.Append("***");
                    continue;
                }

                // This value, then those of the same name further on, joined with "," as NameValueCollection does.
                output.Append(DecodeIfNeeded(query.AsSpan(value.Start, value.Length)));
                for (var later = position; Segment(query, ref later, out var otherName, out var otherValue);)
                {
                    if (otherName.Length >= 0 && query.AsSpan(otherName.Start, otherName.Length).Equals(nameText, StringComparison.OrdinalIgnoreCase))
                    {
                        output.Append(',');
                        output.Append(DecodeIfNeeded(query.AsSpan(otherValue.Start, otherValue.Length)));
                    }
                }
            }

            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>
    /// The segment at <paramref name="position"/> (up to the next '&amp;'), as HttpUtility splits it: the name
    /// up to the first '=' (length -1 when there is no '='), the value after it. False past the end.
    /// </summary>
    private static bool Segment(string query, ref int position, out (int Start, int Length) name, out (int Start, int Length) value)
    {
        if (position > query.Length)
        {
            name = value = default;
            return false;
        }

        var end = query.IndexOf('&', position);
        if (end < 0)
        {
            end = query.Length;
        }

        var equals = query.IndexOf('=', position, end - position);
        name = equals < 0 ? (position, -1) : (position, equals - position);
        value = equals < 0 ? (position, end - position) : (equals + 1, end - equals - 1);
        position = end + 1;
        return true;
    }

    /// <summary>True when a named segment before <paramref name="before"/> has the name <paramref name="name"/>.</summary>
    private static bool SeenBefore(string query, int begin, int before, ReadOnlySpan<char> name)
    {
        for (var position = begin; position < before && Segment(query, ref position, out var other, out _);)
        {
            if (other.Length >= 0 && query.AsSpan(other.Start, other.Length).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesNeedDecoding(string query, int begin)
    {
        for (var position = begin; Segment(query, ref position, out var name, out _);)
        {
            if (name.Length > 0 && query.AsSpan(name.Start, name.Length).IndexOfAny('%', '+') >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsShown(ReadOnlySpan<char> name, string[] shown)
    {
        foreach (var candidate in shown)
        {
            if (name.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> DecodeIfNeeded(ReadOnlySpan<char> value)
        => value.IndexOfAny('%', '+') < 0 ? value : HttpUtility.UrlDecode(value.ToString(), Encoding.UTF8);

    /// <summary>The general form of <see cref="Redact"/>, for names that need URL-decoding.</summary>
    private static string RedactDecoded(string query, string[] shown)
    {
        var pairs = new List<(string Name, string Value)>(4);
        foreach (var (key, value) in Pairs(query))
        {
            if (key is not null)
            {
                pairs.Add((key, value));
            }
        }

        var text = new StringBuilder(query.Length + 8);
        for (var i = 0; i < pairs.Count; i++)
        {
            var name = pairs[i].Name;
            if (SeenBefore(pairs, i, name))
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(name).Append('=');
            if (!IsShown(name, shown))
            {
                text.Append("***");
                continue;
            }

            text.Append(pairs[i].Value);
            for (var j = i + 1; j < pairs.Count; j++)
            {
                if (pairs[j].Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    text.Append(',').Append(pairs[j].Value);
                }
            }
        }

        return text.ToString();
    }

    private static bool SeenBefore(List<(string Name, string Value)> pairs, int index, string name)
    {
        for (var i = 0; i < index; i++)
        {
            if (pairs[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The decoded (name, value) segments; a segment without '=' has a null name, as in HttpUtility.</summary>
    private static IEnumerable<(string? Name, string Value)> Pairs(string query)
    {
        var length = query.Length;
        var start = length > 0 && query[0] == '?' ? 1 : 0;
        if (length == start)
        {
            yield break;
        }

        while (start <= length)
        {
            var equals = -1;
            var end = length;
            for (var i = start; i < length; i++)
            {
                if (equals == -1 && query[i] == '=')
                {
                    equals = i;
                }
                else if (query[i] == '&')
                {
                    end = i;
                    break;
                }
            }

            string? name = null;
            var valueStart = start;
            if (equals >= 0)
            {
                name = Decode(query, start, equals - start);
                valueStart = equals + 1;
            }

            yield return (name, Decode(query, valueStart, end - valueStart));
            start = end + 1;
        }
    }

    private static string Decode(string query, int start, int count)
    {
        var part = query.AsSpan(start, count);
        return part.IndexOfAny('%', '+') < 0 ? part.ToString() : HttpUtility.UrlDecode(part.ToString(), Encoding.UTF8);
    }

    /// <summary>Characters on the stack, moved to a pooled array if they outgrow it.</summary>
    private ref struct CharBuffer
    {
        private Span<char> _chars;
        private char[]? _rented;
        private int _length;

        public CharBuffer(Span<char> initial)
        {
            _chars = initial;
            _rented = null;
            _length = 0;
        }

        public void Append(char c)
        {
            if (_length == _chars.Length)
            {
                Grow(1);
            }

            _chars[_length++] = c;
        }

        public void Append(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _chars.Length)
            {
                Grow(text.Length);
            }

            text.CopyTo(_chars[_length..]);
            _length += text.Length;
        }

        public override readonly string ToString() => _chars[.._length].ToString();

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<char>.Shared.Return(_rented);
                _rented = null;
            }
        }

        private void Grow(int needed)
        {
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
            _chars[.._length].CopyTo(larger);
            if (_rented is not null)
            {
                ArrayPool<char>.Shared.Return(_rented);
            }

            _rented = larger;
            _chars = larger;
        }
    }
}
