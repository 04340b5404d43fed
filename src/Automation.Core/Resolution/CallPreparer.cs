using System.Security.Cryptography;
using System.Text;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.Versioning;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Resolution;

/// <summary>One call of a script as a caller asks for it: the script, its variations, the env it starts from.</summary>
public sealed record CallRequest
{
    public required ScriptMeta Script { get; init; }
    public IReadOnlyList<string> Variations { get; init; } = [];
    public IReadOnlyList<string> ExcludedVariations { get; init; } = [];
    /// <summary>The env handed down by the caller (the parent's env as it is now, less its local keys).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = ScriptMeta.Empty;
    /// <summary>Script inputs (`--name=value`), mapped through the meta's input_mapping.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = ScriptMeta.Empty;
    /// <summary>`--env.KEY=VALUE` of the command line: they win over every meta at every level.</summary>
    public IReadOnlyDictionary<string, string> EnvOverrides { get; init; } = ScriptMeta.Empty;
    public VersionConstraint Version { get; init; } = VersionConstraint.None;
    /// <summary>Overrides by dep name passed down from above (`--adr.NAME...`, variations' adr).</summary>
    public IReadOnlyDictionary<string, DepOverride> Adr { get; init; } = new Dictionary<string, DepOverride>();
    /// <summary>The dep's `extra_cache_tags`: part of the cache key and of the entry's tags.</summary>
    public IReadOnlyList<string> ExtraCacheTags { get; init; } = [];
    /// <summary>The caller's `force_cache`: caches a script that allows it (`can_force_cache`).</summary>
    public bool ForceCache { get; init; }
    /// <summary>The tags the script was asked for by, less variations (CM's script_tags).</summary>
    public IReadOnlyList<string> ScriptTags { get; init; } = [];
}

/// <summary>
/// A script call after CM's first step (variations, env, inputs, versions): everything that is known before the
/// cache lookup. Its deps are only specs here; each is decided when the run reaches it (<see cref="DepDecider"/>).
/// </summary>
public sealed record PreparedCall(
    PlanNode Node,
    IReadOnlyList<ActiveVariation> ActiveVariations,
    IReadOnlyList<(DepPhase Phase, DepSpec Dep)> DepSpecs,
    IReadOnlyDictionary<string, DepOverride> Adr,
    IReadOnlyList<string> NewEnvKeys,
    IReadOnlyList<string> NewStateKeys,
    JObject State)
{
    /// <summary>What the caller asked for (inputs and tags reach customize.py as `i['input']`).</summary>
    public CallRequest? Request { get; init; }
    public ScriptMeta Script => Node.Script;
    public IEnumerable<DepSpec> Phase(DepPhase phase) => DepSpecs.Where(d => d.Phase == phase).Select(d => d.Dep);
}

/// <summary>
/// CM's step 1 for one script: active variations, env layering (caller env → default_env → env → inputs → versions →
/// variations → --env), the version to use, deps merged by name as CM merges them (a variation's dep with the same
/// names replaces the script's), `ad` applied, and the cache key less its deps' part (<see cref="WithDepKeys"/>).
/// Pure: no processes, and no disk but the script folder's files hash, which its meta reads once.
/// </summary>
public static class CallPreparer
{
    public static PreparedCall Prepare(CallRequest request)
    {
        var script = request.Script;
        var prefix = script.EnvPrefix;
        var variations = VariationSelector.Select(script, request.Variations, request.ExcludedVariations);
        var env = new Dictionary<string, string>(request.Env, StringComparer.Ordinal);
        foreach (var (k, v) in script.DefaultEnv) env.TryAdd(k, v);
        Layer(env, script.Env);
        ApplyInputs(script, request.Inputs, env);

        // The asker (the command line, a caller's dep) is named by the constraint's origin; the file would be the caller's, not this script's.
        var version = VersionFrom(request.Version, env, prefix).Checked(script.Alias);
        var planned = PlanVersion(script, version, variations);
        VersionSpec? versionSpec = planned is not null && script.Versions.TryGetValue(planned, out var vs) ? vs : null;
        if (versionSpec is not null)
        {
            foreach (var (k, v) in versionSpec.DefaultEnv) env.TryAdd(k, v);
            Layer(env, versionSpec.Env);
        }
        foreach (var v in variations)
        {
            foreach (var (k, val) in v.Body.DefaultEnv) env.TryAdd(k, val);
            Layer(env, v.Body.Env);
        }
        SetVersionEnv(env, version, planned, prefix);
        foreach (var (k, v) in request.EnvOverrides) env[k] = v;

        var adr = MergeAdr(request.Adr, variations, versionSpec);
        var ad = new Dictionary<string, DepOverride>(StringComparer.Ordinal);
        foreach (var o in (versionSpec?.Ad ?? new Dictionary<string, DepOverride>()).Concat(variations.SelectMany(v => v.Body.Ad)))
            ad[o.Key] = ad.TryGetValue(o.Key, out var prev) ? prev.Merge(o.Value) : o.Value;
        var deps = MergeDeps(script, variations, versionSpec, ad, adr);

        var variationNames = variations.Where(v => !v.Spec.IsCombined).Select(v => v.Name).Order(StringComparer.Ordinal).ToList();
        var keyEnv = KeyEnv(script, variations, deps, env);
        var cached = script.Cache || (request.ForceCache && script.CanForceCache);
        var keyInputs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["script"] = $"{script.Alias} {script.Uid}",
            ["meta_sha256"] = script.ContentHash,
            ["variations"] = string.Join(',', variationNames),
            ["version_constraint"] = version.ToString(),
            ["planned_version"] = planned ?? "",
        };
        var extraTags = request.ExtraCacheTags.Concat(script.ExtraCacheTagsFromEnv
                .Where(t => env.TryGetValue(t.Env, out var v) && v.Trim().Length > 0).SelectMany(t => TagsFrom(t.Prefix, env[t.Env])))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (extraTags.Count > 0) keyInputs["extra_cache_tags"] = string.Join(',', extraTags);
        if (script.FilesHash is { Length: > 0 } files) keyInputs["files_sha256"] = files;
        foreach (var (k, v) in keyEnv) keyInputs["env." + k] = v;
        var key = KeyOf(keyInputs);
        // The call's identity within a run leaves the version constraint out, so that two callers asking for different
        // versions of one tool meet (and conflict, or share the version that fits both). An uncached call is the same
        // call only with the same whole env.
        var versionKeys = EngineKeys.For(prefix).VersionKeys.ToHashSet(StringComparer.Ordinal);
        var identityInputs = keyInputs.Where(kv => kv.Key is not ("version_constraint" or "planned_version") && !versionKeys.Contains(kv.Key[(kv.Key.IndexOf('.') + 1)..]))
            .Select(kv => kv.Key + "=" + kv.Value);
        var identity = Hash(cached
            ? ["call", .. identityInputs]
            : ["call", .. identityInputs, .. env.Where(kv => !versionKeys.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)])[..32];

        var state = new JObject();
        foreach (var v in variations)
            if (v.Body.State is { } s) state.Merge(s.DeepClone());

        var node = new PlanNode
        {
            Id = identity[..16],
            Script = script,
            Variations = variationNames,
            Env = env,
            Version = version,
            PlannedVersion = planned,
            Deps = [],
            Key = cached ? key : identity,
            KeyInputs = keyInputs,
            ForcedCache = cached && !script.Cache,
            ExtraCacheTags = extraTags,
        };
        return new PreparedCall(node, variations, deps, adr,
            script.NewEnvKeys.Concat(variations.SelectMany(v => v.Body.NewEnvKeys)).Distinct(StringComparer.Ordinal).ToList(),
            script.NewStateKeys.Concat(variations.SelectMany(v => v.Body.NewStateKeys)).Distinct(StringComparer.Ordinal).ToList(),
            state) { Request = request };
    }

    /// <summary>A meta's `env` over the env so far, as CM's merge_dicts lays it: values overwrite, `+KEY` lists gain new items.</summary>
    private static void Layer(Dictionary<string, string> env, IReadOnlyDictionary<string, string> layer) =>
        EnvRules.MergeInto(env, layer, Path.PathSeparator);

    /// <summary>`extra_cache_tags_from_env`: each comma-separated value of the key becomes a tag with the prefix.</summary>
    private static IEnumerable<string> TagsFrom(string prefix, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => prefix + v);

    private static void ApplyInputs(ScriptMeta script, IReadOnlyDictionary<string, string> inputs, Dictionary<string, string> env)
    {
        foreach (var (input, value) in inputs)
        {
            if (script.InputMapping.TryGetValue(input, out var key)) { env[key] = value; continue; }
            if (EngineInputs.EnvKey(input, script.EnvPrefix) is { } engineKey) { env[engineKey] = value; continue; }
            throw new UnknownInputException($"script '{script.Alias}' has no input '--{input}'", script.MetaFile, script.Alias,
                script.InputMapping.Count == 0 ? "This script takes no inputs; pass env with --env.KEY=VALUE instead." : $"Valid inputs: {string.Join(", ", script.InputMapping.Keys.Order(StringComparer.Ordinal).Select(k => "--" + k))}.");
        }
    }

    /// <summary>CM takes a version the request does not give from the env a caller passed down (reuse_version, force_env_keys).</summary>
    private static VersionConstraint VersionFrom(VersionConstraint requested, IReadOnlyDictionary<string, string> env, string prefix)
    {
        var keys = EngineKeys.For(prefix);
        string? FromEnv(string key) => env.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        return requested with
        {
            Exact = requested.Exact ?? FromEnv(keys.Version),
            Min = requested.Min ?? FromEnv(keys.VersionMin),
            Max = requested.Max ?? FromEnv(keys.VersionMax),
            MaxUsable = requested.MaxUsable ?? FromEnv(keys.VersionMaxUsable),
        };
    }

    /// <summary>
    /// CM's preference when the script installs: the exact version, else default_version (a variation's first) if it
    /// fits, else the newest listed version that fits; with no constraint, default_version.
    /// </summary>
    private static string? PlanVersion(ScriptMeta script, VersionConstraint constraint, IReadOnlyList<ActiveVariation> variations)
    {
        if (constraint.Exact is not null) return constraint.Exact;
        var defaultVersion = variations.Select(v => v.Body.DefaultVersion).FirstOrDefault(v => v is not null) ?? script.DefaultVersion;
        if (defaultVersion is { } dv && constraint.IsSatisfiedBy(dv)) return dv;
        var fitting = script.Versions.Keys.Where(v => ToolVersion.TryParse(v, out _) && constraint.IsSatisfiedBy(v)).OrderByDescending(ToolVersion.Parse).FirstOrDefault();
        return fitting ?? (constraint.IsEmpty ? defaultVersion : null);
    }

    private static void SetVersionEnv(Dictionary<string, string> env, VersionConstraint c, string? planned, string prefix)
    {
        var keys = EngineKeys.For(prefix);
        foreach (var k in keys.VersionKeys) env.Remove(k);
        if (planned is not null) env[keys.Version] = planned;
        if (c.Min is not null) env[keys.VersionMin] = c.Min;
        if (c.Max is not null) env[keys.VersionMax] = c.Max;
        if (c.MaxUsable is not null) env[keys.VersionMaxUsable] = c.MaxUsable;
    }

    /// <summary>Overrides from above win over the call's own variations and version: a user's --adr beats the library.</summary>
    private static Dictionary<string, DepOverride> MergeAdr(IReadOnlyDictionary<string, DepOverride> fromAbove, IReadOnlyList<ActiveVariation> variations, VersionSpec? versionSpec)
    {
        var adr = new Dictionary<string, DepOverride>(fromAbove, StringComparer.Ordinal);
        var own = (versionSpec?.Adr ?? new Dictionary<string, DepOverride>()).Concat(variations.SelectMany(v => v.Body.Adr));
        foreach (var (name, o) in own)
            adr[name] = adr.TryGetValue(name, out var above) ? o.Merge(above) : o;
        return adr;
    }

    /// <summary>
    /// The script's deps with its version's and variations' added as CM's append_deps does: an added dep with the same
    /// `names` (or, unnamed, the same tag set) replaces the earlier one in place; `ad` then amends deps by name.
    /// </summary>
    private static List<(DepPhase, DepSpec)> MergeDeps(ScriptMeta script, IReadOnlyList<ActiveVariation> variations, VersionSpec? versionSpec,
        IReadOnlyDictionary<string, DepOverride> ad, IReadOnlyDictionary<string, DepOverride> adr)
    {
        var phases = new (DepPhase Phase, Func<ScriptMeta, IReadOnlyList<DepSpec>> OfScript, Func<VariationSpec, IReadOnlyList<DepSpec>> OfVariation)[]
        {
            (DepPhase.Deps, s => s.Deps, v => v.Deps),
            (DepPhase.Prehook, s => s.PrehookDeps, v => v.PrehookDeps),
            (DepPhase.Posthook, s => s.PosthookDeps, v => v.PosthookDeps),
            (DepPhase.Post, s => s.PostDeps, v => v.PostDeps),
            (DepPhase.Install, s => s.InstallDeps, _ => []),
        };
        var result = new List<(DepPhase, DepSpec)>();
        foreach (var (phase, ofScript, ofVariation) in phases)
        {
            var list = ofScript(script).ToList();
            if (phase == DepPhase.Deps && versionSpec is not null) Append(list, versionSpec.Deps);
            foreach (var v in variations) Append(list, ofVariation(v.Body));
            foreach (var dep in list)
            {
                var amended = dep;
                foreach (var name in dep.Names)
                {
                    if (ad.TryGetValue(name, out var a)) amended = amended.Apply(a);
                    if (adr.TryGetValue(name, out var r)) amended = amended.Apply(r);
                }
                result.Add((phase, amended));
            }
        }
        return result;
    }

    private static void Append(List<DepSpec> deps, IEnumerable<DepSpec> added)
    {
        foreach (var dep in added)
        {
            var at = dep.Names.Count > 0
                ? deps.FindIndex(d => d.Names.Count > 0 && d.Names.ToHashSet(StringComparer.Ordinal).SetEquals(dep.Names))
                : deps.FindIndex(d => d.Tags.ToHashSet(StringComparer.Ordinal).SetEquals(dep.Tags));
            if (at >= 0) deps[at] = dep;
            else deps.Add(dep);
        }
    }

    /// <summary>
    /// The call's cache key once its deps are predicted (<see cref="Resolver"/>): the prepared inputs plus, under
    /// `deps`, each dep's alias and key in the order the deps come, so that whatever changes a dep's key (its script's
    /// files, its variations, its env, its own deps) changes this key too. An uncached node keeps its identity as its
    /// key; its inputs still gain the deps, so that it passes its deps' keys up to a cached caller.
    /// </summary>
    public static PlanNode WithDepKeys(PlanNode node, IEnumerable<PlanNode> deps) =>
        WithDeps(node, string.Join(',', deps.Select(d => d.Script.Alias + ":" + ResultKey(d))));

    /// <summary>The key when the deps could not be predicted (a dep's lookup failed): the same inputs always give it.</summary>
    public static PlanNode WithUnpredictableDeps(PlanNode node) => WithDeps(node, "(not predictable)");

    private static PlanNode WithDeps(PlanNode node, string deps)
    {
        var inputs = new SortedDictionary<string, string>(node.KeyInputs.ToDictionary(), StringComparer.Ordinal);
        if (deps.Length > 0) inputs["deps"] = deps;
        else inputs.Remove("deps");
        return node with { Key = node.IsCached ? KeyOf(inputs) : node.Key, KeyInputs = inputs };
    }

    /// <summary>What a call's result is keyed by: its cache key, or for an uncached call the key it would have.</summary>
    public static string ResultKey(PlanNode node) => node.IsCached ? node.Key : KeyOf(node.KeyInputs);

    private static string KeyOf(IEnumerable<KeyValuePair<string, string>> inputs) =>
        Hash(["cache", .. inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)])[..32];

    /// <summary>
    /// Env values that decide a script's result: keys its meta lets callers set (less cache_key_ignore_env),
    /// cache_key_env, and the keys its deps' conditions and tag updates read (they decide which deps run, hence what
    /// the entry holds).
    /// </summary>
    private static SortedDictionary<string, string> KeyEnv(ScriptMeta script, IReadOnlyList<ActiveVariation> variations,
        IReadOnlyList<(DepPhase, DepSpec Dep)> deps, Dictionary<string, string> env)
    {
        var ignored = script.CacheKeyIgnoreEnv.ToHashSet(StringComparer.Ordinal);
        var keys = script.DefaultEnv.Keys.Concat(script.InputMapping.Values).Concat(script.CacheKeyEnv)
            .Concat(variations.SelectMany(v => v.Body.DefaultEnv.Keys)).Concat(variations.SelectMany(v => v.Body.Env.Keys)).Concat(script.Env.Keys)
            .Where(k => !ignored.Contains(k))
            .Concat(deps.SelectMany(d => DepDecider.KeysRead(d.Dep)));
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in keys)
            if (env.TryGetValue(k, out var v)) result[k] = v;
        return result;
    }

    public static string Hash(IEnumerable<string> parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts) sb.Append(p.Length).Append(':').Append(p).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

/// <summary>CM's engine-level inputs that every script accepts (`--input`, `--name`, `--outdirname`, ...), as env keys.</summary>
public static class EngineInputs
{
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["input"] = "INPUT", ["output"] = "OUTPUT", ["outdirname"] = "OUTDIRNAME", ["outbasename"] = "OUTBASENAME",
        ["search_folder_path"] = "SEARCH_FOLDER_PATH", ["name"] = "NAME", ["extra_cache_tags"] = "EXTRA_CACHE_TAGS",
        ["skip_compile"] = "SKIP_COMPILE", ["skip_run"] = "SKIP_RUN", ["skip_sudo"] = "SKIP_SUDO", ["accept_license"] = "ACCEPT_LICENSE",
        ["skip_system_deps"] = "SKIP_SYSTEM_DEPS", ["git_ssh"] = "GIT_SSH", ["gh_token"] = "GH_TOKEN", ["hf_token"] = "HF_TOKEN",
        ["verify_ssl"] = "VERIFY_SSL", ["path"] = "TMP_PATH", ["folder"] = "TMP_FOLDER",
    };

    public static string? EnvKey(string input, string prefix) => Keys.TryGetValue(input, out var k) ? EngineKeys.For(prefix).Prefix + k : null;
}
