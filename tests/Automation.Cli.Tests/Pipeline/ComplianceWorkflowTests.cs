using Automation.Mlperf.Tests.Submission;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>
/// Issue 16's compliance tests through `cm`, at reduced durations: `_submission` runs TEST01 and TEST04 after the
/// performance run with MLPerf's audit.config and verification scripts (offline, from the vendored archives),
/// `_compliance` runs only them, `--compliance=no` skips them. Server at a fixed arrival rate, so that the speed
/// comparisons of the verification do not depend on how busy the machine is.
/// </summary>
[Collection(ServerLatencyCollection.Name)]
public sealed class ComplianceWorkflowTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string App = "--tags=app,mlperf,inference,_fashion-mnist";
    private static readonly string[] Short = ["--target_qps=500", "--min_duration_ms=3000", "--system_name=compliance-host"];

    private string Temp(string name) => Path.Combine(fixture.ResultsRoot, name + "-" + Guid.NewGuid().ToString("N")[..6]);

    /// <summary>MLPerf's compliance/ and tools/submission/ archives, as a user without network passes them.</summary>
    public static string Source =>
        $"--compliance_source={OfficialChecker.FindVendored(OfficialCompliance.Tarball)},{OfficialChecker.FindVendored(OfficialChecker.Tarball)}";

    [ComplianceFact]
    public void A_submission_run_ends_with_TEST01_and_TEST04_and_its_tree_passes_the_official_compliance_checks()
    {
        var results = Temp("submission");
        var run = fixture.Cm(TimeSpan.FromMinutes(10), ["run", "script", App + ",_server,_submission", .. Short, $"--results_dir={results}", Source, "-j"]);
        Assert.True(run.ExitCode == 0, run.All);
        var env = (JObject)JObject.Parse(run.Stdout)["new_env"]!;
        Assert.Equal("VALID", (string?)env["CM_MLPERF_RESULT_VALIDITY"]);
        var scenario = (string)env["CM_MLPERF_SCENARIO_RESULTS_DIR"]!;
        Assert.Equal("TEST01,TEST04", (string?)env["CM_MLPERF_COMPLIANCE_TESTS"]);
        Assert.True((string?)env["CM_MLPERF_COMPLIANCE_RESULT"] == "PASS", Verdicts(scenario));
        Assert.Equal("PASS", (string?)env["CM_MLPERF_COMPLIANCE_TEST01"]);
        Assert.Equal("PASS", (string?)env["CM_MLPERF_COMPLIANCE_TEST04"]);

        // LoadGen read the official audit.config, copied into the test's run folder.
        var official = OfficialCompliance.Extract(fixture.ResultsRoot);
        Assert.Equal(File.ReadAllText(Path.Combine(official, "TEST01", "resnet50", "audit.config")), File.ReadAllText(Path.Combine(scenario, "compliance", "TEST01", "audit.config")));
        Assert.Equal(File.ReadAllText(Path.Combine(official, "TEST04", "audit.config")), File.ReadAllText(Path.Combine(scenario, "compliance", "TEST04", "audit.config")));
        Assert.Contains("Found Audit Config file (audit.config)", File.ReadAllText(Path.Combine(scenario, "compliance", "TEST04", "mlperf_log_detail.txt")));
        Assert.Contains("TEST PASS", File.ReadAllText(Path.Combine(scenario, "TEST01", "verify_accuracy.txt")));

        var submission = Temp("tree");
        fixture.Json("run", "script", "--tags=generate,mlperf,inference,submission", $"--results_dir={results}", $"--submission_dir={submission}",
            "--division=open", "--submitter=TestOrg", "--quiet");
        var treeScenario = Path.Combine(submission, "open", "TestOrg", "results", "compliance-host", "fashion-mnist", "Server");
        Assert.True(File.Exists(Path.Combine(treeScenario, "TEST01", "accuracy", "mlperf_log_accuracy.json")));
        Assert.True(File.Exists(Path.Combine(treeScenario, "TEST04", "performance", "run_1", "mlperf_log_detail.txt")));

        // The open division skips compliance, so the official compliance check runs as for closed division: its
        // file, verdict and layout checks pass; its performance checks of the runs fail only the 600 s minimum of
        // these short runs (as the official checker fails the short performance run itself; FullSubmissionSlowTests
        // and ComplianceTreeTests pass it with full-length runs).
        var (closedExit, closedOutput) = OfficialCompliance.CheckAsClosed(submission, fixture.ResultsRoot, withPerformanceChecks: false);
        Assert.True(closedExit == 0, closedOutput);
        Assert.Contains("COMPLIANCE AS CLOSED: results=1 failed=0", closedOutput);
        var (fullExit, fullOutput) = OfficialCompliance.CheckAsClosed(submission, fixture.ResultsRoot);
        Assert.Equal(1, fullExit);
        Assert.Contains("Test duration less than 600s in user config", fullOutput);

        var ours = fixture.Cm("run", "script", "--tags=check,mlperf,inference,submission", $"--submission_dir={submission}", "--skip_dataset_size_check=yes", "--quiet");
        Assert.Contains("[min-duration]", ours.All);
        Assert.DoesNotContain("[compliance]", ours.All);
        Assert.Matches(@"Server\s+performance\+accuracy\s+VALID\s.*TEST01 PASS TEST04 PASS", fixture.Cm("report", results, "--out", Temp("report")).Stdout);
    }

    /// <summary>`--compliance=no` leaves the tests out of `_submission`; `_compliance` then runs only them against that run.</summary>
    [ComplianceFact]
    public void Compliance_no_skips_the_tests_and_compliance_mode_runs_only_them()
    {
        var results = Temp("only");
        var submissionRun = fixture.Json(TimeSpan.FromMinutes(10), ["run", "script", App + ",_server,_submission", .. Short, $"--results_dir={results}", "--compliance=no", "--quiet"]);
        Assert.Equal("VALID", (string?)submissionRun["new_env"]!["CM_MLPERF_RESULT_VALIDITY"]);
        Assert.Equal("no", (string?)submissionRun["new_env"]!["CM_MLPERF_COMPLIANCE_RUN"]);
        var scenario = (string)submissionRun["new_env"]!["CM_MLPERF_SCENARIO_RESULTS_DIR"]!;
        Assert.False(Directory.Exists(Path.Combine(scenario, "TEST01")));
        Assert.False(Directory.Exists(Path.Combine(scenario, "compliance")));
        var performance = File.ReadAllText(Path.Combine(scenario, "performance", "run_1", "mlperf_log_detail.txt"));

        var tests = fixture.Cm(TimeSpan.FromMinutes(10), ["run", "script", App + ",_server,_compliance", .. Short, $"--results_dir={results}", Source]);
        Assert.True(tests.ExitCode == 0, tests.All);
        Assert.Contains("compliance TEST01 ", tests.Stderr);
        Assert.Contains("compliance TEST04 ", tests.Stderr);
        Assert.DoesNotContain("PerformanceOnly →", tests.Stderr);
        Assert.Equal(performance, File.ReadAllText(Path.Combine(scenario, "performance", "run_1", "mlperf_log_detail.txt")));
        Assert.True(File.Exists(Path.Combine(scenario, "TEST01", "verify_accuracy.txt")));
        Assert.True(File.Exists(Path.Combine(scenario, "TEST04", "verify_performance.txt")));
    }

    [ComplianceFact]
    public void Compliance_mode_without_a_submission_run_says_what_to_run_first()
    {
        var r = fixture.Cm(["run", "script", App + ",_offline,_compliance", $"--results_dir={Temp("empty")}", Source]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the compliance tests of ", r.Stderr);
        Assert.Contains("compare with its submission run, but ", r.Stderr);
        Assert.Contains("Run _submission first", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [PipelineFact]
    public void Short_test_mode_runs_no_compliance_tests()
    {
        var run = fixture.Json("run", "script", App + ",_offline,_submission", "--test_query_count=500", "--target_qps=1000", $"--results_dir={Temp("short")}");

        Assert.Equal("no", (string?)run["new_env"]!["CM_MLPERF_COMPLIANCE_RUN"]);
        Assert.False(Directory.Exists(Path.Combine((string)run["new_env"]!["CM_MLPERF_SCENARIO_RESULTS_DIR"]!, "compliance")));
    }

    private static string Verdicts(string scenarioDir) =>
        string.Join("\n", Directory.EnumerateFiles(scenarioDir, "verify_*.txt", SearchOption.AllDirectories).Select(f => f + ":\n" + File.ReadAllText(f)));
}

/// <summary>A pipeline fact that also needs MLPerf's compliance scripts and checker (vendored archives, python3 with numpy and PyYAML).</summary>
public sealed class ComplianceFactAttribute : FactAttribute
{
    public ComplianceFactAttribute()
    {
        if ((PipelineFixture.Unavailable ?? OfficialCompliance.Unavailable) is { } why) Skip = why;
    }
}

/// <summary>
/// Tests whose verdict rests on Server's latency bound (p99 within resnet's 15 ms, in the compliance runs too): run
/// alone, after the parallel tests, as an MLPerf run would be on its machine. Sharing 2 cores with other ONNX runs,
/// a tenth of a second of preemption makes them INVALID, which is the machine's verdict, not the code's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerLatencyCollection
{
    public const string Name = "Server latency bound";
}
