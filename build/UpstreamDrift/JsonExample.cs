using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpstreamDrift;

/// <summary>Fields documented by an example JSON body: every key, nested with "." and array items with "[]".</summary>
internal static class JsonExample
{
    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>True when the text looks like a JSON document (an object or an array).</summary>
    public static bool LooksLikeJson(string text)
    {
        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[');
    }

    /// <summary>
    /// Parses an example body; malformed JSON is a page error, never silently skipped. Examples printed
    /// as Python dicts (single-quoted strings, True/False/None; HrFlow's newer pages) are converted to
    /// JSON first, token by token, so a quote inside a string stays a quote.
    /// </summary>
    public static JsonNode? Parse(string text, string where)
    {
        string json;
        try
        {
            json = FromPythonLiteral(text);
        }
        catch (FormatException e)
        {
            throw new PageFormatException($"malformed JSON in {where}: {e.Message}", e);
        }

        try
        {
            return JsonNode.Parse(json, nodeOptions: null, documentOptions: Lenient);
        }
        catch (JsonException e)
        {
            throw new PageFormatException($"malformed JSON in {where}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rewrites single-quoted strings as JSON strings and the bare words True, False and None as
    /// true, false and null; double-quoted strings, comments and everything else are kept as they are.
    /// </summary>
    internal static string FromPythonLiteral(string text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
            {
                // A comment (allowed in examples) is kept as it is: an apostrophe in it opens no string.
                var end = text[i + 1] == '/' ? text.IndexOf('\n', i) : text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : text[i + 1] == '/' ? end : end + 2;
                result.Append(text, i, end - i);
                i = end;
                continue;
            }

            if (c is '"' or '\'')
            {
                var start = i;
                var value = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (d == '\\' && i + 1 < text.Length)
                    {
                        value.Append(d).Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (d == c)
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    if (d == '\n')
                    {
                        break;
                    }

                    value.Append(c == '\'' && d == '"' ? "\\\"" : d.ToString());
                    i++;
                }

                if (!closed)
                {
                    var line = text.AsSpan(0, start).Count('\n') + 1;
                    throw new FormatException($"unterminated string starting at line {line.ToString(System.Globalization.CultureInfo.InvariantCulture)} of the example");
                }

                var content = value.ToString();
                result.Append('"').Append(c == '\'' ? content.Replace("\\'", "'", StringComparison.Ordinal) : content).Append('"');
                continue;
            }

            if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                result.Append(word switch
                {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    _ => word,
                });
                continue;
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    public static SortedDictionary<string, Field> Fields(JsonNode? node)
    {
        var fields = new SortedDictionary<string, Field>(System.StringComparer.Ordinal);
        Collect(node, string.Empty, fields);
        return fields;
    }

    public static void Collect(JsonNode? node, string prefix, SortedDictionary<string, Field> fields)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var path = prefix.Length == 0 ? name : prefix + "." + name;
                    fields.TryAdd(path, new Field(path));
                    Collect(value, path, fields);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, prefix + "[]", fields);
                }

                break;
            default:
                break;
        }
    }
}
