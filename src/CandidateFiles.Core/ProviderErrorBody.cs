using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CandidateFiles;

/// <summary>Lenient reading of provider error bodies: never throws, whatever the body is.</summary>
internal static class ProviderErrorBody
{
    /// <summary>The body as a JSON object, or null (empty, HTML, truncated, not an object).</summary>
    public static JObject? TryParseObject(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var reader = new JsonTextReader(new StringReader(body)) { MaxDepth = 64, DateParseHandling = DateParseHandling.None };
            return JToken.ReadFrom(reader) as JObject;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>A property as text whatever its JSON type (number, string, boolean), or null.</summary>
    public static string? Text(JObject? json, string name) => json?[name] switch
    {
        // A string's own value: its JSON form would keep escapes (\" for a quote) in messages.
        { Type: JTokenType.String } token => token.Value<string>(),
        { Type: JTokenType.Integer or JTokenType.Float or JTokenType.Boolean } token => token.ToString(Formatting.None),
        _ => null,
    };
}
