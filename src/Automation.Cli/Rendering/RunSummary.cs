using System.Globalization;
using Automation.Core.Execution;

namespace Automation.Cli.Rendering;

/// <summary>The human-readable end of a run: which steps ran or came from the cache, then the MLPerf result table or the exported env.</summary>
public static class RunSummary
{
    public static void Write(RunResult result, TextWriter output)
    {
        foreach (var step in result.Steps)
        {
            var how = step.FromCache ? "cached" : step.Cached ? "ran, cached" : "ran";
            var variations = string.Concat(step.Variations.Select(v => ",_" + v));
            output.WriteLine($"  {step.Script}{variations}{(step.Outcome.Version is { } v ? " " + v : "")} ({how}, {(step.Finished - step.Started).TotalSeconds:0.00} s)");
        }
        var env = result.Root.Outcome.NewEnv;
        output.WriteLine();
        if (env.TryGetValue(Mlperf.Actions.MlperfInferenceAction.AllScenariosResultsKey, out var all)) WriteResultsTable(all, output);
        else if (env.ContainsKey("CM_MLPERF_SCENARIO_RESULTS_DIR")) WriteMlperfTable(env, output);
        else
            foreach (var (k, v) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal)) output.WriteLine($"{k}={v}");
    }

    private static void WriteMlperfTable(IReadOnlyDictionary<string, string> env, TextWriter output)
    {
        string Get(string key) => env.TryGetValue(key, out var v) ? v : "";
        var rows = new List<(string, string)>
        {
            ("model", $"{Get("CM_MLPERF_MODEL")} ({Get("CM_MLPERF_BACKEND")}, {Get("CM_MLPERF_DEVICE")}, LoadGen {Get("CM_MLPERF_LOADGEN_ENGINE")})"),
            ("scenario", $"{Get("CM_MLPERF_LOADGEN_SCENARIO")}, mode {Get("CM_MLPERF_LOADGEN_MODE")}"),
        };
        if (env.ContainsKey("CM_MLPERF_RESULT_VALIDITY"))
        {
            var metric = Get("CM_MLPERF_RESULT_METRIC");
            rows.Add((metric.Replace("_ns", "").Replace('_', ' '), metric.EndsWith("_ns", StringComparison.Ordinal) ? Ms(Get("CM_MLPERF_RESULT_VALUE")) : Get("CM_MLPERF_RESULT_VALUE")));
            rows.Add(("latency p50 / p90 / p99", $"{Ms(Get("CM_MLPERF_RESULT_LATENCY_P50_NS"))} / {Ms(Get("CM_MLPERF_RESULT_LATENCY_P90_NS"))} / {Ms(Get("CM_MLPERF_RESULT_LATENCY_P99_NS"))}"));
            rows.Add(("queries / samples", $"{Get("CM_MLPERF_RESULT_QUERY_COUNT")} / {Get("CM_MLPERF_RESULT_SAMPLE_COUNT")} in {Get("CM_MLPERF_RESULT_DURATION_S")} s"));
            var validity = Get("CM_MLPERF_RESULT_VALIDITY");
            rows.Add(("result", validity == "VALID" ? "VALID" : $"INVALID ({Get("CM_MLPERF_RESULT_INVALID_REASONS")})"));
        }
        if (env.ContainsKey("CM_MLPERF_ACCURACY"))
            rows.Add(("accuracy (top-1)", $"{Get("CM_MLPERF_ACCURACY")}% ({Get("CM_MLPERF_ACCURACY_GOOD")}/{Get("CM_MLPERF_ACCURACY_TOTAL")})"));
        rows.Add(("results", Get("CM_MLPERF_SCENARIO_RESULTS_DIR")));
        var width = rows.Max(r => r.Item1.Length);
        output.WriteLine("MLPerf-style result");
        foreach (var (name, value) in rows) output.WriteLine($"  {name.PadRight(width)}  {value}");
        if (env.TryGetValue("CM_MLPERF_RESULT_FAILURE", out var failure)) output.WriteLine($"  {"why".PadRight(width)}  {failure}");
        // The same table `cm report` prints, for the scenario this run wrote (headline by the scenario's rules).
        WriteResultsTable(Get("CM_MLPERF_SCENARIO_RESULTS_DIR"), output, blankLineFirst: true);
    }

    /// <summary>The table `cm report` prints, for the results this run wrote: one scenario, or all of `_all-scenarios`.</summary>
    private static void WriteResultsTable(string dir, TextWriter output, bool blankLineFirst = false)
    {
        if (!Directory.Exists(dir) || Results.ResultsReader.Read([dir], Mlperf.Submission.MlperfRules.AccuracyTargets) is not { Count: > 0 } results) return;
        if (blankLineFirst) output.WriteLine();
        output.Write(Results.ResultsTable.Text(results));
    }

    private static string Ms(string ns) =>
        double.TryParse(ns, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (v / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " ms" : ns;
}
