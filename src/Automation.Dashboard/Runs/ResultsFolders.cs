using Automation.Dashboard.Security;

namespace Automation.Dashboard.Runs;

/// <summary>
/// Where results live for the dashboard: the folders a run may be pointed at (`results_dir` from the form: an existing
/// folder inside the workspace or a `cm serve --results_dir` folder) and the folders searched for runs the dashboard
/// did not start (MLPerf results folders, submission trees, sweep tables).
/// </summary>
public sealed class ResultsFolders(DashboardOptions options)
{
    /// <summary>Folders under which a run may write: the workspace and every `--results_dir` given to `cm serve`.</summary>
    public IReadOnlyList<string> WritableRoots { get; } = [options.Workspace.Root, .. options.ResultsRoots];

    /// <summary>Folders searched for runs: `&lt;workspace&gt;/results` (less the dashboard's own runs) and the `--results_dir` folders.</summary>
    public IReadOnlyList<string> SearchRoots { get; } =
        [.. new[] { Path.Combine(options.Workspace.Root, "results") }.Concat(options.ResultsRoots).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];

    /// <summary>The full path of an existing folder inside a writable root (links may not lead out), or null.</summary>
    public string? Existing(string value)
    {
        if (value.Length == 0 || value.Contains('\0')) return null;
        var full = Path.GetFullPath(value, options.Workspace.Root).TrimEnd(Path.DirectorySeparatorChar);
        foreach (var root in WritableRoots)
        {
            if (!SafePaths.IsInside(root, full)) continue;
            if (SafePaths.Resolve(root, SafePaths.Relative(root, full) is "." ? "" : SafePaths.Relative(root, full)) is { } inside && Directory.Exists(inside)) return inside;
        }
        return null;
    }
}
