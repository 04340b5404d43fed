using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>Where a run looks for scripts and keeps its cache.</summary>
public sealed record Workspace(string Root, IReadOnlyList<string> ScriptRoots, string CacheDir)
{
    public const string MarkerFile = ".cm-workspace";
    public const string SolutionFile = "Automation.sln";
}

/// <summary>
/// Finds the workspace the way git finds its repository: from a directory upward to the first folder holding
/// Automation.sln or a .cm-workspace marker. User script roots from CM_SCRIPT_PATH come before the workspace's
/// scripts/ so that users can shadow a shipped script.
/// </summary>
public sealed class WorkspaceLocator(IFileSystem fileSystem, IHostEnvironment host)
{
    public Workspace Locate(string? cacheDirOverride = null, string? fallbackStart = null)
    {
        var root = FindUpward(host.CurrentDirectory)
                   ?? (fallbackStart is null ? null : FindUpward(fallbackStart))
                   ?? host.CurrentDirectory;
        var roots = new List<string>();
        foreach (var extra in (host.GetVariable("CM_SCRIPT_PATH") ?? "").Split(host.PathListSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (fileSystem.DirectoryExists(extra)) roots.Add(Path.GetFullPath(extra));
        var shipped = Path.Combine(root, "scripts");
        if (fileSystem.DirectoryExists(shipped)) roots.Add(shipped);
        var fromEnv = host.GetVariable("CM_CACHE_DIR");
        var cache = cacheDirOverride ?? (string.IsNullOrEmpty(fromEnv) ? Path.Combine(root, "cache") : fromEnv);
        return new Workspace(root, roots, Path.GetFullPath(cache));
    }

    private string? FindUpward(string start)
    {
        for (var dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (fileSystem.FileExists(Path.Combine(dir, Workspace.SolutionFile)) || fileSystem.FileExists(Path.Combine(dir, Workspace.MarkerFile)))
                return dir;
        }
        return null;
    }
}
