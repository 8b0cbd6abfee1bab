using System.Collections.Generic;
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

    /// <summary>Parses an example body; malformed JSON is a page error, never silently skipped.</summary>
    public static JsonNode? Parse(string text, string where)
    {
        try
        {
            return JsonNode.Parse(text, nodeOptions: null, documentOptions: Lenient);
        }
        catch (JsonException e)
        {
            throw new PageFormatException($"malformed JSON in {where}: {e.Message}", e);
        }
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
