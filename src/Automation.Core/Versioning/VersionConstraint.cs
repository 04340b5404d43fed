namespace Automation.Core.Versioning;

/// <summary>
/// CM's version fields on a script run or a dep: an exact version, an inclusive minimum and maximum, and
/// max_usable (the version to install when nothing suitable is found). Who asked is kept for error messages.
/// </summary>
public sealed record VersionConstraint(string? Exact = null, string? Min = null, string? Max = null, string? MaxUsable = null, string? Origin = null)
{
    public static VersionConstraint None { get; } = new();

    public bool IsEmpty => Exact is null && Min is null && Max is null;

    public bool IsSatisfiedBy(ToolVersion version)
    {
        if (Exact is not null && ToolVersion.TryParse(Exact, out var e) && version.CompareTo(e) != 0) return false;
        if (Min is not null && ToolVersion.TryParse(Min, out var min) && version < min) return false;
        if (Max is not null && ToolVersion.TryParse(Max, out var max) && version > max) return false;
        return true;
    }

    public bool IsSatisfiedBy(string? version) =>
        IsEmpty || (ToolVersion.TryParse(version, out var v) && IsSatisfiedBy(v));

    /// <summary>Both constraints at once, or null when no version can satisfy both (a conflict).</summary>
    public VersionConstraint? Intersect(VersionConstraint other)
    {
        var exact = Exact ?? other.Exact;
        if (Exact is not null && other.Exact is not null && ToolVersion.Parse(Exact).CompareTo(ToolVersion.Parse(other.Exact)) != 0) return null;
        var min = Highest(Min, other.Min);
        var max = Lowest(Max, other.Max);
        var merged = new VersionConstraint(exact, min, max, MaxUsable ?? other.MaxUsable, JoinOrigins(Origin, other.Origin));
        if (min is not null && max is not null && ToolVersion.Parse(min) > ToolVersion.Parse(max)) return null;
        if (exact is not null && !merged.IsSatisfiedBy(ToolVersion.Parse(exact))) return null;
        return merged;
    }

    public override string ToString()
    {
        if (IsEmpty) return "any version";
        var parts = new List<string>();
        if (Exact is not null) parts.Add($"= {Exact}");
        if (Min is not null) parts.Add($">= {Min}");
        if (Max is not null) parts.Add($"<= {Max}");
        return string.Join(", ", parts);
    }

    private static string? Highest(string? a, string? b) =>
        a is null ? b : b is null ? a : ToolVersion.Parse(a) >= ToolVersion.Parse(b) ? a : b;

    private static string? Lowest(string? a, string? b) =>
        a is null ? b : b is null ? a : ToolVersion.Parse(a) <= ToolVersion.Parse(b) ? a : b;

    private static string? JoinOrigins(string? a, string? b) =>
        a is null ? b : b is null || a == b ? a : $"{a} and {b}";
}
