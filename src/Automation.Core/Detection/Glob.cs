using System.Text.RegularExpressions;

namespace Automation.Core.Detection;

/// <summary>File-name globs for <c>executables</c> and <c>exclude</c>: <c>*</c>, <c>?</c> and <c>[...]</c> classes.</summary>
internal static class Glob
{
    public static bool IsPattern(string name) => name.IndexOfAny(['*', '?', '[']) >= 0;

    public static Regex ToRegex(string glob, bool ignoreCase)
    {
        var pattern = "^" + Regex.Escape(glob).Replace(@"\*", "[^/\\\\]*").Replace(@"\?", ".").Replace(@"\[", "[") + "$";
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return new Regex(pattern, options);
    }
}
