using Automation.Core.Errors;

namespace Automation.Core.Versioning;

/// <summary>A version constraint no version can meet, or with a range bound that is not a version (see <see cref="VersionConstraint.Checked"/>).</summary>
public sealed class InvalidVersionConstraintException(string message, string fix, string? script, string? file) : AutomationException(message, file, script, fix)
{
    /// <param name="bound">The bound with its field and asker, e.g. "version_min 'zzz' (asked by the command line)".</param>
    public static InvalidVersionConstraintException NotAVersion(string bound, string? script, string? file) =>
        new($"{bound} is not a version: a range bound must be made of dotted numbers (3.10, v1.2.3-rc, r6.1, 5.1.dev0)",
            "Give version_min and version_max as dotted numbers; to pin a branch, tag or named version, ask for it exactly with version (e.g. --version=master).", script, file);

    public static InvalidVersionConstraintException Empty(VersionConstraint constraint, string why, string? script, string? file) =>
        new($"no version can satisfy {constraint}: {why}",
            "Fix the constraint so that some version fits (e.g. a version_min at or below the version_max).", script, file);
}
