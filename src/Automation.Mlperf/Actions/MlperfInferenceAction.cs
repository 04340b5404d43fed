using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.LoadGen;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;
using Automation.Core.Resolution;
using Automation.Mlperf.Sut;
using Automation.Mlperf.Tuning;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Actions;

/// <summary>
/// The harness of app-mlperf-inference: an ONNX Runtime SUT over the preprocessed dataset, driven by LoadGen in the
/// chosen scenario and mode, writing MLPerf logs into the results layout of docs/results-layout.md.
/// </summary>
public sealed class MlperfInferenceAction(LoadGenEngines engines) : IBuiltinAction, IChecksInputs, IEstimatesDuration
{
    /// <summary>
    /// MLPerf's durations, not an earlier short test's: min_duration (600 s unless --min_duration_ms); in Offline 10%
    /// more samples than the target fills it with, and find-performance's target is itself 10% over what it measured;
    /// find-performance's short runs when no target was given; the accuracy run; and with compliance (the default of
    /// `_submission`, and all of `_compliance`) TEST01 and TEST04, each as long as the performance run, and their
    /// verification by MLPerf's scripts.
    /// </summary>
    public (double Seconds, string Why)? EstimateSeconds(PlanNode node)
    {
        RunTargets targets;
        try { targets = RunTargets.Read(node); }
        catch (AutomationException) { return null; }
        if (targets.TestQueryCount is not null) return null;
        var mode = node.Env.GetValueOrDefault("CM_MLPERF_LOADGEN_MODE", "performance");
        var scenario = node.Env.GetValueOrDefault("CM_MLPERF_LOADGEN_SCENARIO", "Offline");
        if (scenario == AllScenarios) return (0, "each scenario is a step of its own");
        var userTarget = targets.TargetQps is not null || targets.TargetLatencyMs is not null;
        var min = (targets.MinDurationMs ?? 600_000) / 1000.0;
        var run = scenario == "Offline" ? min * 1.1 * (userTarget ? 1 : 1.1) : min;
        var find = userTarget ? 0 : scenario switch { "Server" => 45.0, "Offline" => 10.0, _ => 1.0 };
        var compliance = mode == "compliance" || mode == "submission" && node.Env.GetValueOrDefault(ComplianceStep.SwitchKey, "no").ToLowerInvariant() is "yes" or "on" or "true" or "1";
        var tests = compliance ? 2 * run + ComplianceOverheadSeconds : 0;
        var findText = find > 0 ? " + find-performance (unless a target is stored)" : "";
        var testsText = compliance ? $" + TEST01 and TEST04 (~{tests:0} s)" : "";
        return mode switch
        {
            "accuracy" => null,
            "find-performance" => (find, "find-performance's short runs"),
            "compliance" => (tests, $"TEST01 and TEST04, each as long as the performance run ({run:0} s), and their verification"),
            "submission" => (run + find + AccuracySeconds + tests, $"{run:0} s of performance run{findText} + accuracy{testsText}"),
            _ => (run + find, $"{run:0} s of performance run (min_duration){findText}"),
        };
    }

    /// <summary>The accuracy run and its evaluation (Fashion-MNIST's 10,000 samples; measured a few seconds).</summary>
    private const double AccuracySeconds = 5;

    /// <summary>MLPerf's verification scripts and the TEST01 accuracy-log comparison, measured on the full Offline run.</summary>
    private const double ComplianceOverheadSeconds = 60;

    public string Name => "app-mlperf-inference";

    /// <summary>Short runs of find-performance: long enough to time a SUT, short enough to search with.</summary>
    public const string FindDurationKey = "CM_MLPERF_FIND_PERFORMANCE_DURATION_MS";

    public void CheckInputs(PlanNode node)
    {
        RunTargets.Read(node);
        // ImageNet cannot be downloaded: without the user's folder the model download before it would be wasted.
        if (node.Env.GetValueOrDefault("CM_MLPERF_DATASET_NAME") == "imagenet" && node.Env.GetValueOrDefault("CM_MLPERF_DATASET") != "synthetic")
            ImagenetValDatasetAction.RequireFolder(node.Env.GetValueOrDefault("CM_DATASET_IMAGENET_PATH"), node.Script.MetaFile, node.Script.Alias);
    }

    /// <summary>`_all-scenarios`: this step only hands on; its post_deps run app-mlperf-inference once per scenario.</summary>
    public const string AllScenarios = "all";

    /// <summary>The results folder all scenarios of `_all-scenarios` write into (the end-of-run table shows them all).</summary>
    public const string AllScenariosResultsKey = "CM_MLPERF_ALL_SCENARIOS_RESULTS_DIR";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        if (env.Get("CM_MLPERF_LOADGEN_SCENARIO") == AllScenarios)
        {
            env.Say("all scenarios: Offline, Server, SingleStream and MultiStream run next, one after another");
            return Task.FromResult(new StepOutcome(new Dictionary<string, string> { [AllScenariosResultsKey] = MlperfRunSpec.ResultsDirOf(env) }, new JObject()));
        }
        var run = MlperfRunSpec.From(env);
        if (run.Device != "cpu")
            throw new AutomationException(
                $"device '{run.Device}' needs the GPU build of ONNX Runtime (CUDA execution provider), but this build links the CPU package Microsoft.ML.OnnxRuntime, and the GPU package is not available from this project's package registry",
                context.Node.Script.MetaFile, env.Script,
                "Run with _cpu; for CUDA, build cm against Microsoft.ML.OnnxRuntime.Gpu on a machine with CUDA 12 and cuDNN 9 (see docs/pipeline.md).");

        var scenarioDir = Path.Combine(run.ResultsDir, run.SystemName, run.Model, run.Scenario.ToString());
        Directory.CreateDirectory(scenarioDir);
        if (run.Mode == "compliance")
            // The runs are the posthook run-mlperf-inference-compliance's; this step only hands the scenario on.
            return Task.FromResult(new StepOutcome(new Dictionary<string, string>
            {
                ["CM_MLPERF_RESULTS_DIR"] = run.ResultsDir,
                ["CM_MLPERF_SCENARIO_RESULTS_DIR"] = scenarioDir,
                ["CM_MLPERF_SYSTEM_NAME"] = run.SystemName,
                [ComplianceStep.RunKey] = "yes",
            }, new JObject()));
        var userTarget = run.Targets.TargetQps is { } q ? new StoredTarget(q, null, "--target_qps", DateTimeOffset.UtcNow)
            : run.Targets.TargetLatencyMs is { } l ? new StoredTarget(null, l, "--target_latency", DateTimeOffset.UtcNow) : null;
        var key = new TargetKey(run.SystemName, run.Model, run.Scenario.ToString(), context.Env.GetValueOrDefault("CM_MLPERF_BACKEND", "onnxruntime"), run.BatchSize);
        // An accuracy-only run issues the whole dataset at the scenario's rate: Server at LoadGen's default of 1 query/s
        // would take 10,000 s, so it takes the stored target when the user gives none.
        var userConf = WriteUserConf(run, scenarioDir, userTarget ?? (run.Mode == "accuracy" ? TargetStore.For(context.Env).Find(key) : null));

        var qsl = SutFactory.OpenQsl(run, env);
        using var sut = SutFactory.Create(run, qsl);
        var engine = engines.Create(run.Engine, context.Env, env.Script);
        var baseSettings = TestSettings.FromConfig(null, File.ReadAllText(userConf), run.Model, run.Scenario);

        var newEnv = new Dictionary<string, string>
        {
            ["CM_MLPERF_RESULTS_DIR"] = run.ResultsDir,
            ["CM_MLPERF_SCENARIO_RESULTS_DIR"] = scenarioDir,
            ["CM_MLPERF_USER_CONF"] = userConf,
            ["CM_MLPERF_LOADGEN_SCENARIO"] = run.Scenario.ToString(),
            ["CM_MLPERF_LOADGEN_MODE"] = run.Mode,
            ["CM_MLPERF_LOADGEN_ENGINE"] = engine.EngineName,
            ["CM_MLPERF_MODEL"] = run.Model,
            ["CM_MLPERF_SYSTEM_NAME"] = run.SystemName,
        };
        LoadGenResult? performance = null;
        var usedSettings = baseSettings;
        if (run.Mode is "accuracy" or "submission" && run.DatasetSidecar is null)
            throw new AutomationException("accuracy needs a real dataset, and the light app runs on synthetic inputs", context.Node.Script.MetaFile, env.Script,
                "Use _performance-only with the light app, or app-mlperf-inference with a dataset for accuracy.");
        void RunAccuracy(TestSettings settings)
        {
            var dir = Path.Combine(scenarioDir, "accuracy");
            var result = Run(engine, sut, qsl.Library, settings with { Mode = TestMode.AccuracyOnly }, dir, env);
            WriteRunFiles(run, context, engine, settings, userConf, dir, "accuracy", qsl.Library.TotalSampleCount);
            newEnv["CM_MLPERF_ACCURACY_LOG_DIR"] = dir;
            newEnv["CM_MLPERF_ACCURACY_LOG_PATH"] = Path.Combine(dir, "mlperf_log_accuracy.json");
            newEnv["CM_MLPERF_ACCURACY_SAMPLES"] = result.AccuracyLogEntries.ToString(CultureInfo.InvariantCulture);
        }
        if (run.Mode == "accuracy") RunAccuracy(baseSettings);
        if (run.Mode is "performance" or "submission" or "find-performance")
        {
            var dir = Path.Combine(scenarioDir, "performance", "run_1");
            if (run.Targets.TestQueryCount is not null && run.Mode != "find-performance")
            {
                // CM's short test mode: a fixed query count, no minimum duration; nothing to find or re-run.
                performance = Run(engine, sut, qsl.Library, baseSettings with { Mode = TestMode.PerformanceOnly }, dir, env);
            }
            else
            {
                var seams = new TuningSeams(
                    target =>
                    {
                        WriteUserConf(run, scenarioDir, target);
                        return usedSettings = TestSettings.FromConfig(null, File.ReadAllText(userConf), run.Model, run.Scenario) with { Mode = TestMode.PerformanceOnly };
                    },
                    (settings, runDir) => Run(engine, sut, qsl.Library, settings, runDir, env),
                    env.Say,
                    () => DateTimeOffset.UtcNow);
                var tuned = new TunedPerformanceRun(seams, TargetStore.For(context.Env), key, (ulong)env.Int(FindDurationKey, 5000))
                    .Run(userTarget, run.Mode == "find-performance", run.Targets.MaxReruns, dir, Path.Combine(scenarioDir, "find-performance"));
                performance = tuned.Final;
                // Exported under keys of their own, not the --target_qps/--target_latency inputs: with _all-scenarios the
                // next scenario's step inherits this new_env (as CM's deps do), and Offline's 230,000 samples/s would
                // become Server's arrival rate.
                if (tuned.Target is { } t)
                {
                    if (t.TargetQps is { } tq) newEnv[RunTargets.UsedTargetQpsKey] = StoredTarget.Format(tq);
                    if (t.TargetLatencyMs is { } tl) newEnv[RunTargets.UsedTargetLatencyKey] = StoredTarget.Format(tl);
                }
                newEnv["CM_MLPERF_RERUNS"] = tuned.Reruns.ToString(CultureInfo.InvariantCulture);
                if (tuned.Failure is { } failure)
                {
                    newEnv["CM_MLPERF_RESULT_FAILURE"] = failure;
                    env.Warn(failure);
                }
            }
            if (performance is not null)
            {
                WriteRunFiles(run, context, engine, usedSettings, userConf, dir, "performance", qsl.Library.TotalSampleCount);
                newEnv["CM_MLPERF_PERFORMANCE_LOG_DIR"] = dir;
                foreach (var (k, v) in Figures(performance)) newEnv[k] = v;
            }
        }
        // After the performance runs, with the target they settled on: Server's accuracy run issues its 10,000 queries at
        // that rate (MLCFlow's submission mode runs performance, then accuracy, too).
        if (run.Mode == "submission") RunAccuracy(usedSettings);
        newEnv[ComplianceStep.RunKey] = ComplianceStep.Decide(run, performance, env);
        File.WriteAllText(Path.Combine(scenarioDir, "cm-run-info.json"), RunInfo(run, context, engine, performance).ToString());
        return Task.FromResult(new StepOutcome(newEnv, new JObject()));
    }

    /// <summary>
    /// The per-run files the submission generator reads (docs/submission.md): the exact user.conf and a cm-run-info.json
    /// with the mode, the seeds LoadGen used and the host description.
    /// </summary>
    private static void WriteRunFiles(MlperfRunSpec run, ActionContext context, ILoadGenEngine engine, TestSettings settings, string userConf, string dir, string mode, int datasetSize)
    {
        File.Copy(userConf, Path.Combine(dir, "user.conf"), overwrite: true);
        var systemEnv = context.Env.Where(kv => kv.Key.StartsWith("CM_HOST_", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        new Submission.RunInfo
        {
            Model = run.Model,
            MlperfModel = context.Env.TryGetValue("CM_MLPERF_MAPPED_MODEL", out var mapped) && mapped.Length > 0 ? mapped : null,
            Framework = "onnxruntime",
            FrameworkVersion = OnnxRuntimeInfo.Version,
            Device = run.Device,
            Scenario = run.Scenario.ToString(),
            Mode = mode,
            LoadgenEngine = engine.EngineName,
            QslRngSeed = settings.QslRngSeed,
            SampleIndexRngSeed = settings.SampleIndexRngSeed,
            ScheduleRngSeed = settings.ScheduleRngSeed,
            Dataset = run.DatasetSidecar is null ? "synthetic" : context.Env.GetValueOrDefault("CM_MLPERF_DATASET_NAME", run.Model),
            DatasetSize = datasetSize,
            Measurements = new Submission.ModelMeasurements("fp32", "no", Path.GetFileName(run.ModelPath), "fp32", "none"),
            Command = context.Env.GetValueOrDefault("CM_MLPERF_COMMAND"),
            SystemEnv = systemEnv,
        }.Save(Path.Combine(dir, "cm-run-info.json"));
    }

    private static LoadGenResult Run(ILoadGenEngine engine, OnnxRuntimeSut sut, IQuerySampleLibrary qsl, TestSettings settings, string dir, ActionEnv env)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        env.Say($"LoadGen ({engine.EngineName}) {settings.Scenario} {settings.Mode} → {dir}");
        LoadGenResult result;
        using (var progress = env.WatchRun(sut, settings))
            result = engine.Run(progress.Sut, qsl, settings, new LogSettings { OutputDirectory = dir });
        if (sut.Fault is { } fault)
            throw new AutomationException($"ONNX Runtime failed during the run: {fault.Message}", script: env.Script, fix: "Check the model and the preprocessed data match (input shape, float32).");
        return result;
    }

    private static string WriteUserConf(MlperfRunSpec run, string scenarioDir, StoredTarget? target)
    {
        var s = run.Scenario.ToString();
        var lines = new List<string> { "# Written by cm app-mlperf-inference; LoadGen reads it after its built-in mlperf.conf." };
        string Line(string key, string value) => StoredTarget.UserConfLine(run.Model, s, key, value);
        if (target is not null) lines.AddRange(target.UserConfLines(run.Model, s));
        // Below 600000 ms a run is not a compliant submission run (docs/submission.md); tests and quick looks use it.
        if (run.Targets.MinDurationMs is { } minMs) lines.Add(Line("min_duration", minMs.ToString(CultureInfo.InvariantCulture)));
        if (run.Targets.TestQueryCount is { } n)
        {
            // CM's short test mode: a fixed number of queries and no minimum duration; not a compliant submission run.
            lines.Add(Line("min_query_count", n.ToString(CultureInfo.InvariantCulture)));
            lines.Add(Line("max_query_count", n.ToString(CultureInfo.InvariantCulture)));
            lines.Add(Line("min_duration", "0"));
        }
        var path = Path.Combine(scenarioDir, "user.conf");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static Dictionary<string, string> Figures(LoadGenResult r)
    {
        var f = new Dictionary<string, string>
        {
            ["CM_MLPERF_RESULT_VALIDITY"] = r.IsValid ? "VALID" : "INVALID",
            ["CM_MLPERF_RESULT_QUERY_COUNT"] = r.QueryCount.ToString(CultureInfo.InvariantCulture),
            ["CM_MLPERF_RESULT_SAMPLE_COUNT"] = r.SampleCount.ToString(CultureInfo.InvariantCulture),
            ["CM_MLPERF_RESULT_DURATION_S"] = r.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        };
        if (!r.IsValid) f["CM_MLPERF_RESULT_INVALID_REASONS"] = string.Join("; ", r.InvalidReasons);
        var (metric, value) = r.Scenario switch
        {
            TestScenario.Offline => ("samples_per_second", r.SamplesPerSecond),
            TestScenario.Server => ("completed_samples_per_second", r.CompletedSamplesPerSecond),
            TestScenario.SingleStream => ("p90_latency_ns", (double?)r.EarlyStoppingLatencyNs),
            _ => ("p99_latency_ns", (double?)r.EarlyStoppingLatencyNs),
        };
        f["CM_MLPERF_RESULT_METRIC"] = metric;
        f["CM_MLPERF_RESULT_VALUE"] = (value ?? 0).ToString("0.###", CultureInfo.InvariantCulture);
        if (r.SampleLatency is { } lat)
        {
            f["CM_MLPERF_RESULT_LATENCY_MEAN_NS"] = lat.MeanNs.ToString(CultureInfo.InvariantCulture);
            foreach (var p in lat.Percentiles)
                f[$"CM_MLPERF_RESULT_LATENCY_P{(p.Percentile * 100).ToString("0.#", CultureInfo.InvariantCulture).Replace('.', '_')}_NS"] = p.LatencyNs.ToString(CultureInfo.InvariantCulture);
        }
        return f;
    }

    private static JObject RunInfo(MlperfRunSpec run, ActionContext context, ILoadGenEngine engine, LoadGenResult? performance)
    {
        var host = new JObject();
        foreach (var (k, v) in context.Env.Where(kv => kv.Key.StartsWith("CM_HOST_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal)) host[k] = v;
        return new JObject
        {
            ["model"] = run.Model,
            ["model_path"] = run.ModelPath,
            ["model_sha256"] = Sha256(run.ModelPath),
            ["dataset"] = run.DatasetSidecar ?? "synthetic",
            ["framework"] = "onnxruntime",
            ["framework_version"] = OnnxRuntimeInfo.Version,
            ["device"] = run.Device,
            ["scenario"] = run.Scenario.ToString(),
            ["mode"] = run.Mode,
            ["loadgen_engine"] = engine.EngineName,
            ["batch_size"] = run.BatchSize,
            ["threads"] = run.Threads,
            ["test_query_count"] = run.Targets.TestQueryCount,
            ["system_name"] = run.SystemName,
            ["result_validity"] = performance is null ? null : performance.IsValid ? "VALID" : "INVALID",
            ["host"] = host,
        };
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>What one app-mlperf-inference run was asked to do, read from env once.</summary>
public sealed record MlperfRunSpec(
    string Model, string Device, TestScenario Scenario, string Mode, string Engine, string ResultsDir, string SystemName,
    string ModelPath, string? DatasetSidecar, int BatchSize, int Threads, RunTargets Targets, int? PerformanceSampleCount)
{
    public static MlperfRunSpec From(ActionEnv env)
    {
        var scenarioText = env.Get("CM_MLPERF_LOADGEN_SCENARIO", "Offline");
        if (!Enum.TryParse<TestScenario>(scenarioText, ignoreCase: true, out var scenario))
            throw new AutomationException($"unknown scenario '{scenarioText}'", script: env.Script, fix: "Use _offline, _server, _singlestream or _multistream.");
        var mode = env.Get("CM_MLPERF_LOADGEN_MODE", "performance");
        if (mode is not ("performance" or "accuracy" or "submission" or "find-performance" or "compliance"))
            throw new AutomationException($"unknown mode '{mode}'", script: env.Script, fix: "Use _performance-only, _accuracy-only, _find-performance, _submission or _compliance.");
        var resultsDir = ResultsDirOf(env);
        var host = env.Get("CM_HOST_SYSTEM_NAME", "host");
        var device = env.Get("CM_MLPERF_DEVICE", "cpu");
        return new MlperfRunSpec(
            env.Get("CM_MLPERF_MODEL") ?? Path.GetFileNameWithoutExtension(env.Require("CM_ML_MODEL_FILE_WITH_PATH", "Pass --model_path=FILE.")),
            device,
            scenario,
            mode,
            env.Get("CM_MLPERF_LOADGEN_ENGINE", "native"),
            resultsDir,
            env.Get("CM_MLPERF_SYSTEM_NAME") ?? Sanitize($"{host}-onnxruntime-{device}"),
            env.Require("CM_ML_MODEL_FILE_WITH_PATH", "Run through the model dep (get,ml-model,...) or pass --model_path=FILE."),
            env.Get("CM_MLPERF_DATASET", "preprocessed") == "synthetic" ? null : env.Require("CM_DATASET_PREPROCESSED_PATH", "Run through the preprocessed-dataset dep."),
            Math.Max(1, env.Int("CM_MLPERF_BATCH_SIZE", 32)),
            env.Int("CM_MLPERF_THREADS", 0),
            env.Targets(),
            env.Get("CM_MLPERF_PERFORMANCE_SAMPLE_COUNT") is null ? null : env.Int("CM_MLPERF_PERFORMANCE_SAMPLE_COUNT", 0));
    }

    /// <summary>--results_dir, else results/ in the folder cm was started in.</summary>
    public static string ResultsDirOf(ActionEnv env) =>
        Path.GetFullPath(env.Get("CM_MLPERF_RESULTS_DIR") ?? Path.Combine(env.Get("CM_TMP_CURRENT_PATH", "."), "results"));

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}

/// <summary>The linked ONNX Runtime's version, for records and system descriptions.</summary>
public static class OnnxRuntimeInfo
{
    public static string Version => typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}

/// <summary>A QSL together with the sample source the SUT reads from (the same object for our QSLs).</summary>
internal interface IQuerySampleLibraryWithSamples
{
    IQuerySampleLibrary Library { get; }
    ISampleSource Source { get; }
}

internal sealed record DatasetSamples(PreprocessedDatasetQsl Qsl) : IQuerySampleLibraryWithSamples
{
    public IQuerySampleLibrary Library => Qsl;
    public ISampleSource Source => Qsl;
}

internal sealed record SyntheticSamples(SyntheticInputQsl Qsl) : IQuerySampleLibraryWithSamples
{
    public IQuerySampleLibrary Library => Qsl;
    public ISampleSource Source => Qsl;
}
