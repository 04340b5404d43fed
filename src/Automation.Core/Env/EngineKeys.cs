using Automation.Core.Meta;

namespace Automation.Core.Env;

/// <summary>
/// The env keys the engine itself sets or reads, under the prefix of the script's library: CM's scripts expect
/// `CM_TMP_CURRENT_SCRIPT_PATH`, MLC's `MLC_TMP_CURRENT_SCRIPT_PATH` (MLCFlow's automation/script/module.py).
/// A script's prefix is <see cref="ScriptMeta.EnvPrefix"/>, decided per repository (docs/repos.md).
/// </summary>
public sealed class EngineKeys
{
    // Before Cm and Mlc: static fields initialise in order.
    private static readonly string[] LocalSuffixes =
    [
        "VERSION", "VERSION_MIN", "VERSION_MAX", "VERSION_MAX_USABLE", "DETECTED_VERSION", "INPUT", "OUTPUT", "OUTBASENAME",
        "OUTDIRNAME", "SEARCH_FOLDER_PATH", "NAME", "EXTRA_CACHE_TAGS", "TMP_*", "GIT_*", "RENEW_CACHE_ENTRY",
    ];

    public static EngineKeys Cm { get; } = new("CM_");
    public static EngineKeys Mlc { get; } = new("MLC_");

    private EngineKeys(string prefix)
    {
        Prefix = prefix;
        LocalKeyPatterns = LocalSuffixes.Select(s => prefix + s).ToArray();
    }

    public static EngineKeys For(string prefix) => prefix switch
    {
        "CM_" => Cm,
        "MLC_" => Mlc,
        _ when prefix.Length > 0 && prefix.EndsWith('_') && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') => new EngineKeys(prefix),
        _ => throw new ArgumentException($"'{prefix}' is not an env prefix such as CM_ or MLC_", nameof(prefix)),
    };

    public static EngineKeys For(ScriptMeta script) => For(script.EnvPrefix);

    public string Prefix { get; }

    /// <summary>The script's folder.</summary>
    public string TmpCurrentScriptPath => Prefix + "TMP_CURRENT_SCRIPT_PATH";
    /// <summary>The folder the run script runs in (cache entry or work folder).</summary>
    public string TmpCurrentScriptWorkPath => Prefix + "TMP_CURRENT_SCRIPT_WORK_PATH";
    /// <summary>The folder cm was started from.</summary>
    public string TmpCurrentPath => Prefix + "TMP_CURRENT_PATH";
    /// <summary>The folder of the repository the script came from.</summary>
    public string TmpCurrentScriptRepoPath => Prefix + "TMP_CURRENT_SCRIPT_REPO_PATH";
    /// <summary>The repository folder joined with the repo meta's `prefix`.</summary>
    public string TmpCurrentScriptRepoPathWithPrefix => Prefix + "TMP_CURRENT_SCRIPT_REPO_PATH_WITH_PREFIX";
    /// <summary>`pip install` version pins built from the version keys (see <see cref="PipVersionString"/>).</summary>
    public string TmpPipVersionString => Prefix + "TMP_PIP_VERSION_STRING";
    /// <summary>`yes` when questions take their defaults (`--quiet`).</summary>
    public string Quiet => Prefix + "QUIET";
    public string Version => Prefix + "VERSION";
    public string VersionMin => Prefix + "VERSION_MIN";
    public string VersionMax => Prefix + "VERSION_MAX";
    public string VersionMaxUsable => Prefix + "VERSION_MAX_USABLE";
    public string DetectedVersion => Prefix + "DETECTED_VERSION";
    /// <summary>`--path` as detection's first search place.</summary>
    public string TmpPath => Prefix + "TMP_PATH";
    public string TmpPathIgnoreNonExistant => Prefix + "TMP_PATH_IGNORE_NON_EXISTANT";
    public string SearchFolderPath => Prefix + "SEARCH_FOLDER_PATH";
    public string TmpFolderMaxDepth => Prefix + "TMP_FOLDER_MAX_DEPTH";
    public string OutDirName => Prefix + "OUTDIRNAME";
    public string UserRunDir => Prefix + "USER_RUN_DIR";
    public string ExtraCacheTags => Prefix + "EXTRA_CACHE_TAGS";
    public string RenewCacheEntry => Prefix + "RENEW_CACHE_ENTRY";
    public string TmpSilent => Prefix + "TMP_SILENT";
    public string TmpVerbose => Prefix + "TMP_VERBOSE";
    public string TmpFakeRun => Prefix + "TMP_FAKE_RUN";
    public string TmpFakeDeps => Prefix + "TMP_FAKE_DEPS";
    public string TmpDebugUid => Prefix + "TMP_DEBUG_UID";
    /// <summary>Why an optional dep was unavailable (this engine's key).</summary>
    public string TmpUnavailableReason => Prefix + "TMP_UNAVAILABLE_REASON";

    /// <summary>The four version keys a version constraint sets, in the order MLCFlow reads them.</summary>
    public IReadOnlyList<string> VersionKeys => [Version, VersionMin, VersionMax, VersionMaxUsable];

    /// <summary>`--path`, `--input`-style flags that MLCFlow turns into `&lt;prefix&gt;TMP_&lt;FLAG&gt;`.</summary>
    public string TmpInput(string flag) => Prefix + "TMP_" + flag.ToUpperInvariant();

    /// <summary>Keys kept local to one script call (not passed to its deps) unless a dep's force_env_keys lets them through.</summary>
    public IReadOnlyList<string> LocalKeyPatterns { get; }

    /// <summary>True for a key in this prefix's namespace (`CM_X` for CM).</summary>
    public bool Owns(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The same key under this prefix: `CM_TMP_CURRENT_PATH` → `MLC_TMP_CURRENT_PATH`; a key of neither namespace is unchanged.</summary>
    public string Translate(string key, EngineKeys from) =>
        from == this || !from.Owns(key) ? key : Prefix + key[from.Prefix.Length..];

    /// <summary>
    /// MLCFlow's pip pins from the version keys: `==v` for an exact version, else `&gt;=min,&lt;=max`, `&gt;=min` or
    /// `&lt;=max`; empty when none is set.
    /// </summary>
    public static string PipVersionString(string? version, string? min, string? max) =>
        !string.IsNullOrEmpty(version) ? "==" + version
        : !string.IsNullOrEmpty(min) && !string.IsNullOrEmpty(max) ? ">=" + min + ",<=" + max
        : !string.IsNullOrEmpty(min) ? ">=" + min
        : !string.IsNullOrEmpty(max) ? "<=" + max
        : "";

    /// <summary>The pip pins from an env, read with this prefix.</summary>
    public string PipVersionString(IReadOnlyDictionary<string, string> env) =>
        PipVersionString(env.GetValueOrDefault(Version), env.GetValueOrDefault(VersionMin), env.GetValueOrDefault(VersionMax));

    public override string ToString() => Prefix;
}
