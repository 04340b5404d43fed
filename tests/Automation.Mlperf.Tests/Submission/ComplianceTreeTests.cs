using Automation.Mlperf.Compliance;
using Automation.Mlperf.Submission;
using Automation.Mlperf.Submission.Checking;
using Xunit;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>
/// TEST01 and TEST04 of the shared results (native LoadGen on a manual clock, so each compliance run is a full
/// 600 s run in milliseconds, verified by MLPerf's own run_verification.py) through the generator, our checker
/// and the official one, with the official compliance check run as for a closed-division tree.
/// </summary>
[Collection(SubmissionCollection.Name)]
public sealed class ComplianceTreeTests(SubmissionFixture fixture)
{
    private static string Root(string submitterDir) => Path.GetDirectoryName(Path.GetDirectoryName(submitterDir))!;

    [OfficialComplianceFact]
    public void Every_scenario_passes_TEST01_and_TEST04_as_MLPerfs_scripts_verify_them()
    {
        Assert.Equal(6, fixture.ComplianceVerdicts.Count);
        Assert.All(fixture.ComplianceVerdicts, v => Assert.True(v.Passed, v.Describe() + "\n" + v.Output));
        Assert.Equal(3, fixture.ComplianceVerdicts.Count(v => v.Test == ComplianceTest.Test01 && v.AccuracyPassed == true));
        foreach (var scenario in new[] { "SingleStream", "MultiStream", "Offline" })
        {
            var dir = Path.Combine(fixture.ResultsDir, FakeResults.System, FakeResults.Model, scenario);
            // The run read the official audit.config: TEST01 sampled responses into its accuracy log in performance
            // mode, TEST04 issued sample 3 only.
            var test01 = File.ReadAllText(Path.Combine(dir, "compliance", "TEST01", SubmissionLayout.Detail));
            Assert.Contains(ComplianceRunner.AuditConfigFound, test01);
            Assert.Contains("\"key\": \"effective_accuracy_log_sampling_target\", \"value\": 4096", test01);
            Assert.Contains("\"qsl_idx\"", File.ReadAllText(Path.Combine(dir, "TEST01", "accuracy", SubmissionLayout.AccuracyLog)));
            var test04 = File.ReadAllText(Path.Combine(dir, "compliance", "TEST04", SubmissionLayout.Detail));
            Assert.Contains("\"key\": \"effective_performance_issue_same\", \"value\": true", test04);
            Assert.Contains("\"key\": \"effective_performance_issue_same_index\", \"value\": 3", test04);
            Assert.Contains("TEST PASS", File.ReadAllText(Path.Combine(dir, "TEST04", ComplianceTest.VerifyPerformance)));
        }
    }

    [OfficialComplianceTheory]
    [InlineData("open", "fake-classifier")]
    [InlineData("closed", "resnet")]
    public void The_tree_holds_each_tests_verified_output_where_the_v61_checker_reads_it(string division, string benchmark)
    {
        var warnings = new List<string>();
        var dir = fixture.Generate(division, warn: warnings.Add).SubmitterDir;

        Assert.DoesNotContain(warnings, w => w.Contains("TEST0"));
        foreach (var scenario in new[] { "SingleStream", "MultiStream", "Offline" })
        {
            var scenarioDir = Tamper.ScenarioDir(dir, benchmark, scenario);
            Assert.Equal(["mlperf_log_detail.txt", "mlperf_log_summary.txt"], Files(Path.Combine(scenarioDir, "TEST01", "performance", "run_1")));
            Assert.Equal(["mlperf_log_accuracy.json"], Files(Path.Combine(scenarioDir, "TEST01", "accuracy")));
            Assert.Equal(["verify_accuracy.txt", "verify_performance.txt"], Files(Path.Combine(scenarioDir, "TEST01")));
            Assert.Equal(["verify_performance.txt"], Files(Path.Combine(scenarioDir, "TEST04")));
            Assert.Equal(["mlperf_log_detail.txt", "mlperf_log_summary.txt"], Files(Path.Combine(scenarioDir, "TEST04", "performance", "run_1")));
            Assert.False(Directory.Exists(Path.Combine(scenarioDir, "compliance")), "the compliance runs' own folders are not submitted");
        }
        var report = new SubmissionChecker().Check(Root(dir));
        Assert.True(report.IsValid, report.Format());
        Assert.DoesNotContain(report.Results.SelectMany(r => r.Findings), f => f.Rule == "compliance");
    }

    [OfficialComplianceFact]
    public void A_closed_tree_passes_the_official_checker_with_its_compliance_checks()
    {
        var dir = fixture.Generate("closed").SubmitterDir;

        var (exitCode, output) = OfficialChecker.Run(Root(dir), fixture.Root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Compliance test accuracy check (deterministic mode)", output);
        Assert.DoesNotContain("Compliance tests not needed", output);
        Assert.Contains("SUMMARY: submission looks OK", output);
        Assert.Contains("Results=3, NoResults=0", output);
    }

    [OfficialComplianceFact]
    public void The_open_tree_passes_the_official_compliance_check_run_as_for_closed_division()
    {
        var dir = fixture.Generate("open").SubmitterDir;

        var (exitCode, output) = OfficialCompliance.CheckAsClosed(Root(dir), fixture.Root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("COMPLIANCE AS CLOSED: results=3 failed=0", output);
        Assert.Contains("compliance tests of", output);
        Assert.Contains("TEST01,TEST04", output);
    }

    [OfficialCheckerFact]
    public void Without_compliance_output_an_open_tree_still_passes_the_official_checker_but_not_its_compliance_check_as_closed()
    {
        var results = fixture.CopyResults();
        foreach (var test in Directory.EnumerateDirectories(results, "TEST0*", SearchOption.AllDirectories).ToList()) Directory.Delete(test, true);
        var dir = fixture.Generate("open", results).SubmitterDir;

        var (exitCode, output) = OfficialChecker.Run(Root(dir), fixture.Root);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Compliance tests not needed for open division", output);

        var (closedExit, closedOutput) = OfficialCompliance.CheckAsClosed(Root(dir), fixture.Root);
        Assert.Equal(1, closedExit);
        Assert.Contains("Missing TEST01 in compliance dir", closedOutput);
        Assert.Contains("Missing TEST04 in compliance dir", closedOutput);
    }

    public static TheoryData<string, string, string> Tampering => new()
    {
        { "missing-test04", "Missing TEST04 in compliance dir", "TEST04 is missing" },
        { "test04-too-fast", "Compliance test performance check in", "TEST04 failed: TEST FAIL: Test score invalid" },
        { "test01-wrong-answers", "has file list mismatch", "TEST01 failed: TEST FAIL" },
        { "extra-file-in-run", "has file list mismatch", "TEST01/performance/run_1 may hold only" },
        { "short-compliance-run", "Test duration less than 600s in user config", "TEST04: min_duration is 60000 ms" },
    };

    /// <summary>A closed tree with broken compliance output fails the official checker and ours, each with its reason.</summary>
    [OfficialComplianceTheory]
    [MemberData(nameof(Tampering))]
    public void Broken_compliance_output_fails_both_checkers(string tamper, string official, string ours)
    {
        var dir = fixture.Generate("closed").SubmitterDir;
        var offline = Tamper.ScenarioDir(dir, "resnet", "Offline");
        Break(offline, tamper);

        var (exitCode, output) = OfficialChecker.Run(Root(dir), fixture.Root);
        Assert.Equal(1, exitCode);
        Assert.Contains(official, output);
        Assert.Contains("SUMMARY: submission has errors", output);

        var report = new SubmissionChecker().Check(Root(dir));
        Assert.False(report.IsValid);
        Assert.All(report.Errors, e => Assert.Equal("compliance", e.Rule));
        Assert.Contains(report.Errors, e => e.Message.Contains(ours));
    }

    [OfficialComplianceFact]
    public void In_open_division_our_checker_only_warns_about_a_failed_test()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        Break(Tamper.ScenarioDir(dir, FakeResults.Model, "Offline"), "test04-too-fast");

        var report = new SubmissionChecker().Check(Root(dir));

        Assert.True(report.IsValid, report.Format());
        Assert.Contains(report.Results.SelectMany(r => r.Findings), f => f is { Severity: Severity.Warning, Rule: "compliance" } && f.Message.Contains("TEST04 failed"));
    }

    [OfficialComplianceFact]
    public void The_generator_warns_when_a_closed_tree_lacks_a_test_its_benchmark_needs()
    {
        var results = fixture.CopyResults();
        Directory.Delete(Path.Combine(results, FakeResults.System, FakeResults.Model, "Offline", "TEST04"), true);
        var warnings = new List<string>();

        fixture.Generate("closed", results, warnings.Add);

        var warning = Assert.Single(warnings, w => w.Contains("TEST0"));
        Assert.Contains("Offline has no verified TEST04 output, which the closed division requires of resnet", warning);
        Assert.Contains("_compliance", warning);
    }

    private static void Break(string scenarioDir, string tamper)
    {
        switch (tamper)
        {
            case "missing-test04":
                Directory.Delete(Path.Combine(scenarioDir, "TEST04"), true);
                break;
            case "test04-too-fast":
                Tamper.Replace(Path.Combine(scenarioDir, "TEST04", ComplianceTest.VerifyPerformance), "TEST PASS", "TEST FAIL: Test score invalid");
                break;
            case "test01-wrong-answers":
                Tamper.Replace(Path.Combine(scenarioDir, "TEST01", ComplianceTest.VerifyAccuracy), "TEST PASS", "TEST FAIL");
                break;
            case "extra-file-in-run":
                File.WriteAllText(Path.Combine(scenarioDir, "TEST01", "performance", "run_1", "notes.txt"), "not a LoadGen log");
                break;
            case "short-compliance-run":
                Tamper.SetLogValue(Path.Combine(scenarioDir, "TEST04", "performance", "run_1", SubmissionLayout.Detail), "effective_min_duration_ms", "60000");
                break;
        }
    }

    private static string[] Files(string dir) => Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
}
