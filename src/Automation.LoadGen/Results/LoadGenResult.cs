using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Results;

/// <summary>
/// What a LoadGen run reports. Performance figures come from the final performance pass (for FindPeakPerformance,
/// the highest target QPS that met the latency bound); an AccuracyOnly run has <see cref="Performance"/> null and is
/// valid when it logged no errors.
/// </summary>
public sealed record LoadGenResult
{
    public required string EngineName { get; init; }
    public required TestScenario Scenario { get; init; }
    public required TestMode Mode { get; init; }
    public required string ResultDirectory { get; init; }
    public PerformanceFigures? Performance { get; init; }
    public int ErrorCount { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public int AccuracyLogEntries { get; init; }
    /// <summary>FindPeakPerformance: the target QPS the search settled on.</summary>
    public double? PeakTargetQps { get; init; }

    public bool IsValid => Performance?.IsValid ?? ErrorCount == 0;
    public IReadOnlyList<string> InvalidReasons => Performance?.InvalidReasons ?? Errors;

    /// <summary>Offline's "Samples per second".</summary>
    public double? SamplesPerSecond => Scenario == TestScenario.Offline ? Performance?.SamplesPerSecond : null;
    /// <summary>Server's "Completed samples per second".</summary>
    public double? CompletedSamplesPerSecond => Scenario == TestScenario.Server ? Performance?.CompletedSamplesPerSecond : null;
    public double? ScheduledSamplesPerSecond => Scenario == TestScenario.Server ? Performance?.ScheduledSamplesPerSecond : null;
    public double? QpsWithLoadgenOverhead => Scenario == TestScenario.SingleStream ? Performance?.QpsWithLoadgenOverhead : null;
    public double? QpsWithoutLoadgenOverhead => Scenario == TestScenario.SingleStream ? Performance?.QpsWithoutLoadgenOverhead : null;
    public LatencyStats? SampleLatency => Performance?.SampleLatency;
    public LatencyStats? QueryLatency => Performance?.QueryLatency;
    /// <summary>The scenario's early-stopping percentile estimate: SingleStream's target percentile, MultiStream's per-query one.</summary>
    public long? EarlyStoppingLatencyNs => Scenario switch
    {
        TestScenario.SingleStream => Performance?.EarlyStoppingLatencySs,
        TestScenario.MultiStream => Performance?.EarlyStoppingLatencyMs,
        _ => null,
    };
    public long QueryCount => Performance?.QueryCount ?? 0;
    public long SampleCount => Performance?.SampleCount ?? 0;
    /// <summary>Seconds from the pass start to the last sample's completion.</summary>
    public double DurationSeconds => Performance is null ? 0 : Math.Max(Performance.MaxLatencySeconds, Performance.FinalQueryDoneSeconds);
}
