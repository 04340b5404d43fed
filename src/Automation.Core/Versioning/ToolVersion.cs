using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Automation.Core.Versioning;

/// <summary>
/// A tool's version as tools print it ("3.11.7", "12.4", "1.31.1-rc1", "2.39.5.windows.1"), compared with
/// NuGet.Versioning semantics after normalising to at most four numeric parts plus a pre-release label.
/// </summary>
public sealed partial record ToolVersion : IComparable<ToolVersion>
{
    private ToolVersion(string original, NuGetVersion value)
    {
        Original = original;
        Value = value;
    }

    public string Original { get; }
    public NuGetVersion Value { get; }

    public static bool TryParse(string? text, out ToolVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var match = Shape().Match(text.Trim());
        if (!match.Success) return false;
        var numbers = match.Groups["num"].Value.Split('.');
        var normalised = string.Join('.', numbers.Take(4));
        if (numbers.Length == 1) normalised += ".0";
        var label = match.Groups["pre"].Value;
        if (label.Length > 0) normalised += "-" + Regex.Replace(label, "[^0-9A-Za-z.-]", "");
        if (!NuGetVersion.TryParse(normalised, out var parsed)) return false;
        version = new ToolVersion(text.Trim(), parsed);
        return true;
    }

    public static ToolVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a version (expected digits separated by dots, e.g. 3.11.7).");

    public int CompareTo(ToolVersion? other) => other is null ? 1 : VersionComparer.VersionRelease.Compare(Value, other.Value);

    public bool Equals(ToolVersion? other) => other is not null && CompareTo(other) == 0;
    public override int GetHashCode() => VersionComparer.VersionRelease.GetHashCode(Value);
    public override string ToString() => Original;

    public static bool operator <(ToolVersion a, ToolVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ToolVersion a, ToolVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ToolVersion a, ToolVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ToolVersion a, ToolVersion b) => a.CompareTo(b) >= 0;

    // Leading "v" allowed; a pre-release label follows '-' or directly a letter ("1.2rc1").
    [GeneratedRegex(@"^v?(?<num>\d+(?:\.\d+)*)(?:[-+]?(?<pre>[A-Za-z][0-9A-Za-z.-]*))?")]
    private static partial Regex Shape();
}
