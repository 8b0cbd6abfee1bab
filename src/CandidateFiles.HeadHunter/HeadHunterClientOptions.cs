using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using CandidateFiles.Auth;

namespace CandidateFiles.HeadHunter;

/// <summary>Settings of <see cref="HeadHunterClient"/>.</summary>
public sealed partial class HeadHunterClientOptions : BearerTokenOptions
{
    /// <summary>
    /// Your application's name, version and contact, as hh.ru requires on every request:
    /// <c>"AppName/1.0 (contact@example.com)"</c>. Sent as <c>HH-User-Agent</c>. Required: hh.ru
    /// answers 400 bad_user_agent without it.
    /// </summary>
    public string? UserAgent { get; set; }

    /// <summary>
    /// Largest image the client sends (default 6 MiB, hh.ru's documented upload condition); larger files
    /// are refused before upload. <c>GET /artifacts/{type}/conditions</c> is hh.ru's authoritative value.
    /// </summary>
    public long MaxImageBytes { get; set; } = 6 * 1024 * 1024;

    /// <summary>Image media types hh.ru accepts (its upload conditions list JPEG, PNG and PSD).</summary>
    public ISet<string> AcceptedImageTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/jpg", "image/png", "image/psd" };

    /// <summary>Longest description hh.ru accepts.</summary>
    public const int MaxDescriptionLength = 255;

    /// <inheritdoc />
    protected override string ProviderName => "hh.ru";

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (UserAgent is null || !UserAgentPattern().IsMatch(UserAgent))
        {
            throw Invalid(nameof(UserAgent), $"must name your application, its version and a contact, as hh.ru requires: \"AppName/1.0 (contact@example.com)\"; it is {(UserAgent is null ? "not set" : $"\"{UserAgent}\"")}.");
        }

        if (MaxImageBytes < 1)
        {
            throw Invalid(nameof(MaxImageBytes), $"must be positive, not {MaxImageBytes}.");
        }
    }

    // hh.ru's documented form: "MyApp/1.0 (my-app-feedback@example.com)".
    [GeneratedRegex(@"^\S+/\S+ \(.+\)$")]
    private static partial Regex UserAgentPattern();
}
