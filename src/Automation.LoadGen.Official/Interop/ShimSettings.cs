using System.Runtime.CompilerServices;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official.Interop;

/// <summary>TestSettings as the shim's flat struct: every field of LoadGen's TestSettings, nothing derived.</summary>
internal static class ShimSettings
{
    public static ShimTestSettings From(TestSettings s) => new()
    {
        StructSize = (uint)Unsafe.SizeOf<ShimTestSettings>(),
        Scenario = (int)s.Scenario,
        Mode = (int)s.Mode,
        ServerFindPeakQpsDecimalsOfPrecision = s.ServerFindPeakQpsDecimalsOfPrecision,
        SingleStreamExpectedLatencyNs = s.SingleStreamExpectedLatencyNs,
        SingleStreamTargetLatencyPercentile = s.SingleStreamTargetLatencyPercentile,
        MultiStreamExpectedLatencyNs = s.MultiStreamExpectedLatencyNs,
        MultiStreamTargetLatencyPercentile = s.MultiStreamTargetLatencyPercentile,
        MultiStreamSamplesPerQuery = s.MultiStreamSamplesPerQuery,
        ServerTargetQps = s.ServerTargetQps,
        ServerTargetLatencyNs = s.ServerTargetLatencyNs,
        ServerTargetLatencyPercentile = s.ServerTargetLatencyPercentile,
        ServerFindPeakQpsBoundaryStepSize = s.ServerFindPeakQpsBoundaryStepSize,
        ServerMaxAsyncQueries = s.ServerMaxAsyncQueries,
        ServerNumIssueQueryThreads = s.ServerNumIssueQueryThreads,
        OfflineExpectedQps = s.OfflineExpectedQps,
        MinDurationMs = s.MinDurationMs,
        MaxDurationMs = s.MaxDurationMs,
        MinQueryCount = s.MinQueryCount,
        MaxQueryCount = s.MaxQueryCount,
        QslRngSeed = s.QslRngSeed,
        SampleIndexRngSeed = s.SampleIndexRngSeed,
        ScheduleRngSeed = s.ScheduleRngSeed,
        AccuracyLogRngSeed = s.AccuracyLogRngSeed,
        AccuracyLogProbability = s.AccuracyLogProbability,
        AccuracyLogSamplingTarget = s.AccuracyLogSamplingTarget,
        Test05QslRngSeed = s.Test05QslRngSeed,
        Test05SampleIndexRngSeed = s.Test05SampleIndexRngSeed,
        Test05ScheduleRngSeed = s.Test05ScheduleRngSeed,
        PerformanceIssueSameIndex = s.PerformanceIssueSameIndex,
        PerformanceSampleCountOverride = s.PerformanceSampleCountOverride,
        AccuracySampleCountOverride = s.AccuracySampleCountOverride,
        ServerTtftLatency = s.ServerTtftLatency,
        ServerTpotLatency = s.ServerTpotLatency,
        TokenLatencyScalingFactor = s.TokenLatencyScalingFactor,
        ServerCoalesceQueries = Flag(s.ServerCoalesceQueries),
        SampleConcatenatePermutation = Flag(s.SampleConcatenatePermutation),
        Test05 = Flag(s.Test05),
        PrintTimestamps = Flag(s.PrintTimestamps),
        PerformanceIssueUnique = Flag(s.PerformanceIssueUnique),
        PerformanceIssueSame = Flag(s.PerformanceIssueSame),
        UseTokenLatencies = Flag(s.UseTokenLatencies),
        InferTokenLatencies = Flag(s.InferTokenLatencies),
    };

    private static int Flag(bool value) => value ? 1 : 0;
}
