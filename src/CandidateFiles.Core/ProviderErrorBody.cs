using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CandidateFiles;

/// <summary>Lenient parsing of provider error bodies: never throws, whatever the body is.</summary>
internal static class ProviderErrorBody
{
    /// <summary>Parses <paramref name="body"/> as a JSON object, or returns null (empty, HTML, truncated, not an object).</summary>
    /// <param name="body">The error body text.</param>
    /// <returns>The object, or null.</returns>
    public static JObject? TryParseObject(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var reader = new JsonTextReader(new System.IO.StringReader(body)) { MaxDepth = 64, DateParseHandling = DateParseHandling.None };
            return JToken.ReadFrom(reader) as JObject;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Reads a property as text whatever its JSON type (number, string), or null.</summary>
    /// <param name="json">The object, or null.</param>
    /// <param name="name">Property name.</param>
    /// <returns>The value as text, or null.</returns>
    public static string? Text(JObject? json, string name)
    {
        var token = json?[name];
        return token?.Type switch
        {
            // A string's own value: its JSON form would keep escapes (\" for a quote) in messages.
            JTokenType.String => token.Value<string>(),
            JTokenType.Integer or JTokenType.Float or JTokenType.Boolean => token.ToString(Formatting.None),
            _ => null,
        };
    }
}
