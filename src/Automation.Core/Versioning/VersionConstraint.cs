namespace Automation.Core.Versioning;

/// <summary>
/// CM's version fields on a script run or a dep: an exact version, an inclusive minimum and maximum, and
/// max_usable (the version to install when nothing suitable is found). Who asked is kept for error messages.
/// Versions may be names as well as numbers ("master", "r6.1", "custom"): a name only equals itself, and a range
/// bound must be a number (<see cref="Checked"/> refuses another where a call asks for it, <see cref="VersionComparisonException"/> where one is compared).
/// </summary>
public sealed record VersionConstraint(string? Exact = null, string? Min = null, string? Max = null, string? MaxUsable = null, string? Origin = null)
{
    public static VersionConstraint None { get; } = new();

    public bool IsEmpty => Exact is null && Min is null && Max is null;

    /// <summary>Whether a found (detected, cached) version is acceptable; as CM, "3.11" asked for accepts 3.11.7 found.</summary>
    public bool IsSatisfiedBy(ToolVersion version)
    {
        if (Exact is not null && !(ToolVersion.TryParse(Exact, out var e) ? version.Matches(e) : version.Original == Exact.Trim())) return false;
        if (Min is not null && Order(version.Original, Min, "version_min") < 0) return false;
        if (Max is not null && Order(version.Original, Max, "version_max") > 0) return false;
        return true;
    }

    /// <summary>
    /// Whether a version text is acceptable. A name ("master") satisfies an exact request for the same name and no
    /// numeric range: it has no place among numbers.
    /// </summary>
    public bool IsSatisfiedBy(string? version)
    {
        if (IsEmpty) return true;
        if (string.IsNullOrWhiteSpace(version)) return false;
        if (ToolVersion.TryParse(version, out var v)) return IsSatisfiedBy(v);
        var name = version.Trim();
        if (Exact is not null && Exact.Trim() != name) return false;
        foreach (var (bound, field) in new[] { (Min, "version_min"), (Max, "version_max") })
        {
            if (bound is null || bound.Trim() == name) continue;
            if (!ToolVersion.TryParse(bound, out _)) throw Unordered(version, bound, field);
            return false;
        }
        return true;
    }

    /// <summary>
    /// This constraint when some version can meet it. A range bound that is not a version ("zzz": CM reads it as 0 and
    /// ignores it) or a range that excludes every version (minimum above maximum, an exact version outside the range) is
    /// the asker's error, refused before anything runs.
    /// </summary>
    /// <param name="script">The script the constraint is for, and its meta file, for the message.</param>
    public VersionConstraint Checked(string? script = null, string? file = null)
    {
        foreach (var (bound, field) in new[] { (Min, "version_min"), (Max, "version_max"), (MaxUsable, "version_max_usable") })
            if (bound is not null && !ToolVersion.TryParse(bound, out _))
                throw InvalidVersionConstraintException.NotAVersion(Describe(field, bound), script, file);
        if (Min is not null && Max is not null && ToolVersion.Parse(Min).CompareTo(ToolVersion.Parse(Max)) > 0)
            throw InvalidVersionConstraintException.Empty(this, $"{Describe("version_min", Min)} is above {Describe("version_max", Max)}", script, file);
        if (Exact is not null && (Min is not null || Max is not null) && !IsSatisfiedBy(Exact))
            throw InvalidVersionConstraintException.Empty(this, $"{Describe("version", Exact)} is outside the range {new VersionConstraint(Min: Min, Max: Max)}", script, file);
        return this;
    }

    /// <summary>Both constraints at once, or null when no version can satisfy both (a conflict).</summary>
    public VersionConstraint? Intersect(VersionConstraint other)
    {
        if (Exact is not null && other.Exact is not null && !(ToolVersion.TryCompare(Exact, other.Exact, out var same) && same == 0)) return null;
        var exact = Exact ?? other.Exact;
        var min = Pick(this, other, c => c.Min, "version_min", higher: true);
        var max = Pick(this, other, c => c.Max, "version_max", higher: false);
        var merged = new VersionConstraint(exact, min?.Min, max?.Max, MaxUsable ?? other.MaxUsable, JoinOrigins(Origin, other.Origin));
        if (min is not null && max is not null)
        {
            if (!ToolVersion.TryCompare(min.Min!, max.Max!, out var order))
                throw VersionComparisonException.Unordered(min.Describe("version_min", min.Min!), max.Describe("version_max", max.Max!));
            if (order > 0) return null;
        }
        if (exact is not null && !merged.IsSatisfiedBy(exact)) return null;
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

    /// <summary>Order of a version against one of this constraint's bounds; a bound that cannot order it is the asker's error.</summary>
    private int Order(string version, string bound, string field) =>
        ToolVersion.TryCompare(version, bound, out var order) ? order : throw Unordered(version, bound, field);

    private VersionComparisonException Unordered(string version, string bound, string field) =>
        VersionComparisonException.Unordered($"version '{version}'", Describe(field, bound));

    private string Describe(string field, string value) => $"{field} '{value}'{(Origin is null ? "" : $" (asked by {Origin})")}";

    /// <summary>The constraint whose bound wins (the higher minimum, the lower maximum), null when neither has one.</summary>
    private static VersionConstraint? Pick(VersionConstraint a, VersionConstraint b, Func<VersionConstraint, string?> bound, string field, bool higher)
    {
        if (bound(a) is not { } x) return bound(b) is null ? null : b;
        if (bound(b) is not { } y) return a;
        if (!ToolVersion.TryCompare(x, y, out var order)) throw VersionComparisonException.Unordered(a.Describe(field, x), b.Describe(field, y));
        return (higher ? order >= 0 : order <= 0) ? a : b;
    }

    private static string? JoinOrigins(string? a, string? b) =>
        a is null ? b : b is null || a == b ? a : $"{a} and {b}";
}
