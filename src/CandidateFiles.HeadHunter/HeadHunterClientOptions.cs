using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using CandidateFiles.Auth;

namespace CandidateFiles.HeadHunter;

/// <summary>Settings of <see cref="HeadHunterClient"/>.</summary>
public sealed partial class HeadHunterClientOptions : BearerTokenOptions
{
    /// <summary>Creates the options; <see cref="ProviderClientOptions.LoggedQueryParameters"/> starts with hh.ru's paging (<c>page</c>, <c>per_page</c>) and the <c>locale</c> and <c>host</c> every call carries.</summary>
    public HeadHunterClientOptions()
    {
        LoggedQueryParameters.UnionWith(["page", "per_page", "locale", "host"]);
    }

    /// <summary>
    /// Your application's name, version and contact, as hh.ru requires on every request:
    /// <c>"AppName/1.0 (contact@example.com)"</c>. Sent as <c>HH-User-Agent</c>. Required: hh.ru
    /// answers 400 bad_user_agent without it.
    /// </summary>
    public string? UserAgent { get; set; }

    /// <summary>
    /// The sites hh.ru serves through this API, the values <see cref="Host"/> accepts (the official
    /// document's <c>host</c> enum): hh.ru, rabota.by, hh1.az, hh.uz, hh.kz, headhunter.ge, headhunter.kg.
    /// </summary>
    public static IReadOnlyList<string> Sites { get; } = Array.AsReadOnly(new[] { "hh.ru", "rabota.by", "hh1.az", "hh.uz", "hh.kz", "headhunter.ge", "headhunter.kg" });

    /// <summary>
    /// The site the requests are about, sent as the <c>host</c> query parameter on every call. One of
    /// <see cref="Sites"/>; default <c>hh.ru</c> (hh.ru's own default).
    /// </summary>
    public string Host { get; set; } = "hh.ru";

    /// <summary>
    /// The locale of texts in hh.ru's answers (state names, error descriptions), sent as the <c>locale</c>
    /// query parameter on every call: a locale identifier such as <c>RU</c> or <c>EN</c> (hh.ru's list is
    /// <c>GET /locales</c>). Default <c>RU</c> (hh.ru's own default).
    /// </summary>
    public string Locale { get; set; } = "RU";

    /// <summary>
    /// How long the upload conditions of each artifact type (<c>GET /artifacts/{type}/conditions</c>) are
    /// kept once fetched; the client checks uploads and description edits against them before sending.
    /// Default 10 minutes; <see cref="TimeSpan.Zero"/> fetches them for every check; at most one day. An upload
    /// made through this client counts against the kept conditions, and a delete drops them. When the call
    /// fails, the documented values are used (and a warning logged) for at most a minute before hh.ru is asked again.
    /// </summary>
    public TimeSpan ConditionsCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Largest image, in bytes, when the upload conditions cannot be fetched (default 6291456, the value
    /// hh.ru documents). Otherwise the <c>max_size</c> of <c>GET /artifacts/{type}/conditions</c> applies.
    /// </summary>
    public long MaxImageBytes { get; set; } = DocumentedMaxImageBytes;

    /// <summary>
    /// Image media types accepted when the upload conditions cannot be fetched (default image/jpeg,
    /// image/png and image/psd, the types hh.ru documents; image/jpg is read as image/jpeg). Otherwise the
    /// <c>mime_type</c> list of <c>GET /artifacts/{type}/conditions</c> applies.
    /// </summary>
    public ISet<string> AcceptedImageTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/jpg", "image/png", "image/psd" };

    /// <summary>Longest description, in characters, when the upload conditions cannot be fetched (hh.ru's documented 255).</summary>
    public const int MaxDescriptionLength = 255;

    /// <summary>Most artifacts of one type hh.ru documents (20); used when the upload conditions cannot be fetched.</summary>
    public const int DocumentedMaxArtifacts = 20;

    /// <summary>Largest image hh.ru documents, in bytes (6291456, 6 MiB).</summary>
    public const long DocumentedMaxImageBytes = 6 * 1024 * 1024;

    /// <inheritdoc />
    protected internal override string ProviderName => "hh.ru";

    /// <inheritdoc />
    protected override ProviderApiException CreateTokenSourceException(string message, Exception cause)
        => new HeadHunterApiException(message, NoResponse(), HeadHunterErrorKind.BadAuthorization, [], requestId: null, innerException: cause);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (UserAgent is null || !UserAgentPattern.IsMatch(UserAgent))
        {
            throw Invalid(nameof(UserAgent), $"must name your application, its version and a contact, as hh.ru requires: \"AppName/1.0 (contact@example.com)\"; it is {(UserAgent is null ? "not set" : $"\"{UserAgent}\"")}.");
        }

        if (MaxImageBytes < 1)
        {
            throw Invalid(nameof(MaxImageBytes), $"must be positive, not {MaxImageBytes}.");
        }

        if (Host is null || !Sites.Contains(Host, StringComparer.Ordinal))
        {
            throw Invalid(nameof(Host), $"must be one of the sites hh.ru documents ({string.Join(", ", Sites)}); it is {(Host is null ? "not set" : $"\"{Host}\"")}.");
        }

        if (Locale is null || !LocalePattern.IsMatch(Locale))
        {
            throw Invalid(nameof(Locale), $"must be a locale identifier of letters such as \"RU\" or \"EN\" (hh.ru's GET /locales); it is {(Locale is null ? "not set" : $"\"{Locale}\"")}.");
        }

        if (ConditionsCacheDuration < TimeSpan.Zero || ConditionsCacheDuration > TimeSpan.FromDays(1))
        {
            throw Invalid(nameof(ConditionsCacheDuration), $"must be between zero and one day, not {ConditionsCacheDuration}.");
        }
    }

    // hh.ru's documented form: "MyApp/1.0 (my-app-feedback@example.com)".
    private static readonly Regex UserAgentPattern = new(@"^\S+/\S+ \(.+\)$");

    // hh.ru's locale ids are short letter codes ("RU", "EN"); anything else would only reach hh.ru to be refused.
    private static readonly Regex LocalePattern = new(@"^[A-Za-z]{2,8}$");
}
