using Automation.Core.Errors;
using Automation.Core.Versioning;

namespace Automation.Core.Detection;

/// <summary>No install of the tool was found, or none satisfied the version constraint.</summary>
public sealed class DetectionException(
    string message, DetectSpec spec, IReadOnlyList<string> searched, IReadOnlyList<DetectionCandidate> candidates, string? fix = null)
    : AutomationException(message, spec.MetaFile, spec.ScriptAlias, fix ?? FixFor(spec))
{
    public IReadOnlyList<string> Searched { get; } = searched;
    public IReadOnlyList<DetectionCandidate> Candidates { get; } = candidates;

    internal static DetectionException NothingSuitable(
        DetectSpec spec, VersionConstraint constraint, IReadOnlyList<string> searched, IReadOnlyList<DetectionCandidate> candidates)
    {
        var wanted = constraint.IsEmpty ? "" : $" satisfying {constraint}{(constraint.Origin is null ? "" : $" (asked by {constraint.Origin})")}";
        var found = candidates.Count == 0
            ? "No candidate was found"
            : $"Candidates: {string.Join("; ", candidates)}";
        var message = $"No usable {spec.ToolName}{wanted} was found. Searched {string.Join("; ", searched)}. {found}.";
        return new DetectionException(message, spec, searched, candidates);
    }

    internal static DetectionException BadPointer(DetectSpec spec, string key, string value, string problem) =>
        new($"{key} points at '{value}', which {problem}; detection uses only that path while {key} is set.", spec, [$"{key} ({value})"], [],
            $"Point {key} at an executable {spec.ToolName}, or unset it to search PATH.");

    private static string FixFor(DetectSpec spec) =>
        spec.NotFound ?? $"Install {spec.ToolName}{(spec.PathEnv.Count > 0 ? $" or set {spec.PathEnv[0]} to its full path" : "")}.";
}
