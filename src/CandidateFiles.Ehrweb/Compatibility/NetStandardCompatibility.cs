// netstandard2.0 has no [GeneratedRegex] source generator: these parts build the same patterns from the
// attributes on the declarations (Core's GeneratedRegexFallback). See docs/target-frameworks.md.
#if !NET
using System;
using System.Text.RegularExpressions;

namespace CandidateFiles.Ehrweb
{
    public sealed partial class EhrwebResumeClientOptions
    {
        private static readonly Lazy<Regex> GuiNumRegex = new(() => GeneratedRegexFallback.FromAttribute(typeof(EhrwebResumeClientOptions), nameof(GuiNumPattern)));

        private static readonly Lazy<Regex> ShortOrFullGuiNumRegex = new(() => GeneratedRegexFallback.FromAttribute(typeof(EhrwebResumeClientOptions), nameof(ShortOrFullGuiNumPattern)));

        private static partial Regex GuiNumPattern() => GuiNumRegex.Value;

        private static partial Regex ShortOrFullGuiNumPattern() => ShortOrFullGuiNumRegex.Value;
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
