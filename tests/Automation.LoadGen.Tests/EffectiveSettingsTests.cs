using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class EffectiveSettingsTests
{
    [Fact]
    public void OfflineIsOneQueryWithSlackAndMinQueryCountOne()
    {
        var e = EffectiveSettings.Resolve(new TestSettings { Scenario = TestScenario.Offline, OfflineExpectedQps = 1000, MinDurationMs = 10_000, MinQueryCount = 100 }, 1024, 5000);
        Assert.Equal(11_000UL, e.SamplesPerQuery);
        Assert.Equal(1UL, e.MinQueryCount);
        Assert.Equal(0UL, e.TargetDurationMs);
        Assert.Equal(11_000UL, e.MinSampleCount);
        Assert.Equal(1024UL, e.PerformanceSampleCount);
        Assert.Equal(5000UL, e.AccuracySampleCount);
    }

    [Fact]
    public void OfflineSamplesPerQueryNeverBelowMinQueryCount()
    {
        var e = EffectiveSettings.Resolve(new TestSettings { Scenario = TestScenario.Offline, OfflineExpectedQps = 1, MinDurationMs = 1000, MinQueryCount = 24576 }, 1024, 1024);
        Assert.Equal(24576UL, e.SamplesPerQuery);
    }

    [Fact]
    public void SingleAndMultiStreamSizeByExpectedLatency()
    {
        var ss = EffectiveSettings.Resolve(new TestSettings { SingleStreamExpectedLatencyNs = 2_000_000 }, 10, 10);
        Assert.Equal(500.0, ss.TargetQps);
        Assert.Equal(1UL, ss.MaxAsyncQueries);
        Assert.Equal(0L, ss.TargetLatencyNs);
        Assert.Equal(0.9, ss.TargetLatencyPercentile);
        var ms = EffectiveSettings.Resolve(new TestSettings { Scenario = TestScenario.MultiStream }, 10, 10);
        Assert.Equal(8UL, ms.SamplesPerQuery);
        Assert.Equal(125.0, ms.TargetQps);
    }

    [Fact]
    public void ServerUsesTargetQpsAndLatency()
    {
        var e = EffectiveSettings.Resolve(new TestSettings { Scenario = TestScenario.Server, ServerTargetQps = 250, ServerTargetLatencyNs = 15_000_000, PerformanceSampleCountOverride = 64 }, 1024, 1024);
        Assert.Equal(250.0, e.TargetQps);
        Assert.Equal(15_000_000L, e.TargetLatencyNs);
        Assert.Equal(64UL, e.PerformanceSampleCount);
        Assert.Equal(1UL, e.SamplesPerQuery);
    }

    [Fact]
    public void ContradictoryIssueFlagsAreReported()
    {
        var e = EffectiveSettings.Resolve(new TestSettings { PerformanceIssueUnique = true, PerformanceIssueSame = true, PerformanceIssueSameIndex = 99 }, 10, 10);
        Assert.Equal(2, e.Errors.Count);
    }
}
