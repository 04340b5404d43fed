using System.Text.RegularExpressions;
using Automation.Core.Catalog;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.Versioning;

namespace Automation.Core.Resolution;

/// <summary>What a dep turned into when it was reached: a call of a script, or a skip and why.</summary>
public sealed record DepDecision(DepPhase Phase, DepSpec Spec, CallRequest? Call, string? SkipReason, TagQuery? Query)
{
    public bool Skipped => Call is null;
}

/// <summary>
/// Decides one dep at the moment the run reaches it, with the caller's env as it is then (CM's rule): skip_if_fake_run,
/// enable_if_env/skip_if_env (and the *_any_* forms), tags completed from env (update_tags_from_env*,
/// update_tags_if_env, inherit_variation_tags, `&lt;&lt;&lt;KEY&gt;&gt;&gt;`), the script chosen for those tags, and the env,
/// version and overrides it is called with. Pure given the catalog.
/// </summary>
public sealed partial class DepDecider(ScriptSelector selector)
{
    public ScriptSelector Selector => selector;

    /// <param name="caller">The call that owns the dep.</param>
    /// <param name="env">The caller's env now, after its earlier deps and hooks.</param>
    /// <param name="envOverrides">The command line's --env values, which reach every call.</param>
    public DepDecision Decide(PreparedCall caller, DepPhase phase, DepSpec dep, IReadOnlyDictionary<string, string> env,
        IReadOnlyDictionary<string, string> envOverrides, bool fakeRun = false)
    {
        if (dep.SkipIfFakeRun && fakeRun) return new DepDecision(phase, dep, null, "skip_if_fake_run in a fake run", null);
        if (dep.Conditions.SkipReason(env) is { } reason) return new DepDecision(phase, dep, null, reason, null);

        var query = TagQuery.FromTags(Tags(caller, dep, env));
        var who = $"a dep of '{caller.Script.Alias}' ({caller.Script.MetaFile})";
        ScriptMeta child;
        try
        {
            child = selector.Select(query, who);
        }
        catch (UnknownTagsException) when (dep.Optional)
        {
            return new DepDecision(phase, dep, null, "optional and no script has its tags", query);
        }

        var prefix = caller.Script.EnvPrefix;
        var forced = dep.ReuseVersion ? dep.ForceEnvKeys.Concat(EnvRules.VersionKeys(prefix)).ToList() : dep.ForceEnvKeys;
        var local = EnvRules.LocalKeys(prefix).Concat(caller.Script.LocalEnvKeys).ToList();
        var childEnv = EnvRules.ForDep(env, forced, dep.Env, local);
        var adr = new Dictionary<string, DepOverride>(caller.Adr, StringComparer.Ordinal);
        foreach (var (name, o) in dep.Adr) adr[name] = adr.TryGetValue(name, out var above) ? o.Merge(above) : o;
        var call = new CallRequest
        {
            Script = child,
            Variations = query.Variations,
            ExcludedVariations = query.ExcludedVariations,
            Env = childEnv,
            EnvOverrides = envOverrides,
            Version = new VersionConstraint(dep.Version, dep.VersionMin, dep.VersionMax, dep.VersionMaxUsable,
                $"'{caller.Script.Alias}' (dep {(dep.Names.Count > 0 ? string.Join('/', dep.Names) : string.Join(',', dep.Tags))})"),
            Adr = adr,
            ExtraCacheTags = dep.ExtraCacheTags.Select(t => EnvRules.Expand(t, env)).ToList(),
            ForceCache = dep.ForceCache,
            ScriptTags = query.Required,
        };
        return new DepDecision(phase, dep, call, null, query);
    }

    /// <summary>The dep's tags, completed from the env as CM does before looking the script up.</summary>
    public static List<string> Tags(PreparedCall caller, DepSpec dep, IReadOnlyDictionary<string, string> env)
    {
        string? Value(string key) =>
            dep.Env.TryGetValue(key, out var own) && own.Trim().Length > 0 ? own : env.TryGetValue(key, out var v) && v.Trim().Length > 0 ? v : null;

        var tags = dep.Tags.ToList();
        foreach (var (prefix, keys) in dep.UpdateTagsFromEnvWithPrefix)
            foreach (var key in keys)
                if (Value(key) is { } value) tags.Add(prefix + value);
        foreach (var key in dep.UpdateTagsFromEnv)
            if (Value(key) is { } value) tags.AddRange(TagQuery.Split(value));
        foreach (var (tag, conditions) in dep.UpdateTagsIfEnv)
            if (conditions.SkipReason(env) is null) tags.AddRange(TagQuery.Split(tag));
        if (dep.InheritVariationTags) tags.AddRange(InheritedVariations(caller, dep));
        return tags.Select(t => EnvRules.Expand(t, env)).Where(t => t.Length > 0).ToList();
    }

    private static IEnumerable<string> InheritedVariations(PreparedCall caller, DepSpec dep)
    {
        var skipGroups = dep.SkipInheritVariationGroups.ToHashSet(StringComparer.Ordinal);
        var excludedByDep = dep.Tags.Where(t => t.StartsWith("-_", StringComparison.Ordinal) || t.StartsWith("_-", StringComparison.Ordinal)).Select(t => t[2..]).ToHashSet(StringComparer.Ordinal);
        foreach (var v in caller.ActiveVariations.Where(v => !v.Spec.IsCombined))
        {
            if (v.Spec.Group is { } g && skipGroups.Contains(g)) continue;
            if (excludedByDep.Contains(v.Name)) continue;
            yield return "_" + v.Name;
        }
    }

    /// <summary>Every env key that can change how the dep is decided: its conditions, its tag updates, and `&lt;&lt;&lt;KEY&gt;&gt;&gt;` in its tags.</summary>
    public static IEnumerable<string> KeysRead(DepSpec dep) =>
        dep.Conditions.Keys
            .Concat(dep.UpdateTagsFromEnvWithPrefix.Values.SelectMany(k => k))
            .Concat(dep.UpdateTagsFromEnv)
            .Concat(dep.UpdateTagsIfEnv.Values.SelectMany(c => c.Keys))
            .Concat(dep.Tags.SelectMany(t => Reference().Matches(t).Select(m => m.Groups[1].Value)));

    [GeneratedRegex("<<<([A-Za-z0-9_]+)>>>")]
    private static partial Regex Reference();
}
