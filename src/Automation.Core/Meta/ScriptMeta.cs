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
    /// <summary>Env keys naming files that must still exist for a cache entry to be reused.</summary>
    public IReadOnlyList<string> ValidateEnvPaths { get; init; } = [];
    /// <summary>Env exported instead of failing when this script runs as an `"optional": true` dep and fails (e.g. no GPU).</summary>
    public IReadOnlyDictionary<string, string> UnavailableEnv { get; init; } = Empty;
    public string Category { get; init; } = "";
    /// <summary>True for CM folders that carry a customize.py, which we load but cannot run.</summary>
    public bool HasCustomizePy { get; init; }
    public required string Directory { get; init; }
    public required string MetaFile { get; init; }
    /// <summary>SHA-256 of the meta text: a changed meta gives new cache keys.</summary>
    public required string ContentHash { get; init; }
    public required JObject Raw { get; init; }

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
    IReadOnlyList<DepSpec> Deps);

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
    public IReadOnlyDictionary<string, DepOverride> Adr { get; init; } = new Dictionary<string, DepOverride>();
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
        };
    }
}

/// <summary>`--adr.NAME.field=value` or a variation's `adr` block: tags are unioned, env merged, versions overwritten.</summary>
public sealed record DepOverride(
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Env,
    string? Version = null,
    string? VersionMin = null,
    string? VersionMax = null)
{
    public static DepOverride Empty { get; } = new([], ScriptMeta.Empty);

    public DepOverride Merge(DepOverride later)
    {
        var tags = Tags.Concat(later.Tags.Where(t => !Tags.Contains(t))).ToList();
        var env = new Dictionary<string, string>(Env);
        foreach (var (k, v) in later.Env) env[k] = v;
        return new DepOverride(tags, env, later.Version ?? Version, later.VersionMin ?? VersionMin, later.VersionMax ?? VersionMax);
    }
}

/// <summary>`skip_if_env`-style conditions: KEY → accepted values, keys ANDed (or ORed for the *_any_* forms).</summary>
public sealed record EnvCondition(IReadOnlyDictionary<string, IReadOnlyList<string>> Values)
{
    private static readonly string[] Truthy = ["yes", "on", "true", "1"];
    private static readonly string[] Falsy = ["no", "off", "false", "0"];

    public bool AllMatch(IReadOnlyDictionary<string, string> env) => Values.All(kv => Matches(env, kv.Key, kv.Value));
    public bool AnyMatch(IReadOnlyDictionary<string, string> env) => Values.Any(kv => Matches(env, kv.Key, kv.Value));

    private static bool Matches(IReadOnlyDictionary<string, string> env, string key, IReadOnlyList<string> accepted)
    {
        env.TryGetValue(key, out var value);
        var lowered = accepted.Select(a => a.ToLowerInvariant()).ToList();
        if (value is null || value.Length == 0)
            return lowered.Intersect(Falsy).Any() || lowered.Contains("");
        if (lowered.Intersect(Truthy).Any() && !Falsy.Contains(value.ToLowerInvariant())) return true;
        return accepted.Contains(value, StringComparer.Ordinal);
    }
}
