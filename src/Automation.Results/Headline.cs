using System.Globalization;
using Automation.LoadGen.Logging;

namespace Automation.Results;

/// <summary>
/// A scenario's headline figure by MLPerf's rules: Offline samples/s, Server scheduled queries/s, SingleStream p90
/// and MultiStream p99 latency (LoadGen's early-stopping estimate when it gives one, as the checker reports it).
/// </summary>
public sealed record Headline(string Name, double Value, string Unit, bool HigherIsBetter)
{
    /// <summary>The unit column of MLPerf's summary.csv for each scenario.</summary>
    public string CsvUnit => Unit switch { "samples/s" => "Samples/s", "queries/s" => "Queries/s", _ => "Latency (ms)" };

    public string Display => Unit == "ms"
        ? Value.ToString(Value < 10 ? "0.###" : "0.##", CultureInfo.InvariantCulture) + " ms"
        : Value.ToString(Value < 100 ? "0.##" : "0", CultureInfo.InvariantCulture) + " " + Unit;

    public static Headline? For(string scenario, SummaryFigures s) => scenario switch
    {
        "Offline" => s.SamplesPerSecond is { } v ? new Headline("samples/s", v, "samples/s", true) : null,
        "Server" => (s.ScheduledSamplesPerSecond ?? s.CompletedSamplesPerSecond) is { } v ? new Headline("scheduled QPS", v, "queries/s", true) : null,
        "SingleStream" => Latency("p90 latency", s.EarlyStoppingEstimateNs(90.0) ?? s.TargetPercentileLatencyNs),
        "MultiStream" => Latency("p99 latency", s.EarlyStoppingEstimateNs(99.0) ?? s.TargetPercentileLatencyNs),
        _ => null,
    };

    /// <summary>
    /// The headline from what an app-mlperf-inference run exported (CM_MLPERF_LOADGEN_SCENARIO, CM_MLPERF_RESULT_VALUE,
    /// CM_MLPERF_RESULT_METRIC, CM_MLPERF_RESULT_LATENCY_P90/P99_NS): for a run whose results folder was since overwritten by a later run, or
    /// a sweep point known only by its table row.
    /// </summary>
    public static Headline? FromFigures(IReadOnlyDictionary<string, string> figures)
    {
        double? Number(string key) => figures.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
        return figures.GetValueOrDefault("CM_MLPERF_LOADGEN_SCENARIO") switch
        {
            "Offline" => Number("CM_MLPERF_RESULT_VALUE") is { } v ? new Headline("samples/s", v, "samples/s", true) : null,
            "Server" => Number("CM_MLPERF_RESULT_VALUE") is { } v ? new Headline("completed QPS", v, "queries/s", true) : null,
            // The exported value is LoadGen's early-stopping estimate, as in the summary.
            "SingleStream" => Latency("p90 latency", figures.GetValueOrDefault("CM_MLPERF_RESULT_METRIC") == "p90_latency_ns" ? Number("CM_MLPERF_RESULT_VALUE") : Number("CM_MLPERF_RESULT_LATENCY_P90_NS")),
            "MultiStream" => Latency("p99 latency", figures.GetValueOrDefault("CM_MLPERF_RESULT_METRIC") == "p99_latency_ns" ? Number("CM_MLPERF_RESULT_VALUE") : Number("CM_MLPERF_RESULT_LATENCY_P99_NS")),
            _ => null,
        };
    }

    private static Headline? Latency(string name, double? ns) => ns is { } v ? new Headline(name, v / 1e6, "ms", false) : null;
}
