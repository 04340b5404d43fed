using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.LoadGen.Official;
using Automation.LoadGen.Official.Benchmark;
using Automation.LoadGen.Settings;

namespace Automation.Cli.Benchmarks;

/// <summary>What the benchmark script's env asks for: engines, scenarios, sizing and where results go.</summary>
public sealed record LoadGenBenchmarkRequest(
    IReadOnlyList<LoadGenEngineKind> Engines,
    IReadOnlyList<TestScenario> Scenarios,
    BenchmarkProfile Profile,
    string ResultsDirectory,
    string? ShimLibrary)
{
    public const string Prefix = "CM_MLPERF_LOADGEN_BENCHMARK_";

    public static LoadGenBenchmarkRequest FromEnv(ActionContext ctx, DateTimeOffset now)
    {
        var env = ctx.Env;
        var script = ctx.Node.Script;
        string? Get(string key) => env.TryGetValue(Prefix + key, out var v) && v.Trim().Length > 0 ? v.Trim() : null;
        AutomationException Bad(string key, string why, string fix) =>
            new($"{Prefix}{key}='{Get(key)}' {why}", script.MetaFile, script.Alias, fix);
        T Number<T>(string key, T fallback, Func<T, bool> valid, string input) where T : struct, IParsable<T>
        {
            var text = Get(key);
            if (text is null) return fallback;
            return T.TryParse(text, CultureInfo.InvariantCulture, out var value) && valid(value)
                ? value
                : throw Bad(key, "is not a valid number", $"Pass a positive number with --{input}=N.");
        }

        var defaults = new BenchmarkProfile();
        IReadOnlyList<double> targets;
        try
        {
            targets = Get("SERVER_TARGETS") is { } t ? BenchmarkProfile.ParseTargets(t) : defaults.ServerTargets;
        }
        catch (FormatException e)
        {
            throw Bad("SERVER_TARGETS", $"is not a list of Server targets ({e.Message})", "Pass ascending queries-per-second targets, e.g. --server_targets=100000,200000,400000.");
        }
        var profile = new BenchmarkProfile
        {
            MinDurationMs = Number<ulong>("MIN_DURATION_MS", defaults.MinDurationMs, v => v > 0, "min_duration_ms"),
            OfflineExpectedQps = Number<double>("OFFLINE_EXPECTED_QPS", defaults.OfflineExpectedQps, v => v > 0, "offline_expected_qps"),
            SingleStreamExpectedLatencyNs = Number<double>("SINGLESTREAM_EXPECTED_LATENCY_NS", defaults.SingleStreamExpectedLatencyNs, v => v > 0, "singlestream_expected_latency_ns"),
            MultiStreamExpectedLatencyNs = Number<double>("MULTISTREAM_EXPECTED_LATENCY_NS", defaults.MultiStreamExpectedLatencyNs, v => v > 0, "multistream_expected_latency_ns"),
            QslSize = Number<int>("QSL_SIZE", defaults.QslSize, v => v > 0, "qsl_size"),
            ServerTargets = targets,
        };

        var engines = new List<LoadGenEngineKind>();
        foreach (var name in (Get("ENGINES") ?? "native,official").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!LoadGenEngines.TryParse(name, out var kind)) throw Bad("ENGINES", "names an unknown engine", "Use the _loadgen-native, _loadgen-official or _both variation.");
            if (!engines.Contains(kind)) engines.Add(kind);
        }
        var scenarios = new List<TestScenario>();
        foreach (var name in (Get("SCENARIOS") ?? "Offline,Server,SingleStream,MultiStream").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<TestScenario>(name, ignoreCase: true, out var scenario)) throw Bad("SCENARIOS", "names an unknown scenario", "Use the _offline, _server, _singlestream or _multistream variation.");
            if (!scenarios.Contains(scenario)) scenarios.Add(scenario);
        }

        var shim = env.GetValueOrDefault(OfficialLoadGen.ShimLibraryEnv);
        if (engines.Contains(LoadGenEngineKind.Official) && string.IsNullOrEmpty(shim))
        {
            throw new AutomationException($"the official engine was asked for but {OfficialLoadGen.ShimLibraryEnv} is not set", script.MetaFile, script.Alias,
                "Run with the _loadgen-official or _both variation, whose get-mlperf-inference-loadgen dep builds it (offline: --env.CM_MLPERF_LOADGEN_SOURCE=<archive or folder>).");
        }

        var cwd = env.GetValueOrDefault("CM_TMP_CURRENT_PATH") is { Length: > 0 } c ? c : Environment.CurrentDirectory;
        var results = Get("RESULTS_DIR") is { } dir
            ? Path.GetFullPath(dir, cwd)
            : Path.Combine(cwd, "mlperf-loadgen-benchmark", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        return new LoadGenBenchmarkRequest(engines, scenarios, profile, results, shim);
    }

    /// <summary>The hidden `cm loadgen-bench` arguments for one run.</summary>
    public IReadOnlyList<string> ChildArguments(LoadGenEngineKind engine, TestScenario scenario, double? serverTarget, string outDir)
    {
        var p = Profile;
        var args = new List<string>
        {
            "loadgen-bench", "--engine", LoadGenEngines.Name(engine), "--scenario", scenario.ToString(), "--out", outDir,
            "--min-duration-ms", p.MinDurationMs.ToString(CultureInfo.InvariantCulture),
            "--offline-expected-qps", p.OfflineExpectedQps.ToString("R", CultureInfo.InvariantCulture),
            "--singlestream-expected-latency-ns", p.SingleStreamExpectedLatencyNs.ToString("R", CultureInfo.InvariantCulture),
            "--multistream-expected-latency-ns", p.MultiStreamExpectedLatencyNs.ToString("R", CultureInfo.InvariantCulture),
            "--qsl-size", p.QslSize.ToString(CultureInfo.InvariantCulture),
        };
        if (serverTarget is { } target) args.AddRange(["--server-target-qps", target.ToString("R", CultureInfo.InvariantCulture)]);
        if (engine == LoadGenEngineKind.Official) args.AddRange(["--shim-lib", ShimLibrary!]);
        return args;
    }
}
