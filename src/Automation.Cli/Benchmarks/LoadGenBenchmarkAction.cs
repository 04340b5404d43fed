using System.Globalization;
using System.Text;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Core.World;
using Automation.LoadGen.Official;
using Automation.LoadGen.Official.Benchmark;
using Automation.LoadGen.Settings;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Benchmarks;

/// <summary>
/// The benchmark-mlperf-loadgen script's built-in: runs each engine and scenario against the null SUT, each run in
/// its own `cm loadgen-bench` process so that peak memory is the engine's alone, searches Server targets upward
/// until one is INVALID, writes the MLPerf logs and a table into the results folder, and prints native ÷ official.
/// </summary>
public sealed class LoadGenBenchmarkAction(IProcessRunner processes) : IBuiltinAction
{
    public const string ActionName = "mlperf-loadgen-benchmark";

    public string Name => ActionName;

    public async Task<StepOutcome> RunAsync(ActionContext ctx, CancellationToken cancellationToken)
    {
        var request = LoadGenBenchmarkRequest.FromEnv(ctx, DateTimeOffset.Now);
        Directory.CreateDirectory(request.ResultsDirectory);
        void Say(string line)
        {
            ctx.Log.WriteLine(line);
            if (!ctx.Quiet) Console.Error.WriteLine(line);
        }
        Say($"loadgen benchmark: results in {request.ResultsDirectory}");

        var outcomes = new List<ScenarioOutcome>();
        // Scenario by scenario, engines side by side, so that both see the machine in the same state.
        foreach (var scenario in request.Scenarios)
        {
            foreach (var engine in request.Engines)
            {
                var runs = new List<EngineRunReport>();
                var targets = scenario == TestScenario.Server ? request.Profile.ServerTargets.Select(t => (double?)t) : [null];
                foreach (var target in targets)
                {
                    var report = await RunChildAsync(ctx, request, engine, scenario, target, cancellationToken);
                    runs.Add(report);
                    Say($"  {report.Engine,-8} {Label(scenario, target),-16} {(report.IsValid ? "VALID  " : "INVALID")} " +
                        $"{SideBySide.Number(report.Throughput)} {EngineRunReport.ThroughputUnit(scenario)}, peak {SideBySide.MiB(report.PeakRssBytes)}, {report.WallSeconds:F1} s");
                    if (!report.IsValid) break;
                }
                outcomes.Add(new ScenarioOutcome(LoadGenEngines.Name(engine), scenario, runs));
            }
        }

        var table = SideBySide.Render(outcomes);
        var tablePath = Path.Combine(request.ResultsDirectory, "benchmark.md");
        await File.WriteAllTextAsync(tablePath, Document(request, table), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(request.ResultsDirectory, "benchmark.json"),
            "[\n" + string.Join(",\n", outcomes.SelectMany(o => o.Runs).Select(r => r.ToJsonLine())) + "\n]\n", cancellationToken);
        Say("");
        Say(table);
        Say($"loadgen benchmark: results in {request.ResultsDirectory} (table: {tablePath})");
        return new StepOutcome(Exports(request, outcomes, tablePath), new JObject());
    }

    private async Task<EngineRunReport> RunChildAsync(ActionContext ctx, LoadGenBenchmarkRequest request, LoadGenEngineKind engine,
        TestScenario scenario, double? target, CancellationToken ct)
    {
        var outDir = Path.Combine(request.ResultsDirectory, LoadGenEngines.Name(engine), Label(scenario, target));
        var (file, prefix) = SelfCommand();
        var result = await processes.RunAsync(new ProcessRequest(file, [.. prefix, .. request.ChildArguments(engine, scenario, target, outDir)]), ct);
        var line = result.StandardOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (result.ExitCode != 0 || line is null)
        {
            var script = ctx.Node.Script;
            throw new AutomationException(
                $"the {LoadGenEngines.Name(engine)} LoadGen run for {Label(scenario, target)} failed (exit {result.ExitCode}): {Tail(result.StandardError + result.StandardOutput)}",
                script.MetaFile, script.Alias, "Run again with smaller sizing (--min_duration_ms, --server_targets) or look at the error above.");
        }
        return EngineRunReport.FromJson(line);
    }

    /// <summary>This cm: the AOT binary or apphost itself, or `dotnet cm.dll` for a JIT run.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new AutomationException("cannot tell which program is running, so the benchmark cannot start its runs");
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? (path, [Path.Combine(AppContext.BaseDirectory, "cm.dll")]) : (path, []);
    }

    private static string Label(TestScenario scenario, double? target) =>
        target is { } t ? $"{scenario}-{t.ToString("0.##", CultureInfo.InvariantCulture)}" : scenario.ToString();

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(5));
    }

    private static string Document(LoadGenBenchmarkRequest request, string table)
    {
        var p = request.Profile;
        var sb = new StringBuilder();
        sb.AppendLine("# LoadGen benchmark: null SUT, one process per run");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"min_duration {p.MinDurationMs} ms; Offline expected QPS {p.OfflineExpectedQps}; SingleStream expected latency {p.SingleStreamExpectedLatencyNs} ns; " +
                                                    $"MultiStream expected latency {p.MultiStreamExpectedLatencyNs} ns; Server targets {string.Join(", ", p.ServerTargets)}; QSL {p.QslSize} samples.");
        sb.AppendLine();
        sb.Append(table);
        return sb.ToString();
    }

    private static Dictionary<string, string> Exports(LoadGenBenchmarkRequest request, IReadOnlyList<ScenarioOutcome> outcomes, string tablePath)
    {
        const string p = LoadGenBenchmarkRequest.Prefix;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [p + "RESULTS_DIR"] = request.ResultsDirectory,
            [p + "TABLE_FILE"] = tablePath,
        };
        static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var o in outcomes)
        {
            var key = $"{p}{o.Engine.ToUpperInvariant()}_{o.Scenario.ToString().ToUpperInvariant()}_";
            var best = o.Representative;
            env[key + "VALID"] = best?.IsValid == true ? "yes" : "no";
            env[key + "THROUGHPUT"] = F(best?.Throughput ?? 0);
            env[key + "PEAK_RSS_MIB"] = F(o.PeakRssBytes / (1024.0 * 1024.0));
            if (o.Scenario == TestScenario.Server) env[key + "SERVER_TARGET_QPS"] = F(best?.ServerTargetQps ?? 0);
        }
        foreach (var r in SideBySide.Ratios(outcomes))
        {
            var key = $"{p}RATIO_{r.Scenario.ToString().ToUpperInvariant()}_";
            if (r.Throughput is { } t) env[key + "THROUGHPUT"] = t.ToString("0.###", CultureInfo.InvariantCulture);
            if (r.PeakMemory is { } m) env[key + "PEAK_RSS"] = m.ToString("0.###", CultureInfo.InvariantCulture);
        }
        return env;
    }
}
