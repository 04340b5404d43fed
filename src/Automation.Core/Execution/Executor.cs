using Automation.Core.Catalog;
using Automation.Core.Detection;
using Automation.Core.Env;
using Automation.Core.Errors;
using Automation.Core.Files;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Security;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <param name="Warn">Receives one-line warnings (an optional dep that was unavailable); null drops them.</param>
/// <param name="OnStep">Told of each finished step as it finishes, so a run record can list the steps of a run that fails later.</param>
/// <param name="Events">Step start/finish events for live viewers such as the dashboard; null sends none.</param>
public sealed record ExecutionOptions(string WorkRoot, bool Quiet = false, string? CurrentDirectory = null, string? CmBinary = null, Action<string>? Warn = null, Action<StepRecord>? OnStep = null, IStepEvents? Events = null);

/// <param name="Executed">The tree of calls as the run decided them (a cache hit has no deps below it but its dynamic ones).</param>
public sealed record RunResult(StepRecord Root, IReadOnlyList<StepRecord> Steps, IReadOnlyDictionary<string, string> Env)
{
    public Plan? Executed { get; init; }
}

/// <summary>
/// Runs a request in CM's order, deciding each dep when it is reached with the env as it is then:
/// variations/env/inputs → cache lookup (a hit runs only `dynamic` deps and loads the stored env) → customize.py
/// predeps → deps → preprocess (or our declarative detection) → prehook_deps → built-in action / run script →
/// posthook_deps → postprocess → post_deps → new_env_keys/new_state_keys filter → cache save.
/// Every effect goes through its seams, so the order is tested in memory.
/// </summary>
public sealed class Executor(
    DepDecider decider, IStepCache cache, StepRunner runner, BuiltinRegistry builtins, Detector detector,
    ICustomizeHooks hooks, IFileSystem fileSystem, IStepFolders folders, IClock clock, IHostEnvironment host)
{
    public async Task<RunResult> RunAsync(CallRequest root, ExecutionOptions options, CancellationToken ct = default)
    {
        var run = new RunState(options, root.EnvOverrides);
        // CM marks the whole run quiet in its env (MLC_QUIET), so every script sees it, not only the first.
        if (options.Quiet) root = root with { Env = new Dictionary<string, string>(root.Env, StringComparer.Ordinal) { [EngineKeys.For(root.Script).Quiet] = "yes" } };
        var step = await CallAsync(root, run, ct);
        var env = new Dictionary<string, string>(step.Node.Env, StringComparer.Ordinal);
        EnvRules.MergeInto(env, step.Record.Outcome.NewEnv, host.PathListSeparator);
        return new RunResult(step.Record, run.Records, env) { Executed = new Plan(step.Node, run.Nodes) };
    }

    private sealed record Step(StepRecord Record, PlanNode Node);

    private sealed class RunState(ExecutionOptions options, IReadOnlyDictionary<string, string> envOverrides)
    {
        public ExecutionOptions Options { get; } = options;
        public IReadOnlyDictionary<string, string> EnvOverrides { get; } = envOverrides;
        public Dictionary<string, Step> Done { get; } = new(StringComparer.Ordinal);
        public List<(string Id, string Display, string File, string Alias)> Stack { get; } = [];
        public List<StepRecord> Records { get; } = [];
        public List<PlanNode> Nodes { get; } = [];
    }

    /// <summary>
    /// A skip asked for by preprocess: unwinds the build so that no cache entry is committed; with a script to run
    /// instead (CM's `'script': {...}`), that script's result becomes the call's.
    /// </summary>
    private sealed class SkippedByHook(JObject? instead, IReadOnlyDictionary<string, string> env) : Exception("skipped by customize.py preprocess")
    {
        public JObject? Instead { get; } = instead;
        public IReadOnlyDictionary<string, string> Env { get; } = env;
    }

    private async Task<Step> CallAsync(CallRequest request, RunState run, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var prepared = CallPreparer.Prepare(request);
        var node = prepared.Node;
        if (run.Done.TryGetValue(node.Id, out var done))
        {
            CheckVersion(done, node);
            return done;
        }
        if (run.Stack.FindIndex(s => s.Id == node.Id) is var at and >= 0)
        {
            var cycle = string.Join(" -> ", run.Stack.Skip(at).Select(s => s.Display).Append(run.Stack[at].Display));
            throw new DependencyCycleException($"dependency cycle at run time: {cycle}", run.Stack[^1].File, run.Stack[^1].Alias,
                "Remove one of these deps, or guard it with skip_if_env/enable_if_env so the chain ends.");
        }
        CallChain.CheckDepth(run.Stack, node.Display);
        run.Stack.Add((node.Id, node.Display, node.Script.MetaFile, node.Script.Alias));
        try
        {
            var step = await ExecuteAsync(prepared, run, ct);
            run.Options.Events?.Finished(step.Record);
            run.Done[node.Id] = step;
            run.Records.Add(step.Record);
            run.Nodes.Add(step.Node);
            run.Options.OnStep?.Invoke(step.Record);
            return step;
        }
        catch (Exception e) when (run.Options.Events is { } events && e is not OperationCanceledException)
        {
            events.Failed(node, e);
            throw;
        }
        finally
        {
            run.Stack.RemoveAt(run.Stack.Count - 1);
        }
    }

    /// <summary>Two callers reached one call: the version the first got must also fit the second's constraint.</summary>
    private static void CheckVersion(Step done, PlanNode again)
    {
        var ok = done.Record.Outcome.Version is { } v ? again.Version.IsSatisfiedBy(v) : done.Node.Version.Intersect(again.Version) is not null;
        if (ok) return;
        var first = done.Node.Version;
        throw new VersionConflictException(
            $"version conflict for '{again.Script.Alias}': {first.Origin ?? "one caller"} asks for {first}{(done.Record.Outcome.Version is { } got ? $" and got {got}" : "")}, but {again.Version.Origin ?? "another caller"} asks for {again.Version}",
            again.Script.MetaFile, again.Script.Alias,
            "Relax one constraint (e.g. --adr.NAME.version_max=... or edit the dep's version_min/version_max) so that one version fits both.");
    }

    private async Task<Step> ExecuteAsync(PreparedCall prepared, RunState run, CancellationToken ct)
    {
        if (prepared.Node.IsCached) prepared = WithDepKeys(prepared, run);
        var node = prepared.Node;
        var started = clock.UtcNow;
        var edges = new List<PlanEdge>();
        if (node.Script.Builtin is { } builtinName && builtins.Find(builtinName) is IChecksInputs checks) checks.CheckInputs(node);
        try
        {
            if (node.IsCached)
            {
                if (cache.TryGet(node) is { } hit)
                {
                    await RunDynamicDepsAsync(prepared, hit.Outcome, run, edges, ct);
                    return Finish(node, hit.Outcome, started, fromCache: true, hit.EntryDir, edges);
                }
                var built = await cache.GetOrBuildAsync(node, (dir, token) => BuildKeepingLogAsync(prepared, dir, run, edges, token), ct);
                return Finish(node, built.Outcome, started, fromCache: !built.WasBuilt, built.EntryDir, edges);
            }
            var workDir = folders.ForStep(run.Options.WorkRoot, $"{SafeName.Segment(node.Script.Alias)}-{node.Id[..8]}");
            var outcome = await BuildKeepingLogAsync(prepared, workDir, run, edges, ct);
            return Finish(node, outcome, started, fromCache: false, workDir, edges);
        }
        catch (SkippedByHook skip) when (skip.Instead is { } instead)
        {
            var other = await NestedCallAsync(instead, prepared, skip.Env, run, ct);
            edges.Add(new PlanEdge(DepPhase.Deps, new DepSpec { Tags = [.. other.Node.Script.Tags] }, other.Node));
            return Finish(node, other.Record.Outcome, started, fromCache: false, null, edges);
        }
        catch (SkippedByHook)
        {
            return Finish(node, new StepOutcome(ScriptMeta.Empty, new JObject()) { Skipped = true }, started, fromCache: false, null, edges);
        }
    }

    /// <summary>
    /// A cached call's key includes its deps' keys, which its lookup comes before: they are predicted as `--dry-run`
    /// predicts them, from the env known now (docs/cache.md#keys). The keys of the entries it is then built on are
    /// recorded in the entry as dep_keys.
    /// </summary>
    private PreparedCall WithDepKeys(PreparedCall prepared, RunState run)
    {
        PlanNode keyed;
        try
        {
            keyed = prepared.Request is { } request ? (predictor ??= new Resolver(decider.Selector, fileSystem)).Predict(request, run.EnvOverrides) : CallPreparer.WithDepKeys(prepared.Node, []);
        }
        catch (AutomationException)
        {
            // The run reports what is wrong with a dep when it reaches it; the key only has to be the same each time.
            keyed = CallPreparer.WithUnpredictableDeps(prepared.Node);
        }
        return prepared with { Node = prepared.Node with { Key = keyed.Key, KeyInputs = keyed.KeyInputs } };
    }

    private Resolver? predictor;

    private Step Finish(PlanNode node, StepOutcome outcome, DateTimeOffset started, bool fromCache, string? dir, List<PlanEdge> edges)
    {
        var log = dir is null ? null : Path.Combine(dir, StepRunner.LogName);
        var record = new StepRecord(node.Script.Alias, node.Script.Uid, node.Variations, node.Key, node.IsCached, fromCache, dir,
            log is not null && fileSystem.FileExists(log) ? log : null, outcome, started, clock.UtcNow);
        return new Step(record, node with { Deps = edges });
    }

    /// <summary>On a cache hit CM runs only the deps marked `dynamic`, with the env the entry restores.</summary>
    private async Task RunDynamicDepsAsync(PreparedCall prepared, StepOutcome stored, RunState run, List<PlanEdge> edges, CancellationToken ct)
    {
        if (!prepared.DepSpecs.Any(d => d.Dep.Dynamic)) return;
        var env = new Dictionary<string, string>(prepared.Node.Env, StringComparer.Ordinal);
        EnvRules.MergeInto(env, stored.NewEnv, host.PathListSeparator);
        var state = stored.NewState.DeepClone() as JObject ?? new JObject();
        foreach (var phase in new[] { DepPhase.Deps, DepPhase.Prehook, DepPhase.Posthook, DepPhase.Post })
            await RunDepsAsync(prepared, phase, env, state, run, edges, ct, onlyDynamic: true);
    }

    /// <summary>
    /// Builds, and when the build fails keeps its log where the error message says (a cached build's folder is removed
    /// on failure, so the log would go with it).
    /// </summary>
    private async Task<StepOutcome> BuildKeepingLogAsync(PreparedCall call, string workDir, RunState run, List<PlanEdge> edges, CancellationToken ct)
    {
        var log = Path.Combine(workDir, StepRunner.LogName);
        var kept = folders.FailedLogPath(run.Options.WorkRoot, $"{SafeName.Segment(call.Script.Alias)}-{call.Node.Id[..8]}", clock.UtcNow);
        try
        {
            return await BuildAsync(call, workDir, run, edges, kept, ct);
        }
        catch (AutomationException e) when (fileSystem.FileExists(log))
        {
            folders.KeepFailedLog(log, kept);
            if (e is ScriptFailedException failed) throw failed.WithLogPath(kept);
            throw;
        }
    }

    private async Task<StepOutcome> BuildAsync(PreparedCall call, string workDir, RunState run, List<PlanEdge> edges, string keptLog, CancellationToken ct)
    {
        // customize.py may change the deps still to come (automation.update_deps on meta['prehook_deps']).
        var prepared = call;
        var node = prepared.Node;
        var script = node.Script;
        fileSystem.CreateDirectory(workDir);
        // One log per build, in the order things happened: hooks' lines, the built-in action's, the run script's.
        fileSystem.DeleteFile(Path.Combine(workDir, StepRunner.LogName));
        run.Options.Events?.Started(node, workDir);
        var env = new Dictionary<string, string>(node.Env, StringComparer.Ordinal);
        var state = (JObject)prepared.State.DeepClone();
        SetEngineKeys(env, prepared, workDir, run);
        var scriptHooks = CustomizeScript.Hooks(fileSystem, script);
        string? version = node.PlannedVersion;
        string? scriptName = null;
        var extraTags = new List<string>();
        var own = new ProducedEnv(host.PathListSeparator);

        await HookAsync("predeps");
        await RunDepsAsync(prepared, DepPhase.Deps, env, state, run, edges, ct, own);
        foreach (var file in script.CleanFiles) fileSystem.DeleteFile(Path.Combine(workDir, file));
        if (scriptHooks.Contains("preprocess"))
        {
            var result = await RunHookAsync("preprocess");
            if (result.Skip) throw new SkippedByHook(result.Instead, env);
        }

        JObject? evidence = null;
        var validate = new List<string>();
        if (script.Detect is { } detectJson)
        {
            var detected = await DetectAsync(prepared, detectJson, env, state, run, edges, own, ct);
            EnvRules.MergeInto(env, detected.Env, host.PathListSeparator);
            own.Record(detected.Env);
            version = detected.Version.Original;
            evidence = detected.Evidence.ToJson();
            evidence["candidates"] = new JArray(detected.Candidates.Select(c => c.ToJson()));
            validate.Add(detected.Path);
        }
        await RunDepsAsync(prepared, DepPhase.Prehook, env, state, run, edges, ct, own);
        if (script.Builtin is { } builtinName)
        {
            var action = builtins.Find(builtinName) ?? throw new AutomationException(
                $"script '{script.Alias}' names built-in action '{builtinName}', which does not exist", script.MetaFile, script.Alias,
                $"Use one of: {string.Join(", ", builtins.Names)}.");
            StepOutcome result;
            using (var log = UrlCredentials.Redacting(fileSystem.AppendText(Path.Combine(workDir, StepRunner.LogName))))
                result = await action.RunAsync(new ActionContext(node, env, state, workDir, log, run.Options.Quiet), ct);
            EnvRules.MergeInto(env, result.NewEnv, host.PathListSeparator);
            own.Record(result.NewEnv);
            state.Merge(result.NewState);
            version = result.Version ?? version;
            evidence = result.Evidence ?? evidence;
            validate.AddRange(result.PathsToValidate);
        }
        if (runner.FindRunScript(script, env, scriptName) is { } runScript)
        {
            var produced = await runner.RunAsync(node.Script, runScript, env, workDir, run.Options.Quiet, ct, state);
            EnvRules.MergeInto(env, produced, host.PathListSeparator);
            own.Record(produced);
            state.Merge(runner.ReadState(workDir, script.Alias));
        }
        await RunDepsAsync(prepared, DepPhase.Posthook, env, state, run, edges, ct, own);
        await HookAsync("postprocess");
        await RunDepsAsync(prepared, DepPhase.Post, env, state, run, edges, ct, own);

        if (version is null && env.TryGetValue(EngineKeys.For(script).Version, out var v) && node.PlannedVersion is null) version = v;
        var exported = own.WithoutInherited(EnvRules.Export(env, prepared.NewEnvKeys), prepared);
        var exportedState = new JObject(state.Properties().Where(p => EnvRules.MatchesAny(p.Name, prepared.NewStateKeys)));
        foreach (var key in script.ValidateEnvPaths)
            if (exported.TryGetValue(key, out var p) && p.Length > 0) validate.Add(p);
        return new StepOutcome(exported, exportedState, version, evidence, validate.Distinct().ToList())
        {
            DepKeys = CachedDepKeys(edges),
            ExtraCacheTags = extraTags.Distinct(StringComparer.Ordinal).ToList(),
        };

        async Task HookAsync(string hook)
        {
            if (scriptHooks.Contains(hook)) await RunHookAsync(hook);
        }

        async Task<HookResult> RunHookAsync(string hook)
        {
            var before = new Dictionary<string, string>(env, StringComparer.Ordinal);
            var result = await hooks.RunAsync(new HookCall(hook, prepared, env, state, workDir)
            {
                LogPath = Path.Combine(workDir, StepRunner.LogName),
                KeptLogPath = keptLog,
                Quiet = run.Options.Quiet,
                ScriptTags = prepared.Request?.ScriptTags ?? [],
                Access = (request, token) => AccessAsync(request, prepared, env, run, token),
            }, ct);
            own.RecordChanges(before, env);
            version = result.Version ?? version;
            scriptName = result.ScriptName ?? scriptName;
            extraTags.AddRange(result.ExtraCacheTags);
            if (result.Meta is { } meta) prepared = HookRequests.WithDepsFrom(prepared, meta);
            return result;
        }
    }

    /// <summary>
    /// A hook's `mlc.access(...)` (`cmind.access`, `automation.action_object.access`): a nested run of a script in this
    /// same run (same cache, same records, same cycle check), or a search of scripts or cache entries.
    /// </summary>
    private async Task<JObject> AccessAsync(JObject request, PreparedCall caller, IReadOnlyDictionary<string, string> callerEnv, RunState run, CancellationToken ct)
    {
        var access = HookRequests.Read(request);
        switch (access.Kind)
        {
            case HookRequests.Kind.SearchCache:
                return HookRequests.Found(cache.Search(access.Tags));
            case HookRequests.Kind.SearchScripts:
                return HookRequests.Found(decider.Selector.Catalog.Find(TagQuery.FromTags(access.Tags)).Select(HookRequests.Describe).ToList());
            case HookRequests.Kind.Run:
                var step = await NestedCallAsync(request, caller, callerEnv, run, ct);
                return HookRequests.Ran(step.Node.Env, step.Record.Outcome, host.PathListSeparator);
            default:
                return HookRequests.Unsupported(access);
        }
    }

    /// <summary>A run asked for by a hook (`access` with action run, or preprocess's script to run instead).</summary>
    private Task<Step> NestedCallAsync(JObject request, PreparedCall caller, IReadOnlyDictionary<string, string> callerEnv, RunState run, CancellationToken ct) =>
        CallAsync(HookRequests.Call(request, caller, callerEnv, decider.Selector, run.EnvOverrides), run, ct);

    /// <summary>
    /// The engine's own keys with the script's library prefix (CM_ or MLC_), as CM sets them before a script's deps:
    /// where it is, where it works, where the user is, and the pip-style version string of its constraint.
    /// </summary>
    private void SetEngineKeys(Dictionary<string, string> env, PreparedCall prepared, string workDir, RunState run)
    {
        var keys = EngineKeys.For(prepared.Script);
        env[keys.TmpCurrentScriptPath] = prepared.Script.Directory;
        env[keys.TmpCurrentScriptWorkPath] = workDir;
        env[keys.TmpCurrentPath] = run.Options.CurrentDirectory ?? host.CurrentDirectory;
        if (prepared.Script.RepoPath.Length > 0)
        {
            env[keys.TmpCurrentScriptRepoPath] = prepared.Script.RepoPath;
            env[keys.TmpCurrentScriptRepoPathWithPrefix] = prepared.Script.RepoPathWithPrefix.Length > 0 ? prepared.Script.RepoPathWithPrefix : prepared.Script.RepoPath;
        }
        env[keys.TmpPipVersionString] = keys.PipVersionString(env);
        if (run.Options.CmBinary is not null) env["CM_BIN"] = run.Options.CmBinary;
    }

    /// <summary>The nearest cached entries below: a non-cached dep passes its own cached deps through.</summary>
    private static List<string> CachedDepKeys(IEnumerable<PlanEdge> edges) =>
        edges.Where(e => !e.Skipped).SelectMany(e => e.Node.IsCached ? [e.Node.Key] : CachedDepKeys(e.Node.Deps)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Detects the tool; when nothing fits and the script has install_deps, installs it and detects again.</summary>
    private async Task<DetectionResult> DetectAsync(PreparedCall prepared, JObject detectJson, Dictionary<string, string> env, JObject state, RunState run, List<PlanEdge> edges, ProducedEnv own, CancellationToken ct)
    {
        var node = prepared.Node;
        var spec = DetectSpecParser.Parse(detectJson, node.Script.MetaFile, node.Script.Alias);
        try
        {
            return await detector.DetectAsync(spec, env, node.Version, ct);
        }
        catch (DetectionException missing) when (prepared.Phase(DepPhase.Install).Any())
        {
            var installers = string.Join("; ", prepared.Phase(DepPhase.Install)
                .Select(d => decider.Decide(prepared, DepPhase.Install, d, env, run.EnvOverrides).Call)
                .Where(c => c is not null).Select(c => c!.Script.Alias + string.Concat(c.Variations.Select(v => ",_" + v))));
            try
            {
                await RunDepsAsync(prepared, DepPhase.Install, env, state, run, edges, ct, own);
            }
            catch (AutomationException failed)
            {
                throw new DetectionException(missing.Message, spec, missing.Searched, missing.Candidates, $"Installing it ({installers}) failed too: {failed.Message}");
            }
            try
            {
                return await detector.DetectAsync(spec, env, node.Version, ct);
            }
            catch (DetectionException stillMissing)
            {
                throw new DetectionException(stillMissing.Message, spec, stillMissing.Searched, stillMissing.Candidates,
                    $"The install ({installers}) ran, but did not provide a usable {spec.ToolName}: install one by hand, or point the script at it.");
            }
        }
    }

    /// <summary>Each dep of the phase is decided now, with the env as earlier deps and hooks left it, then run.</summary>
    private async Task RunDepsAsync(PreparedCall prepared, DepPhase phase, Dictionary<string, string> env, JObject state, RunState run,
        List<PlanEdge> edges, CancellationToken ct, ProducedEnv? own = null, bool onlyDynamic = false)
    {
        foreach (var dep in prepared.Phase(phase))
        {
            if (onlyDynamic && !dep.Dynamic) continue;
            var decision = decider.Decide(prepared, phase, dep, env, run.EnvOverrides);
            if (decision.Call is null) continue;
            Step child;
            try
            {
                child = await CallAsync(decision.Call, run, ct);
            }
            catch (AutomationException e) when (dep.Optional)
            {
                // An optional dep that cannot run (no GPU, no driver) reports itself unavailable instead of failing the parent.
                var unavailable = new Dictionary<string, string>(decision.Call.Script.UnavailableEnv, StringComparer.Ordinal) { ["CM_TMP_UNAVAILABLE_REASON"] = e.Message };
                EnvRules.MergeInto(env, unavailable, host.PathListSeparator);
                own?.Record(unavailable);
                run.Options.Warn?.Invoke($"optional dep '{decision.Call.Script.Alias}' of '{prepared.Script.Alias}' is unavailable: {e.Message}");
                continue;
            }
            catch (AutomationException e) when (dep.ContinueOnError)
            {
                run.Options.Warn?.Invoke($"dep '{decision.Call.Script.Alias}' of '{prepared.Script.Alias}' failed and is marked continue_on_error: {e.Message}");
                continue;
            }
            edges.Add(new PlanEdge(phase, dep, child.Node));
            EnvRules.MergeInto(env, child.Record.Outcome.NewEnv, host.PathListSeparator);
            own?.Record(child.Record.Outcome.NewEnv);
            state.Merge(child.Record.Outcome.NewState);
        }
    }
}
