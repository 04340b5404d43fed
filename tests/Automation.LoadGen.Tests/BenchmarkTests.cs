using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class BenchmarkTests
{
    [Theory]
    [InlineData(TestScenario.SingleStream)]
    [InlineData(TestScenario.MultiStream)]
    [InlineData(TestScenario.Server)]
    [InlineData(TestScenario.Offline)]
    public void NullSutBenchmarkReportsThroughputAndMemory(TestScenario scenario)
    {
        using var dir = new TempDir();
        var settings = new TestSettings
        {
            Scenario = scenario,
            MinDurationMs = 30,
            MinQueryCount = 100,
            SingleStreamExpectedLatencyNs = 1000,
            MultiStreamExpectedLatencyNs = 4000,
            ServerTargetQps = 20_000,
            OfflineExpectedQps = 1_000_000,
        };
        var report = LoadGenBenchmark.Run(settings, log: new LogSettings { OutputDirectory = dir.Path }, qslSize: 256);
        Assert.Equal("native", report.EngineName);
        Assert.True(report.Throughput > 0);
        Assert.True(report.QueryCount >= (scenario == TestScenario.Offline ? 1 : 100));
        Assert.True(report.PeakWorkingSetBytes > 0);
        Assert.True(File.Exists(Path.Combine(dir.Path, "mlperf_log_summary.txt")));
    }
}
