// netstandard2.0 has no [GeneratedRegex] source generator: these parts build the same patterns from the
// attributes on the declarations (Core's GeneratedRegexFallback). See docs/target-frameworks.md.
#if !NET
using System;
using System.Text.RegularExpressions;

namespace CandidateFiles.HeadHunter
{
    public sealed partial class HeadHunterClientOptions
    {
        private static readonly Lazy<Regex> UserAgentRegex = new(() => GeneratedRegexFallback.FromAttribute(typeof(HeadHunterClientOptions), nameof(UserAgentPattern)));

        private static readonly Lazy<Regex> LocaleRegex = new(() => GeneratedRegexFallback.FromAttribute(typeof(HeadHunterClientOptions), nameof(LocalePattern)));

        private static partial Regex UserAgentPattern() => UserAgentRegex.Value;

        private static partial Regex LocalePattern() => LocaleRegex.Value;
    }
}

namespace System.Text.RegularExpressions
{
    /// <summary>.NET 7's attribute, for netstandard2.0 (this assembly's own copy; Core's is invisible here).</summary>
    [Microsoft.CodeAnalysis.Embedded]
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    internal sealed class GeneratedRegexAttribute : Attribute
    {
        public GeneratedRegexAttribute(string pattern, RegexOptions options = RegexOptions.None)
        {
            Pattern = pattern;
            Options = options;
        }

        public string Pattern { get; }

        public RegexOptions Options { get; }
    }
}
#endif
