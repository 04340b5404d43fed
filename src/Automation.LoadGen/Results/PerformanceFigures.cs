using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Results;

/// <summary>A latency at a percentile: sorted[floor(n · p)], 0-based.</summary>
public readonly record struct PercentileLatency(double Percentile, long LatencyNs);

/// <summary>Min, max, integer mean and LoadGen's reported percentiles (50, 90, 95, 97, 99, 99.9) of a latency set.</summary>
public sealed record LatencyStats(long MinNs, long MaxNs, long MeanNs, IReadOnlyList<PercentileLatency> Percentiles)
{
    public static readonly double[] ReportedPercentiles = [0.50, 0.90, 0.95, 0.97, 0.99, 0.999];

    public static LatencyStats Empty { get; } = new(0, 0, 0, ReportedPercentiles.Select(p => new PercentileLatency(p, 0)).ToArray());

    /// <summary>Computes the stats of already sorted latencies.</summary>
    public static LatencyStats FromSorted(long[] sorted)
    {
        if (sorted.Length == 0) return Empty;
        long sum = 0;
        foreach (var v in sorted) sum += v;
        return new LatencyStats(sorted[0], sorted[^1], sum / sorted.Length,
            ReportedPercentiles.Select(p => new PercentileLatency(p, At(sorted, p))).ToArray());
    }

    public static long At(long[] sorted, double percentile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (long)(sorted.Length * percentile))];

    public long this[double percentile] => Percentiles.First(p => p.Percentile == percentile).LatencyNs;
}

/// <summary>Everything LoadGen derives from one performance pass (its PerformanceSummary), ready for the logs.</summary>
public sealed record PerformanceFigures
{
    public required EffectiveSettings Settings { get; init; }
    public required string SutName { get; init; }
    public long SampleCount { get; init; }
    public long QueryCount { get; init; }
    public long OverlatencyQueryCount { get; init; }
    public required LatencyStats SampleLatency { get; init; }
    /// <summary>MultiStream only: per-query latency, the slowest sample of each query.</summary>
    public LatencyStats? QueryLatency { get; init; }
    public long TargetPercentileLatencyNs { get; init; }
    public double MaxLatencySeconds { get; init; }
    public double FinalQueryScheduledSeconds { get; init; }
    public double FinalQueryIssuedSeconds { get; init; }
    public double FinalQueryDoneSeconds { get; init; }
    public bool MinDurationMet { get; init; }
    public bool MinQueriesMet { get; init; }
    public bool PerfConstraintsMet { get; init; }
    public bool EarlyStoppingMet { get; init; }
    public string MinDurationRecommendation { get; init; } = "";
    public string PerfConstraintsRecommendation { get; init; } = "";
    public string EarlyStoppingRecommendation { get; init; } = "";
    /// <summary>SingleStream's early-stopping estimate at its target percentile (early_stopping_latency_ss).</summary>
    public long EarlyStoppingLatencySs { get; init; }
    /// <summary>MultiStream's estimate, or SingleStream's 99th-percentile estimate (early_stopping_latency_ms).</summary>
    public long EarlyStoppingLatencyMs { get; init; }
    public long EarlyStoppingDiscarded { get; init; }

    public bool HasPerfConstraints => Settings.Scenario == TestScenario.Server;
    public bool IsValid => MinDurationMet && MinQueriesMet && PerfConstraintsMet && EarlyStoppingMet;

    public double QpsWithLoadgenOverhead => (SampleCount - 1) / FinalQueryIssuedSeconds;
    public double QpsWithoutLoadgenOverhead => 1 / (SampleLatency.MeanNs / 1e9);
    public double ScheduledSamplesPerSecond => (SampleCount - 1) / FinalQueryScheduledSeconds;
    public double CompletedSamplesPerSecond => (SampleCount - 1) / FinalQueryDoneSeconds;
    public double SamplesPerSecond => SampleCount / MaxLatencySeconds;

    /// <summary>The reasons LoadGen gives for INVALID, one per unmet rule.</summary>
    public IReadOnlyList<string> InvalidReasons
    {
        get
        {
            var reasons = new List<string>();
            if (!PerfConstraintsMet) reasons.Add(PerfConstraintsRecommendation);
            if (!MinDurationMet) reasons.Add(MinDurationRecommendation);
            if (!MinQueriesMet) reasons.Add("The test exited early, before enough queries were issued.");
            if (!EarlyStoppingMet) reasons.Add(EarlyStoppingRecommendation.Trim());
            return reasons;
        }
    }
}
