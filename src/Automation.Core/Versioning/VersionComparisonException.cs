using Automation.Core.Errors;

namespace Automation.Core.Versioning;

/// <summary>
/// A version range asked for with a bound that has no order against the version in question ("version_min: master"
/// against 3.11.7, or two callers' "version_min: master" and "version_min: 1.2"). CM reads such names as 0 and
/// answers silently; we say so instead.
/// </summary>
public sealed class VersionComparisonException(string message, string fix) : AutomationException(message, fix: fix)
{
    /// <param name="a">The first version with what it is and who asked, e.g. "version_min 'master' (asked by the command line)".</param>
    /// <param name="b">The second, likewise.</param>
    public static VersionComparisonException Unordered(string a, string b) =>
        new($"cannot order {a} against {b}: only versions made of dotted numbers (3.10, v1.2.3-rc, r6.1, 5.1.dev0) have an order, and a name such as 'master' or 'custom' only equals itself",
            "Give version_min and version_max as dotted numbers; to pin a branch, tag or named version, ask for it exactly with version (e.g. --version=master).");
}
