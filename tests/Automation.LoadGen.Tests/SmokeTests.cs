using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Settings;
using Xunit;
using Xunit.Abstractions;

namespace Automation.LoadGen.Tests;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(TestScenario.SingleStream)]
    [InlineData(TestScenario.MultiStream)]
    [InlineData(TestScenario.Server)]
    [InlineData(TestScenario.Offline)]
    public void NullSutRunsEveryScenario(TestScenario scenario)
    {
        using var dir = new TempDir();
        var settings = new TestSettings
        {
            Scenario = scenario,
            MinDurationMs = 50,
            MinQueryCount = 100,
            SingleStreamExpectedLatencyNs = 2000,
            MultiStreamExpectedLatencyNs = 10000,
            ServerTargetQps = 20000,
            OfflineExpectedQps = 1_000_000,
        };
        var report = LoadGenBenchmark.Run(settings, log: new LogSettings { OutputDirectory = dir.Path });
        output.WriteLine($"{scenario}: valid={report.IsValid} thr={report.Throughput} q={report.QueryCount} {string.Join("|", report.InvalidReasons)}");
        output.WriteLine(File.ReadAllText(Path.Combine(dir.Path, "mlperf_log_summary.txt")));
        Assert.True(report.QueryCount > 0);
    }
}
