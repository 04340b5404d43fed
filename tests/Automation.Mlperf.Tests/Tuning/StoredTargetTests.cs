using Automation.LoadGen;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Tuning;
using Xunit;

namespace Automation.Mlperf.Tests.Tuning;

/// <summary>The user.conf lines a target becomes say exactly what the run used: LoadGen's own config reader reads them back.</summary>
public sealed class StoredTargetTests
{
    [Theory]
    [InlineData(TestScenario.Offline)]
    [InlineData(TestScenario.Server)]
    [InlineData(TestScenario.SingleStream)]
    [InlineData(TestScenario.MultiStream)]
    public void A_target_read_back_from_its_user_conf_lines_is_the_target_the_run_used(TestScenario scenario)
    {
        // Re-runs scale targets by factors like 600 / 330 × 1.1: values no short decimal holds.
        var used = new TestSettings
        {
            Scenario = scenario,
            OfflineExpectedQps = 307_123.4567891234,
            ServerTargetQps = 22_993.000000000004,
            SingleStreamExpectedLatencyNs = 1_234_567.891,
            MultiStreamExpectedLatencyNs = 87_654.3219,
        };
        var target = RerunAdvisor.Target(used, "re-run", DateTimeOffset.UnixEpoch);

        var lines = target.UserConfLines("fashion-mnist", scenario.ToString()).ToList();
        var read = RerunAdvisor.Target(TestSettings.FromConfig(null, string.Join('\n', lines), "fashion-mnist", scenario), "read", DateTimeOffset.UnixEpoch);

        Assert.Single(lines);
        Assert.StartsWith($"fashion-mnist.{scenario}.target_", lines[0]);
        if (target.TargetQps is { } qps) Assert.Equal(qps, read.TargetQps);
        else Assert.Equal(target.TargetLatencyMs!.Value, read.TargetLatencyMs!.Value, tolerance: 1e-9);
    }
}
