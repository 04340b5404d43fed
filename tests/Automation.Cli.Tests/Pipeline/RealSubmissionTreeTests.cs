using System.Text.RegularExpressions;
using Automation.Mlperf.Tests.Submission;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>
/// The Fashion-MNIST pipeline's own submission tree, from a compliant run, through our checker and MLPerf's official
/// one. The open division requires no particular scenario, so the run is Server at 500 queries/s: MLPerf's full
/// 600 s minimum duration (about 300,000 real ONNX Runtime inferences) at a few percent of one core.
/// </summary>
[Collection(ServerLatencyCollection.Name)]
public sealed class RealSubmissionTreeTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [RealTreeFact]
    public void AFullDurationRunGivesAnOpenTreeThatOurCheckerAndTheOfficialOneAccept()
    {
        var results = Path.Combine(fixture.ResultsRoot, "results");
        // Training (when this class's cache is cold), 600 s of performance run, the accuracy run; on a busy 2-core CI box.
        // --compliance=no: TEST01 and TEST04 would add two more 600 s runs; FullSubmissionSlowTests (CM_SLOW_TESTS=1) covers them.
        var run = fixture.Json(TimeSpan.FromMinutes(25), "run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_server,_submission", "--target_qps=500", "--max_reruns=0", $"--results_dir={results}", "--compliance=no", "--quiet");
        Assert.Equal("VALID", (string?)run["new_env"]!["CM_MLPERF_RESULT_VALIDITY"]);
        var detail = File.ReadAllText(Path.Combine((string)run["new_env"]!["CM_MLPERF_SCENARIO_RESULTS_DIR"]!, "performance", "run_1", "mlperf_log_detail.txt"));
        Assert.Contains("\"key\": \"effective_min_duration_ms\", \"value\": 600000", detail);
        var queries = long.Parse(Regex.Match(detail, "\"key\": \"result_query_count\", \"value\": (\\d+)").Groups[1].Value);
        Assert.True(queries >= 270_336, $"{queries} queries");

        var submission = Path.Combine(fixture.ResultsRoot, "submission");
        fixture.Json("run", "script", "--tags=generate,mlperf,inference,submission", $"--results_dir={results}", $"--submission_dir={submission}",
            "--division=open", "--submitter=TestOrg", "--quiet");
        Assert.True(File.Exists(Path.Combine(submission, "open", "TestOrg", "model_mapping.json")));

        // Fashion-MNIST's accuracy set has 10,000 samples, resnet's (the mapped benchmark) 50,000.
        var ours = fixture.Cm("run", "script", "--tags=check,mlperf,inference,submission", $"--submission_dir={submission}", "--skip_dataset_size_check=yes", "--quiet");
        Assert.True(ours.ExitCode == 0, ours.All);

        var (exitCode, output) = OfficialChecker.Run(submission, fixture.ResultsRoot, "--skip-dataset-size-check");
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUMMARY: submission looks OK", output);
        Assert.Contains("Results=1, NoResults=0", output);
    }
}

public sealed class RealTreeFactAttribute : FactAttribute
{
    public RealTreeFactAttribute()
    {
        if (PipelineFixture.Unavailable is { } why) Skip = why;
        else if (OfficialChecker.Unavailable is { } checker) Skip = checker;
    }
}
