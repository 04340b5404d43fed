using Automation.Mlperf.Tests.Submission;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>
/// Issue 16's "done when", at MLPerf's full durations and with no target given: find-performance, the full run
/// (re-run if INVALID), the accuracy run, the generator and the official v6.1 checker. Each scenario takes 15–40
/// minutes on 2 cores, so these run only with CM_SLOW_TESTS=1.
/// </summary>
public sealed class FullSubmissionSlowTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [SlowFact]
    public void OfflineWithoutATargetGivesAValidFullLengthResultThatTheCheckersAccept() => FullRun("_offline");

    [SlowFact]
    public void ServerWithoutATargetGivesAValidFullLengthResultThatTheCheckersAccept() => FullRun("_server");

    [SlowFact]
    public void SingleStreamWithoutATargetGivesAValidFullLengthResultThatTheCheckersAccept() => FullRun("_singlestream");

    private void FullRun(string scenario)
    {
        var results = Path.Combine(fixture.ResultsRoot, "full" + scenario);
        var targets = Path.Combine(fixture.ResultsRoot, "targets" + scenario + ".json");
        var run = fixture.Json(TimeSpan.FromMinutes(90), "run", "script", $"--tags=app,mlperf,inference,_fashion-mnist,_onnxruntime,_cpu,{scenario},_submission",
            $"--results_dir={results}", $"--env.CM_MLPERF_TARGETS_FILE={targets}", "--quiet");
        Assert.Equal("VALID", (string?)run["new_env"]!["CM_MLPERF_RESULT_VALIDITY"]);
        var submission = Path.Combine(fixture.ResultsRoot, "submission" + scenario);
        fixture.Json("run", "script", "--tags=generate,mlperf,inference,submission", $"--results_dir={results}", $"--submission_dir={submission}",
            "--division=open", "--submitter=TestOrg", "--quiet");
        var (exitCode, output) = OfficialChecker.Run(submission, fixture.ResultsRoot, "--skip-dataset-size-check", "--skip-power-check");
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUMMARY: submission looks OK", output);
    }
}

public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CM_SLOW_TESTS") != "1") Skip = "a full-length MLPerf run (15-40 min); set CM_SLOW_TESTS=1 to run it";
        else if (PipelineFixture.Unavailable is { } why) Skip = why;
        else if (OfficialChecker.Unavailable is { } checker) Skip = checker;
    }
}
