using Automation.Core.Detection;
using Automation.Core.Errors;
using Automation.Core.Env;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <param name="Warn">Receives one-line warnings (an optional dep that was unavailable); null drops them.</param>
/// <param name="OnStep">Told of each finished step as it finishes, so a run record can list the steps of a run that fails later.</param>
/// <param name="Events">Step start/finish events for live viewers such as the dashboard; null sends none.</param>
public sealed record ExecutionOptions(string WorkRoot, bool Quiet = false, string? CurrentDirectory = null, string? CmBinary = null, Action<string>? Warn = null, Action<StepRecord>? OnStep = null, IStepEvents? Events = null);

public sealed record RunResult(StepRecord Root, IReadOnlyList<StepRecord> Steps, IReadOnlyDictionary<string, string> Env);

/// <summary>
/// Walks a plan (never decides what to run): each node is served from the cache when valid, otherwise its deps run,
/// then its built-in action and/or run script, and its exports are filtered by new_env_keys.
/// </summary>
public sealed class Executor(IStepCache cache, StepRunner runner, BuiltinRegistry builtins, Detector detector, IClock clock, IHostEnvironment host)
{
    public async Task<RunResult> RunAsync(Plan plan, ExecutionOptions options, CancellationToken ct = default)
    {
        var run = new RunState(options);
        var root = await ExecuteAsync(plan.Root, run, ScriptMeta.Empty, ct);
        var env = new Dictionary<string, string>(plan.Root.Env, StringComparer.Ordinal);
        EnvRules.MergeInto(env, root.Outcome.NewEnv, host.PathListSeparator);
        return new RunResult(root, run.Records, env);
    }

    private sealed class RunState(ExecutionOptions options)
    {
        public ExecutionOptions Options { get; } = options;
        public Dictionary<string, StepRecord> Done { get; } = new(StringComparer.Ordinal);
        public List<StepRecord> Records { get; } = [];
    }

    /// <param name="inherited">Keys the parent gained at run time (from earlier deps or its own run), which the node sees
    /// where its planned env has no value: CM's "deps see the env as it is when they run". They are not part of cache keys.</param>
    private async Task<StepRecord> ExecuteAsync(PlanNode node, RunState run, IReadOnlyDictionary<string, string> inherited, CancellationToken ct)
    {
        if (run.Done.TryGetValue(node.Id, out var done)) return done;
        try
        {
            var record = await ExecuteNodeAsync(node, run, inherited, ct);
            run.Options.Events?.Finished(record);
            return record;
        }
        catch (Exception e) when (run.Options.Events is { } events)
        {
            events.Failed(node, e);
            throw;
        }
    }

    private async Task<StepRecord> ExecuteNodeAsync(PlanNode node, RunState run, IReadOnlyDictionary<string, string> inherited, CancellationToken ct)
    {
        var started = clock.UtcNow;
        StepRecord record;
        if (node.IsCached)
        {
            var hit = cache.TryGet(node);
            var cached = hit ?? await cache.GetOrBuildAsync(node, (dir, token) => BuildAsync(node, dir, run, inherited, token), ct);
            record = Record(node, cached.Outcome, started, fromCache: !cached.WasBuilt, cached.EntryDir);
        }
        else
        {
            var workDir = WorkFolders.ForThisProcess(run.Options.WorkRoot, $"{node.Script.Alias}-{node.Id[..8]}");
            var outcome = await BuildAsync(node, workDir, run, inherited, ct);
            record = Record(node, outcome, started, fromCache: false, workDir);
        }
        run.Done[node.Id] = record;
        run.Records.Add(record);
        run.Options.OnStep?.Invoke(record);
        return record;
    }

    private StepRecord Record(PlanNode node, StepOutcome outcome, DateTimeOffset started, bool fromCache, string dir)
    {
        var log = Path.Combine(dir, StepRunner.LogName);
        return new StepRecord(node.Script.Alias, node.Script.Uid, node.Variations, node.Key, node.IsCached, fromCache, dir,
            File.Exists(log) ? log : null, outcome, started, clock.UtcNow);
    }

    private async Task<StepOutcome> BuildAsync(PlanNode node, string workDir, RunState run, IReadOnlyDictionary<string, string> inherited, CancellationToken ct)
    {
        Directory.CreateDirectory(workDir);
        run.Options.Events?.Started(node, workDir);
        var env = new Dictionary<string, string>(node.Env, StringComparer.Ordinal);
        foreach (var (key, value) in inherited) env.TryAdd(key, value);
        var state = new JObject();
        await RunDepsAsync(node, env, state, run, ct, DepPhase.Deps, DepPhase.Prehook);

        env["CM_TMP_CURRENT_SCRIPT_PATH"] = node.Script.Directory;
        env["CM_TMP_CURRENT_SCRIPT_WORK_PATH"] = workDir;
        env["CM_TMP_CURRENT_PATH"] = run.Options.CurrentDirectory ?? host.CurrentDirectory;
        if (run.Options.CmBinary is not null) env["CM_BIN"] = run.Options.CmBinary;
        if (node.Script.HasCustomizePy && node.Script.Builtin is null)
            throw new AutomationException($"script '{node.Script.Alias}' is a CM script with customize.py, which this engine does not run", Path.Combine(node.Script.Directory, "customize.py"), node.Script.Alias,
                "Express its preprocess/postprocess logic declaratively in the meta (env templates, detect) or move it into run.sh; see docs/cm-compatibility.md.");

        string? version = node.PlannedVersion;
        JObject? evidence = null;
        var validate = new List<string>();
        if (node.Script.Detect is { } detectJson)
        {
            var detected = await DetectAsync(node, detectJson, env, state, run, ct);
            EnvRules.MergeInto(env, detected.Env, host.PathListSeparator);
            version = detected.Version.Original;
            evidence = detected.Evidence.ToJson();
            evidence["candidates"] = new JArray(detected.Candidates.Select(c => c.ToJson()));
            validate.Add(detected.Path);
        }
        if (node.Script.Builtin is { } builtinName)
        {
            var action = builtins.Find(builtinName) ?? throw new AutomationException(
                $"script '{node.Script.Alias}' names built-in action '{builtinName}', which does not exist", node.Script.MetaFile, node.Script.Alias,
                $"Use one of: {string.Join(", ", builtins.Names)}.");
            using var log = new StreamWriter(Path.Combine(workDir, StepRunner.LogName), append: true);
            var result = await action.RunAsync(new ActionContext(node, env, state, workDir, log, run.Options.Quiet), ct);
            EnvRules.MergeInto(env, result.NewEnv, host.PathListSeparator);
            state.Merge(result.NewState);
            version = result.Version ?? version;
            evidence = result.Evidence;
            validate.AddRange(result.PathsToValidate);
        }
        if (runner.FindRunScript(node.Script) is { } runScript)
        {
            var produced = await RunScriptKeepingFailedLogAsync(node, runScript, env, workDir, run, ct);
            EnvRules.MergeInto(env, produced, host.PathListSeparator);
            state.Merge(RunScriptProtocol.ReadState(workDir, node.Script.Alias));
        }
        await RunDepsAsync(node, env, state, run, ct, DepPhase.Posthook, DepPhase.Post);

        if (version is null && env.TryGetValue("CM_VERSION", out var v) && node.PlannedVersion is null) version = v;
        var exported = EnvRules.Export(env, node.Script.NewEnvKeys);
        var exportedState = new JObject(state.Properties().Where(p => EnvRules.MatchesAny(p.Name, node.Script.NewStateKeys)));
        foreach (var key in node.Script.ValidateEnvPaths)
            if (exported.TryGetValue(key, out var p) && p.Length > 0) validate.Add(p);
        return new StepOutcome(exported, exportedState, version, evidence, validate.Distinct().ToList());
    }

    /// <summary>A failed cached build's folder is removed, so its log is copied out first for the user to read.</summary>
    private async Task<Dictionary<string, string>> RunScriptKeepingFailedLogAsync(PlanNode node, string runScript, Dictionary<string, string> env, string workDir, RunState run, CancellationToken ct)
    {
        try
        {
            return await runner.RunAsync(node.Script, runScript, env, workDir, run.Options.Quiet, ct);
        }
        catch (ScriptFailedException e) when (File.Exists(e.LogPath))
        {
            var kept = Path.Combine(run.Options.WorkRoot, "failed", $"{node.Script.Alias}-{clock.UtcNow:yyyyMMdd-HHmmss}-{node.Id[..8]}.log");
            Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
            File.Copy(e.LogPath, kept, overwrite: true);
            throw e.WithLogPath(kept);
        }
    }

    /// <summary>Detects the tool; when nothing fits and the script has install_deps, installs it and detects again.</summary>
    private async Task<DetectionResult> DetectAsync(PlanNode node, Newtonsoft.Json.Linq.JObject detectJson, Dictionary<string, string> env, JObject state, RunState run, CancellationToken ct)
    {
        var spec = DetectSpecParser.Parse(detectJson, node.Script.MetaFile, node.Script.Alias);
        try
        {
            return await detector.DetectAsync(spec, env, node.Version, ct);
        }
        catch (DetectionException missing) when (node.Deps.Any(e => e.Phase == DepPhase.Install))
        {
            var installers = string.Join("; ", node.Deps.Where(e => e.Phase == DepPhase.Install).Select(e => e.Node.Display));
            try
            {
                await RunDepsAsync(node, env, state, run, ct, DepPhase.Install);
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

    private async Task RunDepsAsync(PlanNode node, Dictionary<string, string> env, JObject state, RunState run, CancellationToken ct, params DepPhase[] phases)
    {
        foreach (var edge in node.Deps.Where(e => phases.Contains(e.Phase)))
        {
            var gained = env.Where(kv => !node.Env.ContainsKey(kv.Key) && !EnvRules.MatchesAny(kv.Key, EnvRules.LocalKeyPatterns))
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            StepRecord record;
            try
            {
                record = await ExecuteAsync(edge.Node, run, gained, ct);
            }
            catch (AutomationException e) when (edge.Spec.Optional)
            {
                // An optional dep that cannot run (no GPU, no driver) reports itself unavailable instead of failing the parent.
                var unavailable = new Dictionary<string, string>(edge.Node.Script.UnavailableEnv, StringComparer.Ordinal) { ["CM_TMP_UNAVAILABLE_REASON"] = e.Message };
                EnvRules.MergeInto(env, unavailable, host.PathListSeparator);
                run.Options.Warn?.Invoke($"optional dep '{edge.Node.Display}' of '{node.Script.Alias}' is unavailable: {e.Message}");
                continue;
            }
            EnvRules.MergeInto(env, record.Outcome.NewEnv, host.PathListSeparator);
            state.Merge(record.Outcome.NewState);
        }
    }
}
