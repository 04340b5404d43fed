using Newtonsoft.Json.Linq;

namespace Automation.Core.Meta;

/// <summary>A script module's meta (`_cm.json`), with CM's key names. Immutable; loaded once per run.</summary>
public sealed record ScriptMeta
{
    public required string Alias { get; init; }
    public required string Uid { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public bool Cache { get; init; }
    public IReadOnlyList<DepSpec> Deps { get; init; } = [];
    public IReadOnlyList<DepSpec> PrehookDeps { get; init; } = [];
    public IReadOnlyList<DepSpec> PosthookDeps { get; init; } = [];
    public IReadOnlyList<DepSpec> PostDeps { get; init; } = [];
    /// <summary>Deps that install the tool; they run only when detection finds nothing, then detection runs again.</summary>
    public IReadOnlyList<DepSpec> InstallDeps { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = Empty;
    public IReadOnlyDictionary<string, string> DefaultEnv { get; init; } = Empty;
    public IReadOnlyList<string> NewEnvKeys { get; init; } = [];
    public IReadOnlyList<string> NewStateKeys { get; init; } = [];
    public IReadOnlyDictionary<string, string> InputMapping { get; init; } = Empty;
    public string? DefaultVersion { get; init; }
    public IReadOnlyDictionary<string, VersionSpec> Versions { get; init; } = new Dictionary<string, VersionSpec>();
    public IReadOnlyDictionary<string, VariationSpec> Variations { get; init; } = new Dictionary<string, VariationSpec>();
    public JObject? Docker { get; init; }
    public JObject? InputDescription { get; init; }
    /// <summary>Declarative detection (see docs/detection.md); null for scripts that do not detect a tool.</summary>
    public JObject? Detect { get; init; }
    /// <summary>Name of a built-in C# action the script runs instead of (or before) its run script.</summary>
    public string? Builtin { get; init; }
    /// <summary>Env keys whose values are part of the cache key besides those the meta itself sets.</summary>
    public IReadOnlyList<string> CacheKeyEnv { get; init; } = [];
    /// <summary>`cache_key_ignore_env`: env keys the meta declares (inputs, defaults) that never change the result
    /// (retries, timeouts, mirrors), so they stay out of the cache key.</summary>
    public IReadOnlyList<string> CacheKeyIgnoreEnv { get; init; } = [];
    /// <summary>Env keys naming files that must still exist for a cache entry to be reused.</summary>
    public IReadOnlyList<string> ValidateEnvPaths { get; init; } = [];
    /// <summary>Env exported instead of failing when this script runs as an `"optional": true` dep and fails (e.g. no GPU).</summary>
    public IReadOnlyDictionary<string, string> UnavailableEnv { get; init; } = Empty;
    public string Category { get; init; } = "";
    /// <summary>CM's `sort`: among scripts matching the same tags, the lowest value wins (then the path).</summary>
    public int Sort { get; init; }
    /// <summary>CM's `predeps: false` turns off customize.py's predeps hook.</summary>
    public bool Predeps { get; init; } = true;
    /// <summary>`extra_cache_tags_from_env`: (env key, tag prefix) pairs whose values become cache tags.</summary>
    public IReadOnlyList<(string Env, string Prefix)> ExtraCacheTagsFromEnv { get; init; } = [];
    /// <summary>`cache_expiration` ("1h", "2d", "30m"): an entry older than this is rebuilt; null never expires.</summary>
    public TimeSpan? CacheExpiration { get; init; }
    /// <summary>`can_force_cache`: a caller's `force_cache` makes this otherwise uncached script cached.</summary>
    public bool CanForceCache { get; init; }
    /// <summary>`local_env_keys`: extra keys kept local to this script's deps (besides the engine's own).</summary>
    public IReadOnlyList<string> LocalEnvKeys { get; init; } = [];
    /// <summary>`clean_files`: files removed from the work folder before the run script runs.</summary>
    public IReadOnlyList<string> CleanFiles { get; init; } = [];
    /// <summary>True for folders that carry a customize.py (CM/MLC Python hooks).</summary>
    public bool HasCustomizePy { get; init; }
    /// <summary>The registered repository the script came from (`builtin` for our shipped scripts/).</summary>
    public string Repo { get; init; } = "";
    /// <summary>The env prefix its library uses for the engine's own keys: `CM_` (CM, ours) or `MLC_` (MLC).</summary>
    public string EnvPrefix { get; init; } = "CM_";
    /// <summary>The repository's folder (`*_TMP_CURRENT_SCRIPT_REPO_PATH`); empty for in-memory metas.</summary>
    public string RepoPath { get; init; } = "";
    /// <summary>The repository's folder joined with its meta's `prefix` (`*_TMP_CURRENT_SCRIPT_REPO_PATH_WITH_PREFIX`).</summary>
    public string RepoPathWithPrefix { get; init; } = "";
    public required string Directory { get; init; }
    public required string MetaFile { get; init; }
    /// <summary>SHA-256 of the meta text: a changed meta gives new cache keys.</summary>
    public required string ContentHash { get; init; }
    /// <summary>
    /// SHA-256 of every file in the script's folder (<see cref="Catalog.ScriptFiles"/>), read when first asked for,
    /// so that a run reads only the folders of the scripts it keys; "" for metas that have no folder on disk.
    /// </summary>
    public string FilesHash => filesHash?.Value ?? "";
    /// <summary>How <see cref="FilesHash"/> is computed (the loader hands the folder's reader in).</summary>
    public Lazy<string>? FilesHashSource { init => filesHash = value; }
    private readonly Lazy<string>? filesHash;
    public required JObject Raw { get; init; }
    /// <summary>What the meta reader read past (file:line:col each); the catalog reports them when the script is used.</summary>
    public IReadOnlyList<MetaWarning> Warnings { get; init; } = [];

    public static IReadOnlyDictionary<string, string> Empty { get; } = new Dictionary<string, string>();

    public IEnumerable<(DepPhase Phase, DepSpec Dep)> AllDeps() =>
        Deps.Select(d => (DepPhase.Deps, d))
            .Concat(PrehookDeps.Select(d => (DepPhase.Prehook, d)))
            .Concat(PosthookDeps.Select(d => (DepPhase.Posthook, d)))
            .Concat(PostDeps.Select(d => (DepPhase.Post, d)))
            .Concat(InstallDeps.Select(d => (DepPhase.Install, d)));
}

public enum DepPhase { Deps, Prehook, Posthook, Post, Install }

/// <summary>Per-version meta merged when that version is chosen (`versions: {"3.1": {...}}`).</summary>
public sealed record VersionSpec(
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<DepSpec> Deps)
{
    public IReadOnlyDictionary<string, string> DefaultEnv { get; init; } = ScriptMeta.Empty;
    /// <summary>`ad`/`add_deps`: overrides of this script's own deps by name.</summary>
    public IReadOnlyDictionary<string, DepOverride> Ad { get; init; } = new Dictionary<string, DepOverride>();
    /// <summary>`adr`/`add_deps_recursive`: overrides passed down to deps of deps by name.</summary>
    public IReadOnlyDictionary<string, DepOverride> Adr { get; init; } = new Dictionary<string, DepOverride>();
}

/// <summary>One entry of `variations`. Combined keys ("onnx,opset-11") keep their parts in <see cref="Parts"/>.</summary>
public sealed record VariationSpec
{
    public required string Key { get; init; }
    public IReadOnlyList<string> Parts { get; init; } = [];
    public string? Group { get; init; }
    public bool IsDefault { get; init; }
    public IReadOnlyDictionary<string, string> DefaultVariations { get; init; } = ScriptMeta.Empty;
    public IReadOnlyList<string> Base { get; init; } = [];
    public string? Alias { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = ScriptMeta.Empty;
    public IReadOnlyDictionary<string, string> DefaultEnv { get; init; } = ScriptMeta.Empty;
    public IReadOnlyList<DepSpec> Deps { get; init; } = [];
    public IReadOnlyList<DepSpec> PrehookDeps { get; init; } = [];
    public IReadOnlyList<DepSpec> PosthookDeps { get; init; } = [];
    public IReadOnlyList<DepSpec> PostDeps { get; init; } = [];
    /// <summary>`adr`/`add_deps_recursive` (both merged): overrides passed down to every dep below by name.</summary>
    public IReadOnlyDictionary<string, DepOverride> Adr { get; init; } = new Dictionary<string, DepOverride>();
    /// <summary>`ad`/`add_deps` (both merged): overrides of this script's own deps by name, not passed further down.</summary>
    public IReadOnlyDictionary<string, DepOverride> Ad { get; init; } = new Dictionary<string, DepOverride>();
    /// <summary>Keys the variation adds to the script's `new_env_keys` / `new_state_keys`.</summary>
    public IReadOnlyList<string> NewEnvKeys { get; init; } = [];
    public IReadOnlyList<string> NewStateKeys { get; init; } = [];
    /// <summary>The variation's `default_version` (used when the request gives none).</summary>
    public string? DefaultVersion { get; init; }
    /// <summary>The variation's `state` merged into the run's state.</summary>
    public JObject? State { get; init; }
    /// <summary>`name.#` variations match any `_name.VALUE` tag.</summary>
    public bool IsWildcard => Key.EndsWith(".#", StringComparison.Ordinal);
    public bool IsCombined => Parts.Count > 1;
    public JObject Raw { get; init; } = new();
}

/// <summary>A dependency entry as CM writes it.</summary>
public sealed record DepSpec
{
    public required IReadOnlyList<string> Tags { get; init; }
    public IReadOnlyList<string> Names { get; init; } = [];
    public EnvCondition? SkipIfEnv { get; init; }
    public EnvCondition? EnableIfEnv { get; init; }
    public EnvCondition? SkipIfAnyEnv { get; init; }
    public EnvCondition? EnableIfAnyEnv { get; init; }
    public string? Version { get; init; }
    public string? VersionMin { get; init; }
    public string? VersionMax { get; init; }
    public string? VersionMaxUsable { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> UpdateTagsFromEnvWithPrefix { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> UpdateTagsFromEnv { get; init; } = [];
    public IReadOnlyList<string> ForceEnvKeys { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = ScriptMeta.Empty;
    /// <summary>A dep that is allowed to fail to resolve at run time (our extension, like CM's optional GPU deps).</summary>
    public bool Optional { get; init; }
    /// <summary>`extra_cache_tags`: tags added to the dep's cache entry (and its lookup).</summary>
    public IReadOnlyList<string> ExtraCacheTags { get; init; } = [];
    /// <summary>`force_cache`: cache the dep even when its script is uncached (where it has `can_force_cache`).</summary>
    public bool ForceCache { get; init; }
    /// <summary>`inherit_variation_tags`: the dep is called with the parent's variation tags too.</summary>
    public bool InheritVariationTags { get; init; }
    /// <summary>Groups whose variations are not inherited (`skip_inherit_variation_groups`).</summary>
    public IReadOnlyList<string> SkipInheritVariationGroups { get; init; } = [];
    /// <summary>`reuse_version`: the parent's version keys reach the dep although they are local keys.</summary>
    public bool ReuseVersion { get; init; }
    /// <summary>`dynamic`: runs even when the parent is served from the cache.</summary>
    public bool Dynamic { get; init; }
    /// <summary>`skip_if_fake_run`: skipped in a fake (dry) run.</summary>
    public bool SkipIfFakeRun { get; init; }
    /// <summary>`continue_on_error`: a failure of the dep is a warning, not the parent's failure.</summary>
    public bool ContinueOnError { get; init; }
    /// <summary>`update_tags_if_env`: tag → conditions (enable_if_env, skip_if_env, ...); the tag is added where they hold.</summary>
    public IReadOnlyDictionary<string, DepConditions> UpdateTagsIfEnv { get; init; } = new Dictionary<string, DepConditions>();

    public DepConditions Conditions => new(SkipIfEnv, EnableIfEnv, SkipIfAnyEnv, EnableIfAnyEnv);
    /// <summary>The dep's own `adr`: passed down to its deps.</summary>
    public IReadOnlyDictionary<string, DepOverride> Adr { get; init; } = new Dictionary<string, DepOverride>();
    /// <summary>The dep's `state`/`const` maps, merged into the state/env it runs with.</summary>
    public IReadOnlyDictionary<string, string> Const { get; init; } = ScriptMeta.Empty;

    /// <summary>The dep as written in the meta (what customize.py hooks see and may change).</summary>
    public JObject Raw { get; init; } = new();

    /// <summary>The dep as CM's dicts carry it: the written keys with tags, names, env and versions as amended here.</summary>
    public JObject ToJson()
    {
        var o = (JObject)Raw.DeepClone();
        o["tags"] = string.Join(',', Tags);
        if (Names.Count > 0) o["names"] = new JArray(Names);
        if (Env.Count > 0) o["env"] = new JObject(Env.Select(kv => new JProperty(kv.Key, kv.Value)));
        void Set(string key, string? value) { if (value is not null) o[key] = value; }
        Set("version", Version);
        Set("version_min", VersionMin);
        Set("version_max", VersionMax);
        Set("version_max_usable", VersionMaxUsable);
        return o;
    }

    public DepSpec Apply(DepOverride o)
    {
        var tags = Tags.ToList();
        foreach (var t in o.Tags) if (!tags.Contains(t)) tags.Add(t);
        var env = new Dictionary<string, string>(Env);
        foreach (var (k, v) in o.Env) env[k] = v;
        return this with
        {
            Tags = tags,
            Env = env,
            Version = o.Version ?? Version,
            VersionMin = o.VersionMin ?? VersionMin,
            VersionMax = o.VersionMax ?? VersionMax,
            VersionMaxUsable = o.VersionMaxUsable ?? VersionMaxUsable,
        };
    }
}

/// <summary>CM's four dep conditions; a dep runs when none of them says skip.</summary>
public sealed record DepConditions(EnvCondition? SkipIfEnv, EnvCondition? EnableIfEnv, EnvCondition? SkipIfAnyEnv, EnvCondition? EnableIfAnyEnv)
{
    /// <summary>Why the conditions skip, given the env; null when they hold.</summary>
    public string? SkipReason(IReadOnlyDictionary<string, string> env)
    {
        if (EnableIfEnv is { } enable && !enable.AllMatch(env)) return "enable_if_env does not hold";
        if (EnableIfAnyEnv is { } enableAny && !enableAny.AnyMatch(env)) return "enable_if_any_env does not hold";
        if (SkipIfEnv is { } skip && skip.AllMatch(env)) return "skip_if_env holds";
        if (SkipIfAnyEnv is { } skipAny && skipAny.AnyMatch(env)) return "skip_if_any_env holds";
        return null;
    }

    public IEnumerable<string> Keys =>
        new[] { SkipIfEnv, EnableIfEnv, SkipIfAnyEnv, EnableIfAnyEnv }.Where(c => c is not null).SelectMany(c => c!.Keys);
}

/// <summary>`--adr.NAME.field=value` or a variation's `adr` block: tags are unioned, env merged, versions overwritten.</summary>
public sealed record DepOverride(
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Env,
    string? Version = null,
    string? VersionMin = null,
    string? VersionMax = null)
{
    public string? VersionMaxUsable { get; init; }

    public static DepOverride Empty { get; } = new([], ScriptMeta.Empty);

    public DepOverride Merge(DepOverride later)
    {
        var tags = Tags.Concat(later.Tags.Where(t => !Tags.Contains(t))).ToList();
        var env = new Dictionary<string, string>(Env);
        foreach (var (k, v) in later.Env) env[k] = v;
        return new DepOverride(tags, env, later.Version ?? Version, later.VersionMin ?? VersionMin, later.VersionMax ?? VersionMax)
        {
            VersionMaxUsable = later.VersionMaxUsable ?? VersionMaxUsable,
        };
    }
}

/// <summary>
/// `skip_if_env`-style conditions: KEY → accepted values, keys ANDed (or ORed for the *_any_* forms), compared as CM
/// does: case-insensitive; a truthy spec (yes/on/true/1) accepts any set value that is not falsy; a falsy spec
/// (no/off/false/0) accepts a falsy, empty, missing or still-unresolved (`&lt;&lt;&lt;KEY&gt;&gt;&gt;`) value.
/// </summary>
public sealed record EnvCondition(IReadOnlyDictionary<string, IReadOnlyList<string>> Values)
{
    private static readonly string[] Truthy = ["yes", "on", "true", "1"];
    private static readonly string[] Falsy = ["no", "off", "false", "0"];

    public bool AllMatch(IReadOnlyDictionary<string, string> env) => Values.All(kv => Matches(env, kv.Key, kv.Value));
    public bool AnyMatch(IReadOnlyDictionary<string, string> env) => Values.Any(kv => Matches(env, kv.Key, kv.Value, any: true));

    /// <summary>The env keys the condition reads.</summary>
    public IEnumerable<string> Keys => Values.Keys;

    private static bool Matches(IReadOnlyDictionary<string, string> env, string key, IReadOnlyList<string> accepted, bool any = false)
    {
        var spec = accepted.Select(a => a.ToLowerInvariant()).ToList();
        if (!env.TryGetValue(key, out var raw))
            // CM's AND form counts a missing key as matching a falsy spec; its OR form never matches a missing key.
            return !any && (spec.Intersect(Falsy).Any() || spec.Contains(""));
        var value = raw.Trim().ToLowerInvariant();
        var unresolved = raw.Contains("<<<", StringComparison.Ordinal);
        if (spec.Intersect(Truthy).Any()) return !Falsy.Contains(value) && value.Length > 0 && !unresolved;
        if (spec.Intersect(Falsy).Any() || (any && spec.Contains(""))) return Falsy.Contains(value) || value.Length == 0 || unresolved;
        return spec.Contains(value);
    }
}
