using Automation.Core.Errors;
using Automation.LoadGen;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;
using Automation.Mlperf.Compliance;
using Automation.Mlperf.Tests.Submission;
using Xunit;

namespace Automation.Mlperf.Tests.Compliance;

/// <summary>
/// The runner's own decisions, with MLPerf's scripts judging real runs of the native LoadGen on a manual clock
/// (the Offline scenario of a copy of the shared results): re-runs after a failed speed comparison, none after a
/// wrong answer, and clear refusals when there is nothing to compare with or LoadGen ignored the audit.config.
/// </summary>
[Collection(SubmissionCollection.Name)]
public sealed class ComplianceRunnerTests(SubmissionFixture fixture)
{
    private string OfflineCopy() => Path.Combine(fixture.CopyResults(), FakeResults.System, FakeResults.Model, "Offline");

    /// <summary>LoadGen runs of the fake classifier: <paramref name="serviceNs"/> per sample by attempt (1, 2, ...).</summary>
    private static ComplianceRunner.RunLoadGen Run(Func<int, long> serviceNs, bool wrong = false, bool readAudit = true)
    {
        var attempt = 0;
        return (audit, settings, dir) =>
        {
            var clock = new ManualClock();
            var sut = new FakeClassifierSut(clock, serviceNs(++attempt)) { AnswerWrongly = wrong };
            return new NativeLoadGen(clock, auditConfigPath: readAudit ? audit : null).Run(sut, new FakeImageQsl(), settings, new LogSettings { OutputDirectory = dir });
        };
    }

    private ComplianceRunner Runner(ComplianceRunner.RunLoadGen run, List<string> said) =>
        new(OfficialCompliance.Scripts(fixture.Root), OfficialCompliance.Verifier(fixture.Root), run, said.Add);

    private static ComplianceRequest Request(string dir, ComplianceTest test, int maxReruns) =>
        new(dir, FakeResults.Model, "resnet", TestScenario.Offline, Tests: [test], MaxReruns: maxReruns);

    [OfficialComplianceFact]
    public async Task A_test_whose_speed_comparison_failed_is_run_again_until_it_passes()
    {
        var said = new List<string>();
        // The first TEST04 run is twice as fast as the submission run (so short that it is INVALID: it is sized again,
        // and its second run is as fast), the third as fast as the submission run.
        var runner = Runner(Run(attempt => attempt <= 2 ? FakeResults.ServiceNs / 2 : FakeResults.ServiceNs), said);

        var verdict = Assert.Single(await runner.RunAsync(Request(OfflineCopy(), ComplianceTest.Test04, maxReruns: 2)));

        Assert.True(verdict.Passed, verdict.Output);
        var rerun = Assert.Single(said, l => l.Contains("again"));
        Assert.Contains("compliance TEST04 FAIL (performance FAIL): ", rerun);
        Assert.Contains("TEST FAIL", rerun);
        Assert.Contains("running TEST04 again (1 of at most 2)", rerun);
        Assert.Contains(said, l => l.StartsWith("compliance TEST04 PASS", StringComparison.Ordinal));
    }

    [OfficialComplianceFact]
    public async Task A_run_too_short_for_min_duration_is_sized_again_before_it_is_verified()
    {
        var said = new List<string>();
        // The first TEST01 run is twice as fast as the one its target was sized from: 330 s of 600. The second, with
        // the raised target, takes long enough, at the submission run's speed.
        var runner = Runner(Run(attempt => attempt == 1 ? FakeResults.ServiceNs / 2 : FakeResults.ServiceNs), said);

        var verdict = Assert.Single(await runner.RunAsync(Request(OfflineCopy(), ComplianceTest.Test01, maxReruns: 2)));

        Assert.True(verdict.Passed, verdict.Output);
        var resized = Assert.Single(said, l => l.Contains("re-sizing"));
        Assert.Contains("compliance TEST01 (Offline) run INVALID: the run lasted 330 s, under min_duration 600 s: raising target_qps 100 → 200", resized);
        Assert.DoesNotContain(said, l => l.Contains("again"));
        // The run folder's user.conf says which target the run used: LoadGen reads the last line for a key.
        var conf = File.ReadAllLines(Path.Combine(ComplianceTest.Test01.RunDir(Path.GetDirectoryName(verdict.OutputDir)!), "user.conf"));
        var last = conf.Last(l => l.Length > 0);
        Assert.StartsWith($"{FakeResults.Model}.Offline.target_qps = ", last);
        Assert.Equal(200, double.Parse(last.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture), tolerance: 1e-9);
    }

    [OfficialComplianceFact]
    public async Task Without_reruns_left_the_failed_verdict_stands()
    {
        var said = new List<string>();
        var runner = Runner(Run(_ => FakeResults.ServiceNs / 2), said);

        var verdict = Assert.Single(await runner.RunAsync(Request(OfflineCopy(), ComplianceTest.Test04, maxReruns: 2)));

        Assert.False(verdict.Passed);
        Assert.Equal(2, said.Count(l => l.Contains("again")));
        Assert.Contains("TEST FAIL", File.ReadAllText(Path.Combine(verdict.OutputDir, ComplianceTest.VerifyPerformance)));
    }

    [OfficialComplianceFact]
    public async Task Wrong_answers_fail_TEST01_and_are_not_run_again()
    {
        var said = new List<string>();
        var runner = Runner(Run(_ => FakeResults.ServiceNs, wrong: true), said);

        var verdict = Assert.Single(await runner.RunAsync(Request(OfflineCopy(), ComplianceTest.Test01, maxReruns: 2)));

        Assert.False(verdict.AccuracyPassed);
        Assert.True(verdict.PerformancePassed);
        Assert.DoesNotContain(said, l => l.Contains("again"));
        Assert.Contains("num_perf_log_data_mismatch", File.ReadAllText(Path.Combine(verdict.OutputDir, ComplianceTest.VerifyAccuracy)));
    }

    [OfficialComplianceFact]
    public async Task Without_a_submission_run_to_compare_with_nothing_runs()
    {
        var empty = fixture.NewDir("no-runs");
        var ran = false;
        var runner = Runner((_, _, _) => { ran = true; throw new InvalidOperationException("must not run"); }, []);

        var e = await Assert.ThrowsAsync<AutomationException>(() => runner.RunAsync(new ComplianceRequest(empty, FakeResults.Model, "resnet", TestScenario.Offline)));

        Assert.False(ran);
        Assert.Contains("compare with its submission run, but ", e.Message);
        Assert.Contains("mlperf_log_summary.txt", e.Message);
        Assert.Contains("mlperf_log_accuracy.json", e.Message);
        Assert.Contains("Run _submission first", e.Fix);
    }

    [OfficialComplianceFact]
    public async Task An_invalid_submission_run_is_not_compared_with()
    {
        var dir = OfflineCopy();
        Tamper.Replace(Path.Combine(dir, "performance", "run_1", "mlperf_log_summary.txt"), "Result is : VALID", "Result is : INVALID");
        var runner = Runner(Run(_ => FakeResults.ServiceNs), []);

        var e = await Assert.ThrowsAsync<AutomationException>(() => runner.RunAsync(Request(dir, ComplianceTest.Test04, 0)));

        Assert.Contains("is INVALID, and the compliance tests compare their speed with it", e.Message);
    }

    [OfficialComplianceFact]
    public async Task A_run_that_did_not_read_the_audit_config_is_refused()
    {
        var runner = Runner(Run(_ => FakeResults.ServiceNs, readAudit: false), []);

        var e = await Assert.ThrowsAsync<AutomationException>(() => runner.RunAsync(Request(OfflineCopy(), ComplianceTest.Test04, 0)));

        Assert.Contains("LoadGen did not read", e.Message);
        Assert.Contains(ComplianceRunner.AuditConfigFound, e.Message);
    }

    [Fact]
    public void Resnet_needs_TEST01_and_TEST04_and_the_other_known_benchmarks_TEST01()
    {
        Assert.Equal(["TEST01", "TEST04"], ComplianceRules.TestsFor("resnet").Select(t => t.Name));
        foreach (var benchmark in Automation.Mlperf.Submission.MlperfRules.KnownBenchmarks.Where(b => b != "resnet"))
            Assert.Equal(["TEST01"], ComplianceRules.TestsFor(benchmark).Select(t => t.Name));
        Assert.Equal(Path.Combine("TEST01", "resnet50", "audit.config"), ComplianceRules.AuditConfig(ComplianceTest.Test01, "resnet"));
        Assert.Equal(Path.Combine("TEST01", "bert", "audit.config"), ComplianceRules.AuditConfig(ComplianceTest.Test01, "bert-99.9"));
        Assert.Equal(Path.Combine("TEST04", "audit.config"), ComplianceRules.AuditConfig(ComplianceTest.Test04, "resnet"));
    }
}
