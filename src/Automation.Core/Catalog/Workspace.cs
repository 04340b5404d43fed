using Automation.Core.Repos;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// Where a run looks for scripts and keeps its cache. Script roots are in precedence order: CM_SCRIPT_PATH entries,
/// registered repositories in registration order, then the workspace's own scripts/ (repo `builtin`).
/// Warnings are things the user should know about the roots (a repo root given where a script folder was meant,
/// a registered repository that is gone); the CLI prints them once per command.
/// </summary>
public sealed record Workspace(string Root, IReadOnlyList<ScriptRoot> ScriptRoots, string CacheDir)
{
    public const string MarkerFile = ".cm-workspace";
    public const string SolutionFile = "Automation.sln";

    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Finds the workspace the way git finds its repository: from a directory upward to the first folder holding
/// Automation.sln or a .cm-workspace marker. User script roots from CM_SCRIPT_PATH and registered repositories come
/// before the workspace's scripts/ so that a library's script shadows a shipped one of the same alias.
/// </summary>
public sealed class WorkspaceLocator(IFileSystem fileSystem, IHostEnvironment host)
{
    private readonly RepoReader reader = new(fileSystem);

    public Workspace Locate(string? cacheDirOverride = null, string? fallbackStart = null)
    {
        var root = FindUpward(host.CurrentDirectory)
                   ?? (fallbackStart is null ? null : FindUpward(fallbackStart))
                   ?? host.CurrentDirectory;
        var roots = new List<ScriptRoot>();
        var warnings = new List<string>();
        void Add(ScriptRoot r)
        {
            if (!roots.Any(x => x.Path == r.Path)) roots.Add(r);
        }

        foreach (var extra in (host.GetVariable("CM_SCRIPT_PATH") ?? "").Split(host.PathListSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!fileSystem.DirectoryExists(extra))
                warnings.Add($"CM_SCRIPT_PATH entry '{extra}' is not a folder; it is skipped.");
            else Add(FromScriptPath(Path.GetFullPath(extra), warnings));
        }
        var registry = RepoRegistry.ForHost(fileSystem, host);
        foreach (var path in registry.Paths())
        {
            RepoFolder? repo;
            try
            {
                repo = reader.Describe(path);
            }
            catch (RepoException e)
            {
                warnings.Add($"the registered repository '{path}' is skipped: {e.Message}");
                continue;
            }
            if (repo is not null) Add(repo.ToRoot(RootSource.Registered));
            else warnings.Add($"the registered repository '{path}' is missing or holds no scripts; it is skipped. Unregister it with `cm rm repo {path}` ({registry.File}).");
        }
        var shipped = Path.Combine(root, "scripts");
        // Installed as a .NET tool there is no checkout: our scripts travel beside the binary (fallbackStart).
        var found = FindUpward(host.CurrentDirectory) ?? (fallbackStart is null ? null : FindUpward(fallbackStart));
        if (found is null && fallbackStart is not null && !fileSystem.DirectoryExists(shipped)) shipped = Path.Combine(fallbackStart, "scripts");
        if (fileSystem.DirectoryExists(shipped)) Add(ScriptRoot.Builtin(shipped));
        var fromEnv = host.GetVariable("CM_CACHE_DIR");
        // Outside any workspace the cache lives in the CM home ($CM_REPOS, default ~/CM), as CM keeps its own there,
        // rather than in whatever folder the user happens to be in.
        var defaultCache = found is null && !fileSystem.FileExists(Path.Combine(root, Workspace.MarkerFile)) ? Path.Combine(registry.Directory, "cache") : Path.Combine(root, "cache");
        var cache = cacheDirOverride ?? (string.IsNullOrEmpty(fromEnv) ? defaultCache : fromEnv);
        return new Workspace(root, roots, Path.GetFullPath(cache)) { Warnings = warnings };
    }

    /// <summary>
    /// A CM_SCRIPT_PATH entry is meant to be a folder of script folders. A repository's script/ folder keeps that
    /// repository's name and prefix; a repository root is accepted (its script folder is used) with a warning
    /// rather than yielding no scripts.
    /// </summary>
    private ScriptRoot FromScriptPath(string path, List<string> warnings)
    {
        if (reader.HoldsScripts(path))
            return Path.GetDirectoryName(path) is { } parent && reader.Describe(parent) is { Kind: not RepoKind.Plain } owner && owner.ScriptsPath == path
                ? owner.ToRoot(RootSource.ScriptPath)
                : ScriptRoot.Plain(path);
        if (reader.Describe(path) is { } repo && repo.ScriptsPath != path)
        {
            warnings.Add($"CM_SCRIPT_PATH entry '{path}' is a repository root ({repo.Alias}), not a folder of scripts; its scripts in '{repo.ScriptsPath}' are used. " +
                         $"Set CM_SCRIPT_PATH to '{repo.ScriptsPath}', or register the repository with `cm pull repo {path}`.");
            return repo.ToRoot(RootSource.ScriptPath);
        }
        return ScriptRoot.Plain(path);
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
