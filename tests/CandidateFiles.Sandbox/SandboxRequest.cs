using System;
using System.Collections.Generic;

namespace CandidateFiles.Sandbox;

/// <summary>One request as the sandbox received it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path (path base included), e.g. <c>/external/files/headshot</c>.</param>
/// <param name="QueryString">Raw query string including the leading <c>?</c>, or empty.</param>
/// <param name="Host">Host header value (host[:port]).</param>
/// <param name="Headers">All request headers, name (case-insensitive) to values.</param>
/// <param name="Timestamp">When it arrived, by the sandbox's <see cref="TimeProvider"/>.</param>
public sealed record SandboxRequest(
    string Method,
    string Path,
    string QueryString,
    string Host,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    DateTimeOffset Timestamp)
{
    /// <summary>First value of header <paramref name="name"/>, or null.</summary>
    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
