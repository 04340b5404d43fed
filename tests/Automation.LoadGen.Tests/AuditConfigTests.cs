using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;
using Xunit;

namespace Automation.LoadGen.Tests;

/// <summary>
/// The native engine reads a compliance test's audit.config as the C++ LoadGen's StartTest does: after user.conf,
/// with model "*", logging that it found one, and logging (not throwing) a file it cannot parse. The audit.config
/// texts are those of MLPerf's compliance/TEST01/resnet50 and compliance/TEST04 (mlcommons/inference b66003e).
/// </summary>
public sealed class AuditConfigTests : IDisposable
{
    private const string Test01 = """
        *.*.mode = 2
        *.*.accuracy_log_rng_seed = 720381539243781796
        *.*.accuracy_log_sampling_target = 4096
        """;
    private const string Test04 = """
        *.Offline.mode = 2
        *.Offline.performance_issue_unique = 0
        *.Offline.performance_issue_same = 1
        *.Offline.performance_issue_same_index = 3
        *.SingleStream.mode = 2
        *.SingleStream.performance_issue_unique = 0
        *.SingleStream.performance_issue_same = 1
        *.SingleStream.performance_issue_same_index = 3
        """;

    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(1_000_000_000);

    public void Dispose() => _dir.Dispose();

    private string Audit(string text)
    {
        var path = Path.Combine(_dir.Path, "audit.config");
        File.WriteAllText(path, text);
        return path;
    }

    private (TimedSut Sut, DetailLogReader Detail, string Accuracy) Run(TestScenario scenario, string? audit, TestMode mode = TestMode.AccuracyOnly)
    {
        var sut = new TimedSut(_clock, 1_000_000, s => BitConverter.GetBytes(s.Index));
        // user.conf's mode is AccuracyOnly on purpose: the audit.config's mode 2 must win, as it does in LoadGen.
        var settings = TestSettings.FromConfig(null, "*.Offline.target_qps = 1000\n*.SingleStream.target_latency = 1", "resnet50", scenario) with
        {
            Mode = mode,
            MinDurationMs = 2000,
        };
        var outDir = Path.Combine(_dir.Path, "out");
        new NativeLoadGen(_clock, auditConfigPath: audit).Run(sut, new InMemoryQsl(5000, 1024), settings, new LogSettings { OutputDirectory = outDir });
        return (sut, DetailLogReader.ReadFile(Path.Combine(outDir, "mlperf_log_detail.txt")), File.ReadAllText(Path.Combine(outDir, "mlperf_log_accuracy.json")));
    }

    [Fact]
    public void TEST01_turns_the_run_into_a_performance_run_that_logs_a_sample_of_its_responses()
    {
        var (sut, detail, accuracy) = Run(TestScenario.Offline, Audit(Test01));

        Assert.Contains(detail.Events, e => e.Key == "warning_generic_message" && e.Value.ToString().Contains("Found Audit Config file (audit.config)"));
        Assert.Equal("PerformanceOnly", detail.GetString("effective_test_mode"));
        Assert.Equal(4096, detail.GetInt64("effective_accuracy_log_sampling_target"));
        Assert.Equal(720381539243781796UL, detail.GetUInt64("effective_accuracy_log_rng_seed"));
        // resnet50's Offline minimum of 24576 samples (mlperf.conf) is more than 1000/s × 2 s, so LoadGen expects 24576
        // and logs each response with probability 4096 / 24576: about 4096 of them.
        Assert.Equal(24576, sut.Queries.Sum(q => q.Length));
        Assert.InRange(accuracy.Split("\"qsl_idx\"").Length - 1, 3800, 4400);
        // Seeds stay mlperf.conf's: an audit.config cannot change them.
        Assert.Equal(2085463073848966840UL, detail.GetUInt64("effective_qsl_rng_seed"));
    }

    [Fact]
    public void TEST04_issues_the_same_sample_over_and_over()
    {
        foreach (var scenario in new[] { TestScenario.Offline, TestScenario.SingleStream })
        {
            var (sut, detail, _) = Run(scenario, Audit(Test04), TestMode.PerformanceOnly);

            Assert.True(detail.GetBoolean("effective_performance_issue_same"), scenario.ToString());
            Assert.Equal(3, detail.GetInt64("effective_performance_issue_same_index"));
            var indices = sut.Queries.SelectMany(q => q).Select(s => s.Index).Distinct().ToList();
            Assert.Single(indices);
            Assert.True(sut.Queries.Sum(q => q.Length) > 1000, scenario.ToString());
        }
    }

    [Fact]
    public void Without_an_audit_config_the_run_is_what_user_conf_says()
    {
        var (_, detail, accuracy) = Run(TestScenario.Offline, Path.Combine(_dir.Path, "no-such-audit.config"));

        Assert.DoesNotContain(detail.Events, e => e.Value.ToString().Contains("Audit Config"));
        Assert.Equal("AccuracyOnly", detail.GetString("effective_test_mode"));
        Assert.Equal(5000, accuracy.Split("\"qsl_idx\"").Length - 1);
    }

    [Fact]
    public void An_audit_config_LoadGen_cannot_parse_is_logged_as_an_error_and_ignored()
    {
        var (_, detail, _) = Run(TestScenario.Offline, Audit("*.*.mode = 2\n*.*.accuracy_log_sampling_target = lots\n"));

        Assert.Contains(detail.Events, e => e.IsError && e.Key == "error_invalid_config" && e.Value.ToString() == "value needs to be integer or double, line=2");
        // Nothing of the file applies, not even its good line.
        Assert.Equal("AccuracyOnly", detail.GetString("effective_test_mode"));
        Assert.Equal(0, detail.GetInt64("effective_accuracy_log_sampling_target"));
    }

    [Fact]
    public void A_bad_mode_is_logged_and_the_other_keys_still_apply()
    {
        var (_, detail, _) = Run(TestScenario.Offline, Audit("*.*.mode = 7\n*.*.accuracy_log_sampling_target = 64\n"));

        Assert.Contains(detail.Events, e => e.IsError && e.Value.ToString() == "Invalid value passed to Mode key in config.");
        Assert.Equal("AccuracyOnly", detail.GetString("effective_test_mode"));
        Assert.Equal(64, detail.GetInt64("effective_accuracy_log_sampling_target"));
    }
}
