using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>Server scripts that echo the credentials a request carried back to the client, in one chosen form.</summary>
public static class Echoes
{
    /// <summary>The forms a server may echo a credential in.</summary>
    public static readonly string[] Forms = ["raw", "percent-upper", "percent-lower", "form", "base64", "json-unicode"];

    public static string Apply(string form, string value) => form switch
    {
        "raw" => value,
        "percent-upper" => Uri.EscapeDataString(value),
        "percent-lower" => InvariantMonitor.LowerEscapes(Uri.EscapeDataString(value)),
        "form" => WebUtility.UrlEncode(value),
        "base64" => Convert.ToBase64String(Encoding.UTF8.GetBytes(value)),
        "json-unicode" => JsonEncodedText.Encode(value).ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    /// <summary>The credential-like values of a request: Authorization (whole and token), API key and email headers, every query value.</summary>
    public static IReadOnlyList<string> CredentialsIn(RawRequest request)
    {
        var values = new List<string>();
        if (request.Header("Authorization") is { } authorization)
        {
            values.Add(authorization);
            values.Add(authorization[(authorization.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        }

        values.AddRange(new[] { "X-API-KEY", "X-USER-EMAIL" }.Select(request.Header).OfType<string>());
        var query = request.Target.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? request.Target[(q + 1)..] : string.Empty;
        values.AddRange(query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => Uri.UnescapeDataString(p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..].Replace('+', ' '))));
        return values;
    }

    /// <summary>
    /// Answers with <paramref name="status"/> and a body in each provider's error shape (code/msg, message,
    /// errors[].value) naming every credential of the request in <paramref name="form"/>, and the same in
    /// WWW-Authenticate and a custom header.
    /// </summary>
    public static Func<RawExchange, Task> Echo(int status, string contentType, string form) => exchange =>
    {
        var echoed = CredentialsIn(exchange.Request).Select(v => Apply(form, v)).ToArray();
        var all = string.Join(" ", echoed);
        var first = echoed.FirstOrDefault() ?? string.Empty;
        var body = contentType.Contains("json", StringComparison.Ordinal) || contentType.StartsWith("image/", StringComparison.Ordinal)
            ? $"{{\"code\":{(status == 200 ? "\"ok\"" : status)},\"msg\":\"invalid token: {first}\",\"message\":\"rejected: {all}\",\"errors\":[{{\"type\":\"oauth\",\"value\":\"{all}\"}}],\"description\":\"{all}\""
              + (status == 200 ? string.Empty : "}")
            : $"Unauthorized. You sent {all}";
        return exchange.RespondAsync(status, contentType, Encoding.UTF8.GetBytes(body), [
            ("WWW-Authenticate", $"Bearer error=\"invalid_token\", error_description=\"{first}\""),
            ("X-Echo", all),
        ]);
    };
}
