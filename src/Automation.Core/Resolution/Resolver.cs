using Automation.Core.Catalog;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.Versioning;
using Automation.Core.World;

namespace Automation.Core.Resolution;

/// <summary>
/// Predicts the plan of a request without running anything (what `--dry-run` prints, and what records and locks are
/// written against). It walks CM's order for each script with the same pieces the executor uses at run time
/// (<see cref="CallPreparer"/>, <see cref="DepDecider"/>), but cannot know the env that run scripts, detection and
/// customize.py will set: a dep whose condition or tags read such a key is marked "decided at run time" and shown
/// as the known env decides it; a cycle that only such a dep could close is noted, not an error.
/// </summary>
public sealed class Resolver
{
    private readonly ScriptSelector selector;
    private readonly DepDecider decider;
    private readonly IFileSystem fileSystem;

    public Resolver(ScriptCatalog catalog, IScriptChooser? chooser = null, IFileSystem? fileSystem = null)
        : this(new ScriptSelector(catalog, chooser), fileSystem ?? PhysicalFileSystem.Instance)
    {
    }

    /// <summary>A resolver sharing <paramref name="selector"/> (and so its remembered choices) with an executor.</summary>
    public Resolver(ScriptSelector selector, IFileSystem fileSystem)
    {
        this.selector = selector;
        decider = new DepDecider(selector);
        this.fileSystem = fileSystem;
    }

    public ScriptSelector Selector => selector;

    public Plan Resolve(RunRequest request)
    {
        var walk = new Walk(this, request);
        var root = walk.Visit(RootCall(request), [], uncertainContext: false)
                   ?? throw new InvalidOperationException("the root of a plan cannot be cut off");
        return new Plan(root, walk.Order) { Notes = walk.Notes };
    }

    /// <summary>
    /// One call predicted with its deps, as the executor keys it before its cache lookup: the node's key includes
    /// its predicted deps' keys (<see cref="CallPreparer.WithDepKeys"/>).
    /// </summary>
    public PlanNode Predict(CallRequest call, IReadOnlyDictionary<string, string> envOverrides) =>
        new Walk(this, new RunRequest { EnvOverrides = envOverrides }).Visit(call, [], uncertainContext: false)
        ?? throw new InvalidOperationException("the root of a prediction cannot be cut off");

    /// <summary>The call a request starts with: the named script or the best match of its tags.</summary>
    public CallRequest RootCall(RunRequest request)
    {
        var query = TagQuery.FromTags(request.Tags);
        var script = request.Name is { } name
            ? selector.Catalog.FindByAliasOrUid(name) ?? throw UnknownName(name)
            : selector.Select(query, "the command line");
        return new CallRequest
        {
            Script = script,
            Variations = query.Variations,
            ExcludedVariations = query.ExcludedVariations,
            Env = request.CallerEnv,
            Inputs = request.Inputs,
            EnvOverrides = request.EnvOverrides,
            Version = request.Version with { Origin = "the command line" },
            Adr = request.Adr,
            ScriptTags = request.Name is null ? query.Required : script.Tags,
        };
    }

    public ScriptMeta SelectScript(TagQuery query, string requestedBy) => selector.Select(query, requestedBy);

    private UnknownTagsException UnknownName(string name)
    {
        var near = Suggest.Nearest(name, selector.Catalog.Entries.Select(s => s.Alias));
        return new UnknownTagsException($"no script is named '{name}'", (near is null ? "" : $"Did you mean '{near}'? ") + "Run `cm find script` to list scripts.");
    }

    /// <summary>What a predicted call hands back to its caller: env it certainly exports, and key patterns it may set.</summary>
    private sealed record Exports(IReadOnlyDictionary<string, string> Known, IReadOnlyList<string> Uncertain);

    /// <summary>One depth-first prediction; dedupes calls, detects cycles and version conflicts.</summary>
    private sealed class Walk(Resolver resolver, RunRequest request)
    {
        private readonly Dictionary<string, (PlanNode Node, Exports Exports)> done = new(StringComparer.Ordinal);
        private readonly List<(string Id, string Display, string File, string Alias)> stack = [];
        public List<PlanNode> Order { get; } = [];
        public List<string> Notes { get; } = [];

        /// <param name="uncertainContext">True below a dep that is decided at run time: a cycle there is only possible.</param>
        /// <param name="uncertain">Key patterns whose values in the incoming env the run may change first.</param>
        public PlanNode? Visit(CallRequest call, IReadOnlyList<string> uncertain, bool uncertainContext) =>
            VisitCall(call, uncertain, uncertainContext)?.Node;

        private (PlanNode Node, Exports Exports)? VisitCall(CallRequest call, IReadOnlyList<string> uncertain, bool uncertainContext)
        {
            var prepared = CallPreparer.Prepare(call);
            var id = prepared.Node.Id;
            if (stack.FindIndex(s => s.Id == id) is var at and >= 0)
            {
                var cycle = string.Join(" -> ", stack.Skip(at).Select(s => s.Display).Append(stack[at].Display));
                if (uncertainContext)
                {
                    Notes.Add($"possible cycle {cycle}: a dep on the way is decided at run time, which is expected to break it");
                    return null;
                }
                throw new DependencyCycleException($"dependency cycle: {cycle}", stack[^1].File, stack[^1].Alias,
                    "Remove one of these deps, or guard it with skip_if_env/enable_if_env so the chain ends.");
            }
            if (done.TryGetValue(id, out var existing))
            {
                if (existing.Node.Version.Intersect(prepared.Node.Version) is null) throw Conflict(prepared.Script, existing.Node.Version, prepared.Node.Version);
                return existing;
            }

            var script = prepared.Script;
            CallChain.CheckDepth(stack, prepared.Node.Display);
            stack.Add((id, prepared.Node.Display, script.MetaFile, script.Alias));
            var hooks = CustomizeScript.Hooks(resolver.fileSystem, script);
            var env = new Dictionary<string, string>(prepared.Node.Env, StringComparer.Ordinal);
            var unsure = uncertain.ToList();
            var edges = new List<PlanEdge>();
            var customizeKeys = hooks.Count > 0 ? CustomizeKeys(script) : [];

            if (hooks.Contains("predeps")) unsure.AddRange(customizeKeys);
            Phase(DepPhase.Deps);
            if (hooks.Contains("preprocess")) unsure.AddRange(customizeKeys);
            if (script.Detect is not null) unsure.AddRange(prepared.NewEnvKeys);
            Phase(DepPhase.Prehook);
            var runsSomething = script.Builtin is not null || RunScriptKeys(script) is not null;
            if (runsSomething)
            {
                unsure.AddRange(RunScriptKeys(script) ?? []);
                unsure.AddRange(prepared.NewEnvKeys);
            }
            Phase(DepPhase.Posthook);
            if (hooks.Contains("postprocess")) unsure.AddRange(customizeKeys);
            Phase(DepPhase.Post);
            Phase(DepPhase.Install);
            stack.RemoveAt(stack.Count - 1);

            var node = CallPreparer.WithDepKeys(prepared.Node with { Deps = edges, Hooks = hooks }, edges.Where(e => !e.Skipped).Select(e => e.Node));
            var dynamic = hooks.Count > 0 || runsSomething || script.Detect is not null;
            var exports = new Exports(EnvRules.Export(env, prepared.NewEnvKeys),
                dynamic ? prepared.NewEnvKeys : unsure.Where(p => prepared.NewEnvKeys.Any(k => EnvRules.Glob(k, p) || EnvRules.Glob(p, k))).ToList());
            done[id] = (node, exports);
            Order.Add(node);
            return (node, exports);

            void Phase(DepPhase phase)
            {
                foreach (var dep in prepared.Phase(phase))
                {
                    var edge = VisitDep(prepared, phase, dep, env, unsure, uncertainContext);
                    if (edge is null) continue;
                    edges.Add(edge.Value.Edge);
                    if (edge.Value.Edge.Skipped) continue;
                    EnvRules.MergeInto(env, edge.Value.Exports.Known, Path.PathSeparator);
                    unsure.AddRange(edge.Value.Exports.Uncertain);
                }
            }
        }

        private (PlanEdge Edge, Exports Exports)? VisitDep(PreparedCall caller, DepPhase phase, DepSpec dep, Dictionary<string, string> env,
            List<string> unsure, bool uncertainContext)
        {
            var unsureKeys = DepDecider.KeysRead(dep).Where(k => unsure.Any(p => EnvRules.Glob(p, k))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var note = unsureKeys.Count > 0 ? $"decided at run time: {string.Join(", ", unsureKeys)}" : null;
            DepDecision decision;
            try
            {
                decision = resolver.decider.Decide(caller, phase, dep, env, request.EnvOverrides);
            }
            catch (Errors.AutomationException e) when (note is not null || uncertainContext)
            {
                Notes.Add($"'{caller.Script.Alias}' dep '{string.Join(',', dep.Tags)}' ({note ?? "below a dep decided at run time"}): {e.Message}");
                return null;
            }
            if (decision.Call is null)
                return note is null ? null : SkippedEdge(caller, phase, dep, env, note);

            var child = VisitCall(decision.Call, unsure, uncertainContext || note is not null);
            return child is null ? null : (new PlanEdge(phase, dep, child.Value.Node, note), child.Value.Exports);
        }

        /// <summary>A dep the known env skips but the run may not: shown without its own deps.</summary>
        private (PlanEdge, Exports)? SkippedEdge(PreparedCall caller, DepPhase phase, DepSpec dep, Dictionary<string, string> env, string note)
        {
            try
            {
                var query = TagQuery.FromTags(DepDecider.Tags(caller, dep, env));
                var script = resolver.selector.Select(query, $"a dep of '{caller.Script.Alias}'");
                var node = CallPreparer.Prepare(new CallRequest { Script = script, Variations = query.Variations, ExcludedVariations = query.ExcludedVariations, Env = env }).Node;
                return (new PlanEdge(phase, dep, node, note, Skipped: true), new Exports(ScriptMeta.Empty, []));
            }
            catch (Errors.AutomationException)
            {
                return null;
            }
        }

        private IReadOnlyList<string> CustomizeKeys(ScriptMeta script)
        {
            var path = Path.Combine(script.Directory, CustomizeScript.FileName);
            return resolver.fileSystem.FileExists(path) ? CustomizeScript.EnvNamesIn(resolver.fileSystem.ReadAllText(path)).ToList() : [];
        }

        /// <summary>The env names a script's run script mentions (what it may write back), or null without one.</summary>
        private IReadOnlyList<string>? RunScriptKeys(ScriptMeta script)
        {
            foreach (var name in new[] { script.Raw.Value<string>("run_script"), "run.sh", "run.bat" })
            {
                if (name is null) continue;
                var path = Path.Combine(script.Directory, name);
                if (resolver.fileSystem.FileExists(path)) return CustomizeScript.EnvNamesIn(resolver.fileSystem.ReadAllText(path)).ToList();
            }
            return null;
        }

        private static VersionConflictException Conflict(ScriptMeta script, VersionConstraint a, VersionConstraint b) =>
            new($"version conflict for '{script.Alias}': {a.Origin ?? "one caller"} asks for {a}, but {b.Origin ?? "another caller"} asks for {b}, and no version satisfies both",
                script.MetaFile, script.Alias,
                "Relax one constraint (e.g. --adr.NAME.version_max=... or edit the dep's version_min/version_max) so that one version fits both.");
    }
}
