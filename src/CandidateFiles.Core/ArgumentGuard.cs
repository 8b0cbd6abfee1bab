using System.Text.RegularExpressions;

namespace CandidateFiles;

/// <summary>
/// The argument errors clients throw before anything is sent. They name the parameter of the operation the caller
/// called, not one of the throwing method's (which CA2208 expects of a literal name).
/// </summary>
internal static class InvalidArgument
{
    public static ArgumentException For(string parameter, string message) => new(message, parameter);
}

/// <summary>
/// The checks the generated clients make of an operation's arguments, one per constraint keyword of the spec
/// (build/nswag/templates/Client.Class.ArgumentGuards.liquid emits the calls), before the request exists.
/// Messages never quote a string argument: it can be a file token, an email or a profile key.
/// </summary>
internal static class ArgumentGuard
{
    /// <summary>The spec's <c>required</c>, for multipart fields (NSwag checks the others itself, first thing).</summary>
    public static void Required(object? value, string parameter)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameter, $"{parameter} is missing: the API requires it.");
        }
    }

    /// <summary>The spec's <c>minLength</c>.</summary>
    public static void MinLength(string? value, int minLength, string parameter)
    {
        if (value is not null && value.Length < minLength)
        {
            throw InvalidArgument.For(parameter, value.Length == 0 ? $"{parameter} is empty: the API needs at least {minLength} character(s)." : $"{parameter} is {value.Length} characters; the API wants at least {minLength}.");
        }
    }

    /// <summary>The spec's <c>maxLength</c>.</summary>
    public static void MaxLength(string? value, int maxLength, string parameter)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw InvalidArgument.For(parameter, $"{parameter} is {value.Length} characters; the API accepts at most {maxLength}. Shorten it.");
        }
    }

    /// <summary>The spec's <c>pattern</c> (found anywhere in the value, as JSON Schema reads it); <c>\S</c> is how a spec says "not blank".</summary>
    public static void Pattern(string? value, string pattern, string parameter)
    {
        // "\S" is the specs' "not blank": char.IsWhiteSpace is the regex's \s (\p{Z} and the control spaces), without a regex.
        if (value is not null && (pattern == @"\S" ? string.IsNullOrWhiteSpace(value) : !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1))))
        {
            throw InvalidArgument.For(parameter, string.IsNullOrWhiteSpace(value)
                ? $"{parameter} is empty or whitespace: pass a value."
                : $"{parameter} does not have the form the API documents (pattern {pattern}).");
        }
    }

    /// <summary>The spec's <c>minimum</c>.</summary>
    public static void Minimum(decimal? value, decimal minimum, string parameter)
    {
        if (value < minimum)
        {
            throw InvalidArgument.For(parameter, $"{parameter} is {value}; the API accepts {minimum} at the least.");
        }
    }

    /// <summary>The spec's <c>maximum</c>.</summary>
    public static void Maximum(decimal? value, decimal maximum, string parameter)
    {
        if (value > maximum)
        {
            throw InvalidArgument.For(parameter, $"{parameter} is {value}; the API accepts {maximum} at the most.");
        }
    }

    /// <summary>The spec's <c>enum</c>: a value the spec does not list (or a default struct) is refused.</summary>
    public static void KnownValue(bool isKnown, string parameter, string documented)
    {
        if (!isKnown)
        {
            throw InvalidArgument.For(parameter, $"{parameter} is not one of the values the API documents ({documented}): pass one of its type's named values.");
        }
    }

    /// <summary>A path segment "." or ".." would change the path the request goes to (DELETE /artifacts/.. is DELETE /).</summary>
    public static void NotDotSegment(string? value, string parameter)
    {
        if (value is "." or "..")
        {
            throw InvalidArgument.For(parameter, $"{parameter} is a dot segment (\".\" or \"..\"), which would send the request to another path: pass the id the API gave.");
        }
    }
}
