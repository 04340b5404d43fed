using System.CommandLine;
using System.Globalization;
using Automation.Cli.Hosting;
using Automation.Core.Errors;
using Automation.Experiments;
using Automation.Experiments.Backends;
using Automation.Experiments.Backends.Local;
using Automation.Experiments.Backends.Slurm;
using Automation.Experiments.Kubernetes;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>
/// `cm run experiment --tags=... --results_dir=DIR --sweep.AXIS=VALUES... [--backend=local|slurm|kubernetes]`, and the
/// internal `cm run experiment-step` that scheduler tasks call. See docs/experiments.md.
/// </summary>
public static class RunExperimentCommand
{
    public static Command Create(GlobalOptions g)
    {
        var tags = new Argument<string[]>("tags") { Description = "Script tags or alias", Arity = ArgumentArity.ZeroOrMore };
        var tagsOption = new Option<string?>("--tags") { Description = "Comma-separated script tags, as for `cm run script`" };
        var resultsDir = new Option<string?>("--results_dir", "--results-dir") { Description = "Folder for the point folders and the results table (experiment.csv, experiment.json)" };
        var sweepFile = new Option<string?>("--sweep_file", "--sweep-file") { Description = "JSON or YAML file of axes: {batch_size: [1, 8], threads: \"1:4\"}" };
        var parallel = new Option<int>("--parallel") { Description = "Points run at once (local), or the array throttle %N (slurm); default 1", DefaultValueFactory = _ => 1 };
        var backend = new Option<string>("--backend") { Description = "local (default), slurm, or kubernetes (renders a manifest)", DefaultValueFactory = _ => "local" };
        var pointDir = new Option<string?>("--point_dir", "--point-dir") { Description = $"Liquid template of each point's folder (default {ExperimentSpec.DefaultPointDirTemplate})" };
        var pointArg = new Option<string[]>("--point_arg", "--point-arg") { Description = "Liquid template of an extra per-point flag, e.g. --point_arg='--env.OUT={{ point.dir }}/out' (repeatable; use the = form)" };
        var force = new Option<bool>("--force") { Description = "Run every point again, even those an earlier run finished" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the points and their commands; run nothing" };
        var collect = new Option<bool>("--collect") { Description = "Only rebuild the results table from the point folders" };
        var slurm = new SlurmFlags();
        var k8s = new KubernetesFlags();
        var command = new Command("experiment", "Run a script over a parameter sweep (--sweep.NAME=1,8,32 or START:STOP[:STEP]), locally in parallel or on Slurm; writes one results table. Other flags go to every point's `cm run script`.")
        {
            tags, tagsOption, resultsDir, sweepFile, parallel, backend, pointDir, pointArg, force, dryRun, collect, g.Json, g.CacheDir, g.Verbose,
        };
        foreach (var o in slurm.All.Concat(k8s.All)) command.Add(o);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            if (parse.GetValue(g.CacheDir) is not null) Environment.SetEnvironmentVariable("CM_CACHE_DIR", engine.Workspace.CacheDir); // children inherit it
            var spec = BuildSpec(engine, parse.GetValue(tags) ?? [], parse.GetValue(tagsOption), parse.GetValue(resultsDir), parse.GetValue(sweepFile),
                parse.GetValue(pointDir), parse.GetValue(pointArg) ?? []);
            var json = parse.GetValue(g.Json);
            var backendName = parse.GetValue(backend)!;
            if (backendName is "kubernetes" or "k8s") return RenderKubernetes(spec, k8s.Read(parse, parse.GetValue(parallel)), json);
            var plan = ExperimentPlan.Create(spec, Environment.CurrentDirectory, CmCommand.Current());
            if (parse.GetValue(collect))
            {
                plan.Save();
                return Report(ExperimentRunner.Collect(plan), spec, json, ran: 0);
            }
            if (parse.GetValue(dryRun))
            {
                foreach (var p in plan.Points)
                    Console.Out.WriteLine($"{p.Point.Index,4} {p.Point.Hash} {(ExperimentRunner.Finished(p) is null ? "run " : "done")} {p.Point.Describe()}\n     {plan.Cm.ShellLine(p.Args)}");
                return 0;
            }
            IExperimentBackend runner = backendName switch
            {
                "local" => new LocalBackend(parse.GetValue(parallel)),
                "slurm" => new SlurmBackend(slurm.Read(parse, parse.GetValue(parallel)), log: Console.Error),
                _ => throw new AutomationException($"unknown backend '{backendName}'", fix: "Use --backend=local, --backend=slurm or --backend=kubernetes."),
            };
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true; // let running points be stopped and recorded
                Console.Error.WriteLine("experiment: cancelling the remaining points ...");
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                var progress = ConsoleProgress(plan.Points.Count);
                var result = new ExperimentRunner(runner).RunAsync(plan, parse.GetValue(force), progress, cancel.Token).GetAwaiter().GetResult();
                return Report(result.Rows, spec, json, result.Ran);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }

    /// <summary>`cm run experiment-step --points=FILE --index=N | --collect`: what one scheduler task runs.</summary>
    public static Command Step(GlobalOptions g)
    {
        var points = new Option<string>("--points") { Description = "The experiment's .experiment/points.json", Required = true };
        var index = new Option<int?>("--index") { Description = "Index of the point to run (Slurm: $SLURM_ARRAY_TASK_ID, Kubernetes: $JOB_COMPLETION_INDEX)" };
        var collect = new Option<bool>("--collect") { Description = "Write the results table from the point folders" };
        var command = new Command("experiment-step", "Internal: run one point of an experiment, or collect its table (used by Slurm and Kubernetes jobs)")
        {
            points, index, collect, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var file = Path.GetFullPath(parse.GetValue(points)!);
            if (parse.GetValue(collect))
            {
                var rows = PointStep.Collect(file);
                Console.Error.WriteLine($"experiment-step: table of {rows.Count} points written ({Summary(rows)})");
                return 0;
            }
            var at = parse.GetValue(index) ?? throw new AutomationException("experiment-step needs --index=N or --collect", fix: "Scheduler job scripts pass --index=\"$SLURM_ARRAY_TASK_ID\".");
            var (backendName, jobId) = PointStep.DetectScheduler();
            return PointStep.RunAsync(file, at, backendName, jobId, CancellationToken.None).GetAwaiter().GetResult();
        });
        return command;
    }

    internal static ExperimentSpec BuildSpec(Engine engine, IReadOnlyList<string> positionals, string? tagsOption, string? resultsDir, string? sweepFile,
        string? pointDir, IReadOnlyList<string> pointArgs, IReadOnlyList<SweepAxis>? extraAxes = null)
    {
        var free = Program.FreeForm;
        var flags = DottedFlags.Parse(free);
        var fixedArgs = WithoutSweep(free, out var freePositionals);
        var tagWords = positionals.Concat(freePositionals).Concat(tagsOption is null ? [] : [tagsOption]).ToList();
        if (tagWords.Count == 0) throw new AutomationException("cm run experiment needs the script's tags", fix: "For example: cm run experiment --tags=app,sweep,probe --results_dir=out --sweep.batch_size=1,8.");
        if (string.IsNullOrWhiteSpace(resultsDir)) throw new AutomationException("cm run experiment needs --results_dir=DIR", fix: "The points' folders and experiment.csv/json go there.");

        var axes = new List<SweepAxis>();
        if (sweepFile is not null) axes.AddRange(SweepFile.Load(Path.GetFullPath(sweepFile)));
        foreach (var axis in extraAxes ?? [])
        {
            axes.RemoveAll(a => a.Name == axis.Name);
            axes.Add(axis);
        }
        foreach (var (name, values) in flags.Sweep)
        {
            axes.RemoveAll(a => a.Name == name); // the command line wins over the file
            axes.Add(SweepValues.Parse(name, values, $"--sweep.{name}"));
        }
        // Resolve the first point now, so an unknown script or input fails once, before any child runs.
        var first = axes.Select(a => $"--{a.Name}={a.Values[0]}");
        var request = RunScriptCommand.BuildRequest(engine, [.. positionals, .. freePositionals], tagsOption, DottedFlags.Parse([.. fixedArgs, .. first]));
        var script = engine.Resolver.Resolve(request).Root.Script;
        var templates = pointArgs.ToList();
        if (templates.Count == 0 && script.InputMapping.ContainsKey("results_dir") && !flags.Inputs.ContainsKey("results_dir") && axes.All(a => a.Name != "results_dir"))
            templates.Add("--results_dir={{ point.dir }}");
        return new ExperimentSpec
        {
            Tags = string.Join(',', tagWords.SelectMany(w => w.Split(',', ' ', StringSplitOptions.RemoveEmptyEntries))),
            FixedArgs = fixedArgs,
            Axes = axes,
            ResultsDir = Path.GetFullPath(resultsDir),
            PointDirTemplate = pointDir ?? ExperimentSpec.DefaultPointDirTemplate,
            PointArgTemplates = templates,
        };
    }

    /// <summary>The free-form flags minus --sweep.* (which become axes), as `name=value` tokens; bare words are tags.</summary>
    private static List<string> WithoutSweep(IReadOnlyList<string> free, out List<string> positionals)
    {
        var kept = new List<string>();
        positionals = [];
        for (var i = 0; i < free.Count; i++)
        {
            var token = free[i];
            if (!token.StartsWith("--", StringComparison.Ordinal)) { positionals.Add(token); continue; }
            var joined = token.Contains('=') ? token
                : i + 1 < free.Count && !free[i + 1].StartsWith("--", StringComparison.Ordinal) ? $"{token}={free[++i]}" : token;
            if (!joined.StartsWith("--sweep.", StringComparison.Ordinal)) kept.Add(joined);
        }
        return kept;
    }

    private static int RenderKubernetes(ExperimentSpec spec, KubernetesOptions options, bool json)
    {
        var rendered = IndexedJobRenderer.Render(spec, options);
        var dir = ExperimentPlan.StateDir(spec.ResultsDir);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "kubernetes-job.yaml");
        File.WriteAllText(path, rendered.Yaml);
        if (json) Console.Out.WriteLine(new JObject { ["manifest"] = path, ["job"] = rendered.Job, ["points"] = rendered.PodPlan.Points.Count }.ToString(Formatting.Indented));
        else
            Console.Out.WriteLine($"Kubernetes manifest for {rendered.PodPlan.Points.Count} points: {path}\n" +
                                  $"  kubectl apply -f {path}\n  kubectl wait --for=condition=complete --timeout=24h job/{rendered.Job["metadata"]!["name"]} -n {options.Namespace}\n" +
                                  $"Results land on the PVC '{options.Pvc}' under {rendered.PodPlan.Spec.ResultsDir}; see docs/experiments.md.");
        return 0;
    }

    private static int Report(IReadOnlyList<PointRecord> rows, ExperimentSpec spec, bool json, int ran)
    {
        var csv = Path.Combine(spec.ResultsDir, ResultTable.CsvFile);
        var table = Path.Combine(spec.ResultsDir, ResultTable.JsonFile);
        if (json) Console.Out.WriteLine(File.ReadAllText(table));
        else Console.Out.WriteLine($"{rows.Count} points ({ran} ran, {rows.Count(r => r.Reused)} reused): {Summary(rows)}\ntable: {csv}\n       {table}");
        return rows.All(r => r.Status == PointStatus.Ok) ? 0 : 1;
    }

    private static string Summary(IEnumerable<PointRecord> rows) =>
        string.Join(", ", rows.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>One stderr line per finished point, "[n/total] status point  seconds  error", for sweeps and explorations.</summary>
    internal static IProgress<PointRecord> ConsoleProgress(int total)
    {
        var done = 0;
        return new SyncProgress(r => Console.Error.WriteLine(
            $"[{Interlocked.Increment(ref done)}/{total}] {r.Status,-9} {r.Point.Describe()}  {r.DurationSeconds?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} s{(r.Error is null ? "" : "  " + r.Error)}"));
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to a thread pool and reorder lines).</summary>
    private sealed class SyncProgress(Action<PointRecord> report) : IProgress<PointRecord>
    {
        private readonly Lock gate = new();
        public void Report(PointRecord value) { lock (gate) report(value); }
    }

    private sealed class SlurmFlags
    {
        private readonly Option<string> partition = new("--slurm.partition") { Description = "Slurm partition (#SBATCH --partition)", DefaultValueFactory = _ => "" };
        private readonly Option<string> time = new("--slurm.time") { Description = "Time limit per point, e.g. 30 or 02:00:00", DefaultValueFactory = _ => "" };
        private readonly Option<string> cpus = new("--slurm.cpus") { Description = "CPUs per point (--cpus-per-task)", DefaultValueFactory = _ => "" };
        private readonly Option<string> mem = new("--slurm.mem") { Description = "Memory per point, e.g. 4G", DefaultValueFactory = _ => "" };
        private readonly Option<string> gpus = new("--slurm.gpus") { Description = "GPUs per point (--gpus)", DefaultValueFactory = _ => "" };
        private readonly Option<string> account = new("--slurm.account") { Description = "Account to charge", DefaultValueFactory = _ => "" };
        private readonly Option<string> jobName = new("--slurm.job_name") { Description = "Job name (default cm-experiment)", DefaultValueFactory = _ => "cm-experiment" };
        private readonly Option<string> collectAfter = new("--slurm.collect_after") { Description = "Dependency of the collect job: afterok (default) or afterany", DefaultValueFactory = _ => "afterok" };
        private readonly Option<bool> noWait = new("--slurm.no_wait") { Description = "Submit and return; the collect job writes the table" };

        public IEnumerable<Option> All => [partition, time, cpus, mem, gpus, account, jobName, collectAfter, noWait];

        public SlurmOptions Read(ParseResult parse, int parallel)
        {
            var after = parse.GetValue(collectAfter)!;
            if (after is not ("afterok" or "afterany"))
                throw new AutomationException($"--slurm.collect_after={after} is not a dependency type we submit", fix: "Use afterok or afterany.");
            return new SlurmOptions
            {
                Partition = parse.GetValue(partition)!, Time = parse.GetValue(time)!, Cpus = parse.GetValue(cpus)!, Mem = parse.GetValue(mem)!,
                Gpus = parse.GetValue(gpus)!, Account = parse.GetValue(account)!, JobName = parse.GetValue(jobName)!, CollectAfter = after,
                Parallel = parallel > 1 ? parallel : 0, Wait = !parse.GetValue(noWait),
            };
        }
    }

    private sealed class KubernetesFlags
    {
        private readonly Option<string> image = new("--k8s.image") { Description = "Container image with cm (see cm docker script)", DefaultValueFactory = _ => "" };
        private readonly Option<string> ns = new("--k8s.namespace") { Description = "Namespace (default: default)", DefaultValueFactory = _ => "default" };
        private readonly Option<string> name = new("--k8s.name") { Description = "Job name", DefaultValueFactory = _ => "" };
        private readonly Option<string> pvc = new("--k8s.pvc") { Description = "PVC for cache and results (default cm-workspace)", DefaultValueFactory = _ => "cm-workspace" };
        private readonly Option<string> pvcSize = new("--k8s.pvc_size") { Description = "Size of the PVC (default 10Gi)", DefaultValueFactory = _ => "10Gi" };
        private readonly Option<int> backoff = new("--k8s.backoff_limit_per_index") { Description = "Retries per point (default 1)", DefaultValueFactory = _ => 1 };
        private readonly Option<string> cpu = new("--k8s.cpu") { Description = "CPU request per pod", DefaultValueFactory = _ => "" };
        private readonly Option<string> memory = new("--k8s.memory") { Description = "Memory per pod", DefaultValueFactory = _ => "" };
        private readonly Option<string> gpus = new("--k8s.gpus") { Description = "nvidia.com/gpu per pod", DefaultValueFactory = _ => "" };

        public IEnumerable<Option> All => [image, ns, name, pvc, pvcSize, backoff, cpu, memory, gpus];

        public KubernetesOptions Read(ParseResult parse, int parallel) => new()
        {
            Image = parse.GetValue(image)!, Namespace = parse.GetValue(ns)!, Name = parse.GetValue(name)!, Pvc = parse.GetValue(pvc)!,
            PvcSize = parse.GetValue(pvcSize)!, BackoffLimitPerIndex = parse.GetValue(backoff), Parallelism = Math.Max(1, parallel),
            Cpu = parse.GetValue(cpu)!, Memory = parse.GetValue(memory)!, Gpus = parse.GetValue(gpus)!,
        };
    }
}
