using System.Security.Cryptography;
using System.Text;
using Automation.Core.Catalog;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.Versioning;

namespace Automation.Core.Resolution;

/// <summary>
/// Turns a request into a plan without touching the machine: selects scripts by tags, variations and versions,
/// layers env, and resolves deps recursively into a DAG with cache keys. Errors name the meta file and the fix.
/// </summary>
public sealed class Resolver(ScriptCatalog catalog)
{
    public Plan Resolve(RunRequest request)
    {
        var script = request.Name is { } name
            ? catalog.FindByAliasOrUid(name) ?? throw UnknownName(name)
            : SelectScript(TagQuery.FromTags(request.Tags), "the command line");
        var query = TagQuery.FromTags(request.Tags);
        var walk = new Walk(this, request);
        var incoming = new Dictionary<string, string>(request.CallerEnv, StringComparer.Ordinal);
        var root = walk.Visit(script, query.Variations, query.ExcludedVariations, incoming, request.Version with { Origin = "the command line" }, request.Inputs, [], request.Adr);
        return new Plan(root, walk.Order);
    }

    public ScriptMeta SelectScript(TagQuery query, string requestedBy)
    {
        if (query.Required.Count == 0)
            throw new UnknownTagsException($"no script tags were given (asked by {requestedBy})", "Give tags such as --tags=get,python3 or a script alias; `cm find script` lists them.");
        var matches = catalog.Find(query);
        if (matches.Count == 1) return matches[0];
        if (matches.Count == 0) throw UnknownTags(query, requestedBy);
        // Deterministic rule: the most specific match (fewest tags beyond the query) wins; a tie is an error.
        var ranked = matches.GroupBy(m => m.Tags.Count(t => !query.Required.Contains(t))).OrderBy(g => g.Key).First().ToList();
        if (ranked.Count == 1) return ranked[0];
        throw new AmbiguousScriptException(
            $"tags '{query}' (asked by {requestedBy}) match {ranked.Count} scripts equally: {string.Join("; ", ranked.Select(m => $"{m.Alias} [{string.Join(',', m.Tags)}] in {m.MetaFile}"))}",
            "Add a tag that only one of them has, or exclude one with -tag, or name the script by alias.");
    }

    private UnknownTagsException UnknownTags(TagQuery query, string requestedBy)
    {
        var allTags = catalog.All.SelectMany(s => s.Tags).ToHashSet(StringComparer.Ordinal);
        var missing = query.Required.Where(t => !allTags.Contains(t)).ToList();
        var hints = missing.Select(t => (t, near: Suggest.Nearest(t, allTags.Concat(catalog.All.Select(s => s.Alias))))).Where(x => x.near is not null).Select(x => $"'{x.t}' → '{x.near}'").ToList();
        var what = missing.Count > 0 ? $"no script has the tag{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}" : $"no script has all of the tags '{query}'";
        return new UnknownTagsException($"{what} (asked by {requestedBy})",
            (hints.Count > 0 ? $"Did you mean {string.Join(", ", hints)}? " : "") + "Run `cm find script` to list scripts and their tags, or add a folder with the script to CM_SCRIPT_PATH.");
    }

    private UnknownTagsException UnknownName(string name)
    {
        var near = Suggest.Nearest(name, catalog.All.Select(s => s.Alias));
        return new UnknownTagsException($"no script is named '{name}'", (near is null ? "" : $"Did you mean '{near}'? ") + "Run `cm find script` to list scripts.");
    }

    /// <summary>One depth-first resolution; dedupes nodes and detects cycles and version conflicts.</summary>
    private sealed class Walk(Resolver resolver, RunRequest request)
    {
        private readonly Dictionary<string, PlanNode> done = new(StringComparer.Ordinal);
        private readonly List<(string Identity, string Display, string File, string Alias)> stack = [];
        public List<PlanNode> Order { get; } = [];

        public PlanNode Visit(ScriptMeta script, IEnumerable<string> requested, IEnumerable<string> excluded,
            Dictionary<string, string> incoming, VersionConstraint constraint, IReadOnlyDictionary<string, string> inputs,
            IReadOnlyList<string> path, IReadOnlyDictionary<string, DepOverride> adr)
        {
            var variations = VariationSelector.Select(script, requested, excluded);
            var env = LayerEnv(script, variations, incoming, inputs);
            // --env overrides decide the result as much as inputs do, so they count in the identity and the cache key.
            foreach (var (k, v) in request.EnvOverrides) env[k] = v;
            var keyEnv = KeyEnv(script, variations, env);
            var variationNames = variations.Where(v => !v.Spec.IsCombined).Select(v => v.Name).Order(StringComparer.Ordinal).ToList();
            var identity = Hash(["node", script.Uid, string.Join(',', variationNames), .. keyEnv.Select(kv => kv.Key + "=" + kv.Value)]);

            if (stack.FindIndex(s => s.Identity == identity) is var at and >= 0)
            {
                var cycle = stack.Skip(at).Select(s => s.Display).Append(stack[at].Display);
                throw new DependencyCycleException($"dependency cycle: {string.Join(" -> ", cycle)}", stack[^1].File, stack[^1].Alias,
                    "Remove one of these deps, or guard it with skip_if_env/enable_if_env so the chain ends.");
            }
            if (done.TryGetValue(identity, out var existing))
            {
                var merged = existing.Version.Intersect(constraint);
                if (merged is null) throw Conflict(script, existing.Version, constraint);
                return existing;
            }

            var display = script.Alias + string.Concat(variationNames.Select(v => ",_" + v));
            stack.Add((identity, display, script.MetaFile, script.Alias));
            var version = constraint;
            var planned = PlanVersion(script, version);
            if (planned is not null && script.Versions.TryGetValue(planned, out var versionSpec))
                foreach (var (k, v) in versionSpec.Env) env[k] = v;
            AddVersionEnv(env, version, planned);
            foreach (var (k, v) in request.EnvOverrides) env[k] = v;

            var localAdr = new Dictionary<string, DepOverride>(adr, StringComparer.Ordinal);
            foreach (var v in variations)
                foreach (var (name, o) in v.Body.Adr)
                    localAdr[name] = localAdr.TryGetValue(name, out var prev) ? o.Merge(prev) : o;

            var edges = new List<PlanEdge>();
            foreach (var (phase, dep) in DepsOf(script, variations, planned))
            {
                var edge = VisitDep(script, phase, dep, env, [.. path, display], localAdr);
                if (edge is not null) edges.Add(edge);
            }
            stack.RemoveAt(stack.Count - 1);

            var keyInputs = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["script"] = $"{script.Alias} {script.Uid}",
                ["meta_sha256"] = script.ContentHash,
                ["variations"] = string.Join(',', variationNames),
                ["version_constraint"] = version.ToString(),
                ["planned_version"] = planned ?? "",
            };
            foreach (var (k, v) in keyEnv) keyInputs["env." + k] = v;
            foreach (var (e, i) in edges.Select((e, i) => (e, i))) keyInputs[$"dep.{i:D2}.{e.Node.Script.Alias}"] = e.Node.Key;
            var key = script.Cache ? Hash(["cache", .. keyInputs.Select(kv => kv.Key + "=" + kv.Value)])[..32] : identity[..32];

            var node = new PlanNode
            {
                Id = identity[..16],
                Script = script,
                Variations = variationNames,
                Env = env,
                Version = version,
                PlannedVersion = planned,
                Deps = edges,
                Key = key,
                KeyInputs = keyInputs,
            };
            done[identity] = node;
            Order.Add(node);
            return node;
        }

        private PlanEdge? VisitDep(ScriptMeta parent, DepPhase phase, DepSpec dep, Dictionary<string, string> parentEnv,
            IReadOnlyList<string> path, IReadOnlyDictionary<string, DepOverride> adr)
        {
            if (dep.SkipIfEnv is { } skip && skip.AllMatch(parentEnv)) return null;
            if (dep.SkipIfAnyEnv is { } skipAny && skipAny.AnyMatch(parentEnv)) return null;
            if (dep.EnableIfEnv is { } enable && !enable.AllMatch(parentEnv)) return null;
            if (dep.EnableIfAnyEnv is { } enableAny && !enableAny.AnyMatch(parentEnv)) return null;

            foreach (var name in dep.Names)
                if (adr.TryGetValue(name, out var o)) dep = dep.Apply(o);
            var tags = dep.Tags.ToList();
            foreach (var key in dep.UpdateTagsFromEnv)
                if (parentEnv.TryGetValue(key, out var value) && value.Length > 0) tags.AddRange(TagQuery.Split(value));
            foreach (var (prefix, keys) in dep.UpdateTagsFromEnvWithPrefix)
                foreach (var key in keys)
                    if (parentEnv.TryGetValue(key, out var value) && value.Length > 0) tags.Add(prefix + value);

            var query = TagQuery.FromTags(tags);
            var who = $"a dep of '{parent.Alias}' ({parent.MetaFile})";
            ScriptMeta child;
            try
            {
                child = resolver.SelectScript(query, who);
            }
            catch (UnknownTagsException) when (dep.Optional)
            {
                return null;
            }
            var constraint = new VersionConstraint(dep.Version, dep.VersionMin, dep.VersionMax, dep.VersionMaxUsable,
                $"'{parent.Alias}' (dep {(dep.Names.Count > 0 ? string.Join('/', dep.Names) : string.Join(',', dep.Tags))})");
            var childEnv = EnvRules.ForDep(parentEnv, dep.ForceEnvKeys, dep.Env);
            var node = Visit(child, query.Variations, query.ExcludedVariations, childEnv, constraint, ScriptMeta.Empty, path, adr);
            return new PlanEdge(phase, dep, node);
        }

        private Dictionary<string, string> LayerEnv(ScriptMeta script, IReadOnlyList<ActiveVariation> variations,
            Dictionary<string, string> incoming, IReadOnlyDictionary<string, string> inputs)
        {
            var env = new Dictionary<string, string>(incoming, StringComparer.Ordinal);
            foreach (var (k, v) in script.DefaultEnv) env.TryAdd(k, v);
            foreach (var (k, v) in script.Env) env[k] = v;
            foreach (var (input, value) in inputs)
            {
                if (!script.InputMapping.TryGetValue(input, out var key))
                    throw new UnknownInputException($"script '{script.Alias}' has no input '--{input}'", script.MetaFile, script.Alias,
                        script.InputMapping.Count == 0 ? "This script takes no inputs; pass env with --env.KEY=VALUE instead." : $"Valid inputs: {string.Join(", ", script.InputMapping.Keys.Order(StringComparer.Ordinal).Select(k => "--" + k))}.");
                env[key] = value;
            }
            foreach (var v in variations)
            {
                var body = v.Body;
                foreach (var (k, val) in body.DefaultEnv) env.TryAdd(k, val);
                foreach (var (k, val) in body.Env) env[k] = val;
            }
            return env;
        }

        /// <summary>Env values that decide a script's result: keys its meta lets callers set, and cache_key_env.</summary>
        private static SortedDictionary<string, string> KeyEnv(ScriptMeta script, IReadOnlyList<ActiveVariation> variations, Dictionary<string, string> env)
        {
            var keys = script.DefaultEnv.Keys.Concat(script.InputMapping.Values).Concat(script.CacheKeyEnv)
                .Concat(variations.SelectMany(v => v.Body.DefaultEnv.Keys)).Concat(variations.SelectMany(v => v.Body.Env.Keys)).Concat(script.Env.Keys);
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var k in keys)
                if (env.TryGetValue(k, out var v)) result[k] = v;
            return result;
        }

        private static IEnumerable<(DepPhase, DepSpec)> DepsOf(ScriptMeta script, IReadOnlyList<ActiveVariation> variations, string? planned)
        {
            foreach (var d in script.Deps) yield return (DepPhase.Deps, d);
            if (planned is not null && script.Versions.TryGetValue(planned, out var vs))
                foreach (var d in vs.Deps) yield return (DepPhase.Deps, d);
            foreach (var v in variations)
                foreach (var d in v.Body.Deps) yield return (DepPhase.Deps, d);
            foreach (var d in script.PrehookDeps) yield return (DepPhase.Prehook, d);
            foreach (var v in variations)
                foreach (var d in v.Body.PrehookDeps) yield return (DepPhase.Prehook, d);
            foreach (var d in script.PosthookDeps) yield return (DepPhase.Posthook, d);
            foreach (var v in variations)
                foreach (var d in v.Body.PosthookDeps) yield return (DepPhase.Posthook, d);
            foreach (var d in script.PostDeps) yield return (DepPhase.Post, d);
            foreach (var v in variations)
                foreach (var d in v.Body.PostDeps) yield return (DepPhase.Post, d);
            foreach (var d in script.InstallDeps) yield return (DepPhase.Install, d);
        }

        /// <summary>CM's preference when the script installs: exact, else default_version if it fits, else the newest listed version that fits.</summary>
        private static string? PlanVersion(ScriptMeta script, VersionConstraint constraint)
        {
            if (constraint.Exact is not null) return constraint.Exact;
            if (script.DefaultVersion is { } dv && constraint.IsSatisfiedBy(dv)) return dv;
            var fitting = script.Versions.Keys.Where(v => ToolVersion.TryParse(v, out _) && constraint.IsSatisfiedBy(v)).OrderByDescending(ToolVersion.Parse).FirstOrDefault();
            return fitting ?? (constraint.IsEmpty ? script.DefaultVersion : null);
        }

        private static void AddVersionEnv(Dictionary<string, string> env, VersionConstraint c, string? planned)
        {
            foreach (var k in new[] { "CM_VERSION", "CM_VERSION_MIN", "CM_VERSION_MAX", "CM_VERSION_MAX_USABLE" }) env.Remove(k);
            if (planned is not null) env["CM_VERSION"] = planned;
            if (c.Min is not null) env["CM_VERSION_MIN"] = c.Min;
            if (c.Max is not null) env["CM_VERSION_MAX"] = c.Max;
            if (c.MaxUsable is not null) env["CM_VERSION_MAX_USABLE"] = c.MaxUsable;
        }

        private static VersionConflictException Conflict(ScriptMeta script, VersionConstraint a, VersionConstraint b) =>
            new($"version conflict for '{script.Alias}': {a.Origin ?? "one caller"} asks for {a}, but {b.Origin ?? "another caller"} asks for {b}, and no version satisfies both",
                script.MetaFile, script.Alias,
                "Relax one constraint (e.g. --adr.NAME.version_max=... or edit the dep's version_min/version_max) so that one version fits both.");
    }

    private static string Hash(IEnumerable<string> parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts) sb.Append(p.Length).Append(':').Append(p).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
