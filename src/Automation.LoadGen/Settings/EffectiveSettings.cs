namespace Automation.LoadGen.Settings;

/// <summary>
/// The settings a run actually uses (LoadGen's TestSettingsInternal): scenario-specific target QPS and latency,
/// samples per query, Offline's single big query, resolved sample counts, and configuration errors found on the way.
/// </summary>
public sealed record EffectiveSettings
{
    public required TestSettings Requested { get; init; }
    public TestScenario Scenario => Requested.Scenario;
    public TestMode Mode => Requested.Mode;
    public ulong SamplesPerQuery { get; init; } = 1;
    public double TargetQps { get; init; } = 1;
    public long TargetLatencyNs { get; init; }
    public double TargetLatencyPercentile { get; init; }
    public ulong MaxAsyncQueries { get; init; }
    public ulong TargetDurationMs { get; init; }
    public ulong MinDurationMs { get; init; }
    public ulong MaxDurationMs { get; init; }
    public ulong MinQueryCount { get; init; }
    public ulong MaxQueryCount { get; init; }
    public ulong MinSampleCount { get; init; }
    public ulong QslRngSeed { get; init; }
    public ulong SampleIndexRngSeed { get; init; }
    public ulong ScheduleRngSeed { get; init; }
    public ulong AccuracyLogRngSeed { get; init; }
    public double AccuracyLogProbability { get; init; }
    public ulong AccuracyLogSamplingTarget { get; init; }
    public bool PrintTimestamps { get; init; }
    public bool PerformanceIssueUnique { get; init; }
    public bool PerformanceIssueSame { get; init; }
    public ulong PerformanceIssueSameIndex { get; init; }
    public ulong PerformanceSampleCount { get; init; }
    public ulong AccuracySampleCount { get; init; }
    public bool SampleConcatenatePermutation { get; init; }
    public bool UseTokenLatencies { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];

    public static EffectiveSettings Resolve(TestSettings requested, ulong qslPerformanceSampleCount, ulong qslTotalSampleCount)
    {
        var errors = new List<string>();
        var s = new EffectiveSettings
        {
            Requested = requested,
            TargetDurationMs = requested.MinDurationMs,
            MinDurationMs = requested.MinDurationMs,
            MaxDurationMs = requested.MaxDurationMs,
            MinQueryCount = requested.MinQueryCount,
            MaxQueryCount = requested.MaxQueryCount,
            QslRngSeed = requested.QslRngSeed,
            SampleIndexRngSeed = requested.SampleIndexRngSeed,
            ScheduleRngSeed = requested.ScheduleRngSeed,
            AccuracyLogRngSeed = requested.AccuracyLogRngSeed,
            AccuracyLogProbability = requested.AccuracyLogProbability,
            AccuracyLogSamplingTarget = requested.AccuracyLogSamplingTarget,
            PrintTimestamps = requested.PrintTimestamps,
            PerformanceIssueUnique = requested.PerformanceIssueUnique,
            PerformanceIssueSame = requested.PerformanceIssueSame,
            PerformanceIssueSameIndex = requested.PerformanceIssueSameIndex,
            UseTokenLatencies = requested.UseTokenLatencies,
            PerformanceSampleCount = requested.PerformanceSampleCountOverride == 0 ? qslPerformanceSampleCount : requested.PerformanceSampleCountOverride,
            AccuracySampleCount = requested.AccuracySampleCountOverride == 0 ? qslTotalSampleCount : requested.AccuracySampleCountOverride,
            SampleConcatenatePermutation = requested.SampleConcatenatePermutation,
        };

        s = requested.Scenario switch
        {
            TestScenario.SingleStream => s with
            {
                TargetQps = 1e9 / requested.SingleStreamExpectedLatencyNs,
                MaxAsyncQueries = 1,
                TargetLatencyPercentile = requested.SingleStreamTargetLatencyPercentile,
            },
            TestScenario.MultiStream => s with
            {
                TargetQps = 1e9 / requested.MultiStreamExpectedLatencyNs,
                MaxAsyncQueries = 1,
                TargetLatencyPercentile = requested.MultiStreamTargetLatencyPercentile,
                SamplesPerQuery = requested.MultiStreamSamplesPerQuery,
            },
            TestScenario.Server => s with
            {
                TargetQps = requested.ServerTargetQps >= 0 ? requested.ServerTargetQps : Invalid(errors, "server_target_qps", requested.ServerTargetQps),
                TargetLatencyNs = (long)requested.ServerTargetLatencyNs,
                TargetLatencyPercentile = requested.ServerTargetLatencyPercentile,
                MaxAsyncQueries = requested.ServerMaxAsyncQueries,
            },
            _ => s with
            {
                // Offline has no latency target; LoadGen sets 0.99 so the field is never garbage.
                TargetLatencyPercentile = 0.99,
                TargetQps = requested.OfflineExpectedQps >= 0 ? requested.OfflineExpectedQps : Invalid(errors, "offline_expected_qps", requested.OfflineExpectedQps),
                MaxAsyncQueries = 1,
            },
        };

        if (requested.Scenario == TestScenario.Offline)
        {
            // One query carrying every sample, with 10% slack so a SUT at the expected rate still runs past min_duration.
            const double slack = 1.1;
            var targetSampleCount = (ulong)(slack * (s.TargetDurationMs / 1000.0) * s.TargetQps);
            s = s with
            {
                SamplesPerQuery = requested.PerformanceIssueUnique ? s.PerformanceSampleCount : Math.Max(s.MinQueryCount, targetSampleCount),
                MinQueryCount = 1,
                TargetDurationMs = 0,
            };
        }

        if (s.SampleConcatenatePermutation && requested.Scenario == TestScenario.SingleStream && qslPerformanceSampleCount != 0)
        {
            // Equal-issue SingleStream (3D-UNet): enough queries for twice the duration, rounded up past a whole
            // number of data-set passes. LoadGen adds a full pass even when already a multiple; so does this.
            const double slack = 2.0;
            var expected = (ulong)(slack * (s.TargetDurationMs / 1000.0) * s.TargetQps);
            var minQueries = Math.Max(s.MinQueryCount, expected);
            s = s with { MinQueryCount = minQueries + qslPerformanceSampleCount - minQueries % qslPerformanceSampleCount };
        }

        s = s with { MinSampleCount = s.MinQueryCount * s.SamplesPerQuery };

        if (requested.PerformanceIssueSame && requested.PerformanceIssueSameIndex >= s.PerformanceSampleCount)
        {
            errors.Add("Sample Idx to be repeated in performance_issue_same mode cannot be greater than loaded performance_sample_count."
                + $" performance_issue_same_index: {requested.PerformanceIssueSameIndex} performance_sample_count: {s.PerformanceSampleCount}");
        }
        if (requested.PerformanceIssueUnique && requested.PerformanceIssueSame)
        {
            errors.Add("Performance_issue_unique and performance_issue_same, both cannot be true at the same time."
                + $" performance_issue_unique: {requested.PerformanceIssueUnique} performance_issue_same: {requested.PerformanceIssueSame}");
        }
        return s with { Errors = errors };
    }

    private static double Invalid(List<string> errors, string name, double value)
    {
        errors.Add($"Invalid value for {name} requested. requested: {value} using: 1");
        return 1;
    }
}
