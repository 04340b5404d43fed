using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Cli.Rendering;
using Automation.Core.Catalog;
using Automation.Core.Resolution;
using Automation.Core.Execution;
using Automation.Core.Versioning;
using Automation.Records.Lock;
using Automation.Records.Records;
using Newtonsoft.Json;

namespace Automation.Cli.Commands;

/// <summary>`cm run script --tags=... [--dry-run] [-j] [--env.K=V] [--adr.N.F=V] [--version*=...]`.</summary>
public static class RunScriptCommand
{
    public static Command Create(GlobalOptions g)
    {
        var tags = new Argument<string[]>("tags") { Description = "Tags or a script alias, space- or comma-separated (e.g. \"get python3\")", Arity = ArgumentArity.ZeroOrMore };
        var tagsOption = new Option<string?>("--tags") { Description = "Comma-separated tags; _name picks a variation, -tag excludes" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the resolved plan as a tree and run nothing" };
        var version = new Option<string?>("--version") { Description = "Exact version of the tool" };
        var versionMin = new Option<string?>("--version_min", "--version-min") { Description = "Lowest acceptable version" };
        var versionMax = new Option<string?>("--version_max", "--version-max") { Description = "Highest acceptable version" };
        var lockOut = new Option<string?>("--lock") { Description = "After the run, write a lock file of its plan and versions to FILE (docs/records.md)" };
        var locked = new Option<string?>("--locked") { Description = "Refuse to run when the plan differs from lock FILE (scripts, variations, versions, cache keys)" };
        var verify = new Option<bool>("--verify") { Description = "Hash every file of each cache entry before reusing it (by default only sizes and times are compared)" };
        var command = new Command("script", "Resolve a script by tags, run its dependency plan and print its env. Also: --env.KEY=VALUE, --adr.NAME.FIELD=VALUE, and the script's inputs (--name=value).")
        {
            tags, tagsOption, dryRun, version, versionMin, versionMax, lockOut, locked, verify, g.Json, g.Quiet, g.CacheDir, g.Verbose,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            using var engine = new Engine(parse.GetValue(g.CacheDir)) { Chooser = ConsoleScriptChooser.For(parse.GetValue(g.Quiet) || parse.GetValue(g.Json)) };
            var flags = DottedFlags.Parse(Program.FreeForm);
            var request = BuildRequest(engine, parse.GetValue(tags) ?? [], parse.GetValue(tagsOption), flags) with
            {
                Version = new VersionConstraint(parse.GetValue(version), parse.GetValue(versionMin), parse.GetValue(versionMax)),
            };
            var quiet = parse.GetValue(g.Quiet) || parse.GetValue(g.Json);
            var cache = engine.CreateStepCache(parse.GetValue(verify));
            if (parse.GetValue(dryRun))
            {
                var dryPlan = engine.Resolver.Resolve(request);
                // The same refusals a run gives before anything runs (a bad target, a missing --imagenet_path).
                foreach (var node in dryPlan.Nodes) if (Action(node) is IChecksInputs checks) checks.CheckInputs(node);
                var estimates = Estimate(dryPlan, cache, engine);
                var tree = PlanRenderer.Render(dryPlan, n => (!n.IsCached ? "runs every time" : cache.TryGet(n) is not null ? "cached" : "will run and cache") + estimates.Describe(n));
                if (parse.GetValue(g.Json)) Console.Out.WriteLine(estimates.AddTo(PlanJson.From(dryPlan)).ToString(Formatting.Indented));
                else Console.Out.Write(tree + PlanRenderer.Notes(dryPlan) + estimates.Total());
                return 0;
            }
            var recorder = new RunRecordWriter(new RunInvocation(Environment.GetCommandLineArgs().Skip(1).ToList(), Environment.CurrentDirectory, request,
                engine.Workspace.CacheDir, Environment.ProcessPath, typeof(RunScriptCommand).Assembly.GetName().Version?.ToString(3) ?? "", DateTimeOffset.UtcNow))
            {
                CachedOutcome = n => cache.TryGet(n)?.Outcome,
            };
            RunResult? result = null;
            (double Seconds, DateTimeOffset Started)? expected = null;
            using var signals = new SignalCancellation();
            var watchdog = new CancelWatchdog(signals, cancelled => recorder.Write(result, cancelled));
            try
            {
                var plan = recorder.Plan = engine.Resolver.Resolve(request);
                var lockFile = LockedRun.Check(parse.GetValue(locked), plan, cache);
                if (!quiet) expected = SayExpected(plan, cache, engine);
                var options = engine.ExecutionOptions(quiet);
                result = engine.CreateExecutor(cache).RunAsync(engine.Resolver.RootCall(request), options with { OnStep = recorder.OnStep, Events = watchdog.Track(options.Events) }, signals.Token).GetAwaiter().GetResult();
                LockedRun.CheckAfter(parse.GetValue(locked), lockFile, result);
                if (parse.GetValue(lockOut) is { } lockPath) LockedRun.Write(lockPath, plan, request, result);
            }
            catch (OperationCanceledException e) when (signals.Received is not null)
            {
                if (!watchdog.TryFinish()) Thread.Sleep(Timeout.Infinite); // the watchdog is recording it and exiting
                // Ctrl-C/TERM: the running step's process group is gone by now; say what was stopped, record it.
                var cancelled = signals.Describe(e);
                Console.Error.WriteLine($"cm: {cancelled.Message}");
                recorder.Write(result, cancelled);
                return cancelled.ExitCode;
            }
            catch (Exception e)
            {
                if (!watchdog.TryFinish()) Thread.Sleep(Timeout.Infinite);
                recorder.Write(result, e);
                throw;
            }
            if (!watchdog.TryFinish()) Thread.Sleep(Timeout.Infinite);
            var recordPath = recorder.Write(result, null);
            if (parse.GetValue(g.Json))
            {
                var json = JsonOutput.FromRun(result);
                json["record"] = recordPath;
                Console.Out.WriteLine(json.ToString(Formatting.Indented));
            }
            else
            {
                RunSummary.Write(result, Console.Out);
                if (recordPath is not null && !quiet) Console.Error.WriteLine($"run record: {recordPath}");
                if (expected is { } e)
                    Console.Error.WriteLine($"took {PlanEstimates.Seconds((DateTimeOffset.UtcNow - e.Started).TotalSeconds)} (expected about {PlanEstimates.Seconds(e.Seconds)})");
            }
            return 0;
        });
        return command;
    }

    private static IBuiltinAction? Action(PlanNode node) => node.Script.Builtin is { } name ? Builtins.Value.Find(name) : null;

    private static readonly Lazy<BuiltinRegistry> Builtins = new(BuiltinActions.Registry);

    /// <summary>What each step is expected to cost: the action's own estimate (MLPerf's durations), else history, else meta.</summary>
    private static PlanEstimates Estimate(Plan plan, IStepCache cache, Engine engine) =>
        PlanEstimates.From(plan, cache, engine.Workspace.CacheDir, n => Action(n) is IEstimatesDuration e ? e.EstimateSeconds(n) : null);

    /// <summary>
    /// A long run (a minute or more expected) says at its start how long it should take and which steps take it, so
    /// a user knows whether to wait or come back; the end of the run prints how long it took.
    /// </summary>
    private static (double Seconds, DateTimeOffset Started)? SayExpected(Plan plan, IStepCache cache, Engine engine)
    {
        var estimates = Estimate(plan, cache, engine);
        var longest = plan.Nodes.Select(n => (Node: n, Estimate: estimates.For(n))).Where(x => x.Estimate.Seconds >= 30).OrderByDescending(x => x.Estimate.Seconds).ToList();
        var total = plan.Nodes.Sum(n => estimates.For(n).Seconds);
        if (total < 60) return null;
        var parts = string.Join("; ", longest.Take(4).Select(x => $"{x.Node.Script.Alias}{string.Concat(x.Node.Variations.Select(v => ",_" + v))} ~{PlanEstimates.Seconds(x.Estimate.Seconds)} [{x.Estimate.Source}]"));
        Console.Error.WriteLine($"expected to take about {PlanEstimates.Seconds(total)}{(parts.Length > 0 ? $": {parts}{(longest.Count > 4 ? $"; {longest.Count - 4} more" : "")}" : "")} (each step's share: --dry-run)");
        return (total, DateTimeOffset.UtcNow);
    }

    /// <summary>`cm run script --tags=... --help`: the script's own inputs, variations and env keys (<see cref="ScriptHelp"/>).</summary>
    public static int PrintScriptHelp(IReadOnlyList<string> args)
    {
        var rest = args.Skip(2).Where(a => a is not ("--help" or "-h" or "-?")).ToList();
        var tags = rest.Where(a => a.StartsWith("--tags=", StringComparison.Ordinal)).Select(a => a["--tags=".Length..]).LastOrDefault();
        var cacheDir = rest.Where(a => a.StartsWith("--cache-dir=", StringComparison.Ordinal)).Select(a => a["--cache-dir=".Length..]).LastOrDefault();
        using var engine = new Engine(cacheDir);
        var request = BuildRequest(engine, rest.Where(a => !a.StartsWith('-')), tags, DottedFlags.Parse([]));
        var meta = request.Name is { } alias ? engine.Catalog.FindByAliasOrUid(alias)! : engine.Resolver.SelectScript(TagQuery.FromTags(request.Tags), "the command line");
        Console.Out.Write(ScriptHelp.Render(meta));
        return 0;
    }

    public static RunRequest BuildRequest(Engine engine, IEnumerable<string> positionals, string? tagsOption, DottedFlags flags)
    {
        var words = positionals.Concat(flags.Positionals).SelectMany(TagQuery.Split).ToList();
        if (tagsOption is not null) words.AddRange(TagQuery.Split(tagsOption));
        string? name = null;
        if (tagsOption is null && words.Count == 1 && engine.Catalog.FindByAliasOrUid(words[0]) is not null) name = words[0];
        return new RunRequest
        {
            Tags = name is null ? words : [],
            Name = name,
            EnvOverrides = flags.Env,
            Inputs = flags.Inputs,
            Adr = flags.Adr,
            CallerEnv = Engine.CallerEnv(),
        };
    }
}
