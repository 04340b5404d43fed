using Automation.Core.Meta;

namespace Automation.Core.Resolution;

/// <summary>A variation switched on for a run; wildcard variations (`batch_size.#`) carry their value.</summary>
public sealed record ActiveVariation(string Name, VariationSpec Spec, string? WildcardValue)
{
    /// <summary>The body with every '#' replaced by the wildcard value, as CM does for dynamic variations.</summary>
    public VariationSpec Body => WildcardValue is null ? Spec : Substitute(Spec, WildcardValue);

    private static VariationSpec Substitute(VariationSpec s, string value)
    {
        string R(string x) => x.Replace("#", value, StringComparison.Ordinal);
        IReadOnlyDictionary<string, string> Map(IReadOnlyDictionary<string, string> m) => m.ToDictionary(kv => R(kv.Key), kv => R(kv.Value));
        IReadOnlyList<DepSpec> Deps(IReadOnlyList<DepSpec> deps) => deps.Select(d => d with { Tags = d.Tags.Select(R).ToList(), Names = d.Names.Select(R).ToList(), Env = Map(d.Env) }).ToList();
        return s with
        {
            Env = Map(s.Env),
            DefaultEnv = Map(s.DefaultEnv),
            Deps = Deps(s.Deps),
            PrehookDeps = Deps(s.PrehookDeps),
            PosthookDeps = Deps(s.PosthookDeps),
            PostDeps = Deps(s.PostDeps),
        };
    }
}

/// <summary>
/// Picks a script's active variations from the requested ones: aliases, `base`, group exclusivity,
/// `default_variations`, group defaults, exclusions, then combined keys ("onnx,opset-11") whose parts are all on.
/// </summary>
public static class VariationSelector
{
    public static IReadOnlyList<ActiveVariation> Select(ScriptMeta script, IEnumerable<string> requested, IEnumerable<string> excluded)
    {
        var excludedSet = excluded.ToHashSet(StringComparer.Ordinal);
        var active = new List<ActiveVariation>();
        var explicitGroups = new Dictionary<string, string>(StringComparer.Ordinal);

        void Activate(string name, bool isExplicit, string requestedBy)
        {
            var variation = FollowAliases(script, name, requestedBy);
            if (excludedSet.Contains(variation.Name) || active.Any(a => a.Name == variation.Name)) return;
            if (variation.Spec.Group is { } group)
            {
                var rival = active.FirstOrDefault(a => a.Spec.Group == group);
                if (rival is not null)
                {
                    if (!isExplicit && !explicitGroups.ContainsKey(group)) return;
                    throw new VariationConflictException(
                        $"variations '_{rival.Name}' and '_{variation.Name}' are both in group '{group}' of script '{script.Alias}', and a group allows only one",
                        script.MetaFile, script.Alias,
                        $"Keep one of them; the group's variations are: {string.Join(", ", GroupMembers(script, group).Select(v => "_" + v))}.");
                }
                if (isExplicit) explicitGroups[group] = variation.Name;
            }
            active.Add(variation);
            foreach (var b in variation.Spec.Base) Activate(b, isExplicit, $"base of _{variation.Name}");
        }

        foreach (var name in requested) Activate(name, true, "the request");

        // Fill empty groups: first from default_variations of active variations, then the group's default. Each pass
        // either switches a variation on or ends the loop; a default that cannot fill its group is the meta's error.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (owner, group, name) in active.ToList().SelectMany(a => a.Spec.DefaultVariations.Select(d => (a.Name, d.Key, d.Value))))
                if (!active.Any(a => a.Spec.Group == group) && !excludedSet.Contains(name))
                    changed |= FillGroup(group, name, $"default_variations of _{owner}");
            foreach (var spec in script.Variations.Values.Where(v => v.IsDefault && v.Group is not null && !v.IsCombined).OrderBy(v => v.Key, StringComparer.Ordinal))
                if (!active.Any(a => a.Spec.Group == spec.Group) && !excludedSet.Contains(spec.Key))
                    changed |= FillGroup(spec.Group!, spec.Key, $"the default of group '{spec.Group}'");
        }

        bool FillGroup(string group, string name, string requestedBy)
        {
            var count = active.Count;
            Activate(name, false, requestedBy);
            if (active.Any(a => a.Spec.Group == group)) return active.Count > count;
            var target = FollowAliases(script, name, requestedBy);
            if (excludedSet.Contains(target.Name)) return active.Count > count;
            var where = target.Spec.Group is { } other ? $"in group '{other}'" : "in no group";
            throw new VariationConflictException(
                $"{requestedBy} in script '{script.Alias}' names '_{name}' for group '{group}', but '_{name}' {(target.Name == name ? "" : $"stands for '_{target.Name}', which ")}is {where}, so the group stays empty",
                script.MetaFile, script.Alias,
                $"Name a variation of group '{group}' there: {string.Join(", ", GroupMembers(script, group).Select(v => "_" + v))}.");
        }

        var names = active.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var combined = script.Variations.Values
            .Where(v => v.IsCombined && v.Parts.All(p => names.Contains(p) || active.Any(a => a.Spec.Key == p)))
            .OrderBy(v => v.Parts.Count).ThenBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new ActiveVariation(v.Key, v, null));
        return active.Concat(combined).ToList();
    }

    /// <summary>The variation a name stands for after its `alias` chain; a chain that comes back to a name is the meta's error.</summary>
    private static ActiveVariation FollowAliases(ScriptMeta script, string name, string requestedBy)
    {
        var chain = new List<string> { name };
        var variation = Lookup(script, name, requestedBy);
        while (variation.Spec.Alias is { } target && target != variation.Name)
        {
            if (chain.Contains(target, StringComparer.Ordinal))
                throw new VariationConflictException(
                    $"the variation aliases of script '{script.Alias}' form a cycle: {string.Join(" -> ", chain.Append(target).Select(v => "_" + v))}",
                    script.MetaFile, script.Alias, "Make one of these variations a real one (with env, deps...) instead of an alias.");
            chain.Add(target);
            variation = Lookup(script, target, $"alias _{chain[^2]}");
        }
        return variation;
    }

    private static ActiveVariation Lookup(ScriptMeta script, string name, string requestedBy)
    {
        if (script.Variations.TryGetValue(name, out var exact) && !exact.IsCombined) return new ActiveVariation(name, exact, null);
        foreach (var spec in script.Variations.Values.Where(v => v.IsWildcard))
        {
            var prefix = spec.Key[..^1];
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length)
                return new ActiveVariation(name, spec, name[prefix.Length..]);
        }
        var valid = script.Variations.Keys.Where(k => !k.Contains(',')).Order(StringComparer.Ordinal).Select(k => "_" + k).ToList();
        var near = Suggest.Nearest(name, script.Variations.Keys);
        throw new UnknownVariationException(
            $"script '{script.Alias}' has no variation '_{name}' (asked by {requestedBy})",
            script.MetaFile, script.Alias,
            (near is null ? "" : $"Did you mean '_{near}'? ") + (valid.Count == 0 ? "This script has no variations." : $"Valid variations: {string.Join(", ", valid)}."));
    }

    private static IEnumerable<string> GroupMembers(ScriptMeta script, string group) =>
        script.Variations.Values.Where(v => v.Group == group).Select(v => v.Key).Order(StringComparer.Ordinal);
}
