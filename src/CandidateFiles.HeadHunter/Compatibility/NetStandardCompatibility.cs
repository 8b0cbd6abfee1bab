// netstandard2.0 has no [GeneratedRegex] source generator: these parts build the same patterns from the
// attributes on the declarations (Core's GeneratedRegexFallback). See docs/target-frameworks.md.
#if !NET
using System;
using System.Text.RegularExpressions;

namespace CandidateFiles.HeadHunter;

public sealed partial class HeadHunterClientOptions
{
    private static readonly Lazy<Regex> UserAgentRegex = new(() => GeneratedRegexFallback.FromAttribute(typeof(HeadHunterClientOptions), nameof(UserAgentPattern)));

    private static readonly Lazy<Regex> LocaleRegex = new(() => GeneratedRegexFallback.FromAttribute(typeof(HeadHunterClientOptions), nameof(LocalePattern)));

    private static partial Regex UserAgentPattern() => UserAgentRegex.Value;

    private static partial Regex LocalePattern() => LocaleRegex.Value;
}
#endif
