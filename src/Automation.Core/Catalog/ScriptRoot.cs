namespace Automation.Core.Catalog;

/// <summary>Where a script root came from; it decides precedence (docs/repos.md).</summary>
public enum RootSource
{
    /// <summary>An entry of CM_SCRIPT_PATH: the user's override for this shell, searched first.</summary>
    ScriptPath,
    /// <summary>A repository registered in $CM_REPOS/repos.json (`cm pull repo`), in registration order.</summary>
    Registered,
    /// <summary>The workspace's own scripts/, searched last.</summary>
    Builtin,
}

/// <summary>
/// One folder of script folders, with the repository it belongs to and the env prefix its scripts expect for the
/// engine's own keys. A null prefix means "by each script's meta format": `meta.yaml`/`meta.json` scripts are
/// MLC's (`MLC_`), `_cm.json`/`_cm.yaml` scripts CM's (`CM_`). RepoPath and RepoPrefix give the values of
/// `*_TMP_CURRENT_SCRIPT_REPO_PATH` and `..._WITH_PREFIX` (the repo meta's `prefix`).
/// </summary>
public sealed record ScriptRoot(string Path, string Repo, string? EnvPrefix, RootSource Source, string RepoPath, string? RepoPrefix = null)
{
    /// <summary>The repository name of the workspace's own scripts/ (`builtin:detect-os`).</summary>
    public const string BuiltinRepo = "builtin";

    /// <summary>A plain folder of script folders, named after the folder (or its parent when it is called script/ or scripts/).</summary>
    public static ScriptRoot Plain(string path, RootSource source = RootSource.ScriptPath)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        var repoPath = System.IO.Path.GetFileName(full) is "script" or "scripts" && System.IO.Path.GetDirectoryName(full) is { } parent ? parent : full;
        return new ScriptRoot(full, System.IO.Path.GetFileName(repoPath), null, source, repoPath);
    }

    /// <summary>The workspace's own scripts/ folder.</summary>
    public static ScriptRoot Builtin(string scriptsFolder) =>
        new(System.IO.Path.GetFullPath(scriptsFolder), BuiltinRepo, EnvPrefixes.Cm, RootSource.Builtin, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(scriptsFolder))!);

    public string RepoPathWithPrefix => RepoPrefix is null ? RepoPath : System.IO.Path.Combine(RepoPath, RepoPrefix);

    /// <summary>The prefix a script of this root uses: the root's own, or the one its meta format implies.</summary>
    public string EnvPrefixFor(string metaFile) =>
        EnvPrefix ?? (System.IO.Path.GetFileName(metaFile).StartsWith("meta.", StringComparison.Ordinal) ? EnvPrefixes.Mlc : EnvPrefixes.Cm);
}

/// <summary>The two env prefixes the script libraries use for the engine's own keys.</summary>
public static class EnvPrefixes
{
    public const string Cm = "CM_";
    public const string Mlc = "MLC_";
}
