using Automation.LoadGen.Official.Benchmark;
using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Official.Tests;

public sealed class SideBySideTests
{
    private static EngineRunReport Run(string engine, TestScenario scenario, double throughput, long peakMiB, bool valid = true, double? target = null) => new()
    {
        Engine = engine, Scenario = scenario, Throughput = throughput, PeakRssBytes = peakMiB << 20, StartRssBytes = 30 << 20,
        IsValid = valid, ServerTargetQps = target, QueryCount = 10, SampleCount = 10,
    };

    [Fact]
    public void ServerIsRepresentedByTheHighestValidTargetAndRatiosAreNativeOverOfficial()
    {
        var outcomes = new[]
        {
            new ScenarioOutcome("native", TestScenario.Server, [Run("native", TestScenario.Server, 1e5, 100, target: 1e5), Run("native", TestScenario.Server, 2e5, 120, target: 2e5), Run("native", TestScenario.Server, 2.1e5, 900, valid: false, target: 4e5)]),
            new ScenarioOutcome("official", TestScenario.Server, [Run("official", TestScenario.Server, 1e5, 400, target: 1e5), Run("official", TestScenario.Server, 1.5e5, 800, valid: false, target: 2e5)]),
            new ScenarioOutcome("native", TestScenario.Offline, [Run("native", TestScenario.Offline, 3e7, 200, valid: false)]),
            new ScenarioOutcome("official", TestScenario.Offline, [Run("official", TestScenario.Offline, 3e6, 800)]),
        };

        var ratios = SideBySide.Ratios(outcomes).ToDictionary(r => r.Scenario);
        Assert.Equal(2.0, ratios[TestScenario.Server].Throughput!.Value, 6);
        // Memory at the highest target both ran VALID (100k), since Server memory grows with the target.
        Assert.Equal(100.0 / 400, ratios[TestScenario.Server].PeakMemory!.Value, 6);
        Assert.Equal(1e5, ratios[TestScenario.Server].MemoryAtTarget);
        Assert.Equal(10.0, ratios[TestScenario.Offline].Throughput!.Value, 6);
        Assert.Equal(0.25, ratios[TestScenario.Offline].PeakMemory!.Value, 6);

        var table = SideBySide.Render(outcomes);
        Assert.Contains("| Server | completed samples/s | 200.0 k @ 200k target (tried 100k/200k/400k✗) | 100.0 k @ 100k target (tried 100k/200k✗) | 2.00× | ≥ 1.0× ✓ |", table);
        Assert.Contains("| Server | peak RSS | 100 MiB @ 100k target | 400 MiB @ 100k target | 0.25× | ≤ 0.5× ✓ |", table);
        Assert.Contains("| Offline | samples/s | 30.00 M (INVALID) | 3.00 M | 10.00× | ≥ 1.0× ✓ |", table);
    }

    [Fact]
    public void AServerSearchWithNoValidTargetHasNoThroughputRatio()
    {
        var outcomes = new[]
        {
            new ScenarioOutcome("native", TestScenario.Server, [Run("native", TestScenario.Server, 1e5, 100, target: 1e5)]),
            new ScenarioOutcome("official", TestScenario.Server, [Run("official", TestScenario.Server, 5e4, 300, valid: false, target: 1e5)]),
        };

        var ratio = Assert.Single(SideBySide.Ratios(outcomes));
        Assert.Null(ratio.Throughput);
        // Memory still compares the same target, the lowest both ran.
        Assert.Equal(100.0 / 300, ratio.PeakMemory!.Value, 6);
        Assert.Equal(1e5, ratio.MemoryAtTarget);
        Assert.Contains("no valid target (tried 100k✗)", SideBySide.Render(outcomes));
    }

    [Fact]
    public void ReportsRoundTripThroughTheirJsonLine()
    {
        var report = Run("official", TestScenario.Server, 123456.5, 77, valid: false, target: 4e5) with { InvalidReasons = ["Reduce target QPS to improve latency."], ResultDirectory = "/r" };
        var back = EngineRunReport.FromJson(report.ToJsonLine());
        Assert.Equal(report with { InvalidReasons = [] }, back with { InvalidReasons = [] });
        Assert.Equal(report.InvalidReasons, back.InvalidReasons);
        Assert.Throws<FormatException>(() => EngineRunReport.FromJson("{\"engine\": 1}"));
    }

    [Fact]
    public void ServerTargetsParseSortedAndRejectNonsense()
    {
        Assert.Equal([1e5, 2e5, 4e5], BenchmarkProfile.ParseTargets("400000, 1e5,200000,100000"));
        Assert.Throws<FormatException>(() => BenchmarkProfile.ParseTargets("fast"));
        Assert.Throws<FormatException>(() => BenchmarkProfile.ParseTargets("-5"));
        Assert.Throws<FormatException>(() => BenchmarkProfile.ParseTargets(" , "));
    }
}
