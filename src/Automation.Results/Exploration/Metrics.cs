using System.Globalization;

namespace Automation.Results.Exploration;

/// <summary>
/// The named metrics of one run, from the env an MLPerf run exports (a sweep point's `figures`, a run record's
/// `figures`): throughput (samples/s, Offline/Server), latency_p50/p90/p99/mean (ms), accuracy (%), and every raw
/// figure key under its own name, so `--objective=max:CM_SWEEP_PROBE_SCORE` works for any script.
/// </summary>
public static class Metrics
{
    public static readonly IReadOnlyDictionary<string, string> Units = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["throughput"] = "samples/s", ["latency_p50"] = "ms", ["latency_p90"] = "ms", ["latency_p99"] = "ms", ["latency_mean"] = "ms", ["accuracy"] = "%",
    };

    /// <summary>Lower is better for latencies; higher for everything else (the direction an objective or Pareto front uses by default).</summary>
    public static bool HigherIsBetter(string metric) => !metric.StartsWith("latency", StringComparison.Ordinal);

    public static string Unit(string metric) => Units.GetValueOrDefault(metric, "");

    /// <summary>"latency_p99 (ms)": a metric with its unit, for column headers and axis titles.</summary>
    public static string Title(string metric) => Unit(metric) is { Length: > 0 } u ? $"{metric} ({u})" : metric;

    public static IReadOnlyDictionary<string, double> From(IReadOnlyDictionary<string, string> figures)
    {
        var m = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in figures)
            if (Number(v) is { } n) m[k] = n;
        var metric = figures.GetValueOrDefault("CM_MLPERF_RESULT_METRIC");
        if (metric is "samples_per_second" or "completed_samples_per_second" && Number(figures.GetValueOrDefault("CM_MLPERF_RESULT_VALUE")) is { } t) m["throughput"] = t;
        foreach (var (name, key) in new[] { ("latency_p50", "CM_MLPERF_RESULT_LATENCY_P50_NS"), ("latency_p90", "CM_MLPERF_RESULT_LATENCY_P90_NS"), ("latency_p99", "CM_MLPERF_RESULT_LATENCY_P99_NS"), ("latency_mean", "CM_MLPERF_RESULT_LATENCY_MEAN_NS") })
            if (Number(figures.GetValueOrDefault(key)) is { } ns) m[name] = ns / 1e6;
        if (Number(figures.GetValueOrDefault("CM_MLPERF_ACCURACY")) is { } acc) m["accuracy"] = acc;
        return m;
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
