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

    private static Headline? Latency(string name, double? ns) => ns is { } v ? new Headline(name, v / 1e6, "ms", false) : null;
}
