using System.Runtime.InteropServices;

namespace Automation.LoadGen.Official.Interop;

// Mirrors of native/shim.h. Field order and types must match it exactly; shim_start_test checks the settings size.

[StructLayout(LayoutKind.Sequential)]
internal struct ShimQuerySample
{
    public nuint Id;
    public nuint Index;
}

[StructLayout(LayoutKind.Sequential)]
internal struct ShimResponse
{
    public nuint Id;
    public nuint Data;
    public nuint Size;
    public long NTokens;
}

[StructLayout(LayoutKind.Sequential)]
internal struct ShimTestSettings
{
    public uint StructSize;
    public int Scenario;
    public int Mode;
    public int ServerFindPeakQpsDecimalsOfPrecision;
    public double SingleStreamExpectedLatencyNs;
    public double SingleStreamTargetLatencyPercentile;
    public double MultiStreamExpectedLatencyNs;
    public double MultiStreamTargetLatencyPercentile;
    public ulong MultiStreamSamplesPerQuery;
    public double ServerTargetQps;
    public ulong ServerTargetLatencyNs;
    public double ServerTargetLatencyPercentile;
    public double ServerFindPeakQpsBoundaryStepSize;
    public ulong ServerMaxAsyncQueries;
    public ulong ServerNumIssueQueryThreads;
    public double OfflineExpectedQps;
    public ulong MinDurationMs;
    public ulong MaxDurationMs;
    public ulong MinQueryCount;
    public ulong MaxQueryCount;
    public ulong QslRngSeed;
    public ulong SampleIndexRngSeed;
    public ulong ScheduleRngSeed;
    public ulong AccuracyLogRngSeed;
    public double AccuracyLogProbability;
    public ulong AccuracyLogSamplingTarget;
    public ulong Test05QslRngSeed;
    public ulong Test05SampleIndexRngSeed;
    public ulong Test05ScheduleRngSeed;
    public ulong PerformanceIssueSameIndex;
    public ulong PerformanceSampleCountOverride;
    public ulong AccuracySampleCountOverride;
    public ulong ServerTtftLatency;
    public ulong ServerTpotLatency;
    public ulong TokenLatencyScalingFactor;
    public int ServerCoalesceQueries;
    public int SampleConcatenatePermutation;
    public int Test05;
    public int PrintTimestamps;
    public int PerformanceIssueUnique;
    public int PerformanceIssueSame;
    public int UseTokenLatencies;
    public int InferTokenLatencies;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ShimLogSettings
{
    public byte* OutDir;
    public byte* Prefix;
    public byte* Suffix;
    public int PrefixWithDatetime;
    public int CopyDetailToStdout;
    public int CopySummaryToStdout;
    public int EnableTrace;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ShimCallbacks
{
    public nint Context;
    public byte* SutName;
    public byte* QslName;
    public ulong TotalSampleCount;
    public ulong PerformanceSampleCount;
    public delegate* unmanaged<nint, ShimQuerySample*, nuint, void> IssueQuery;
    public delegate* unmanaged<nint, void> FlushQueries;
    public delegate* unmanaged<nint, nuint*, nuint, void> LoadSamples;
    public delegate* unmanaged<nint, nuint*, nuint, void> UnloadSamples;
}
