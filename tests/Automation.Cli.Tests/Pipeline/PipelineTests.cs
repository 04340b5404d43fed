using System.Globalization;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>The README's main job for real: Fashion-MNIST, the trained ONNX model, ONNX Runtime and the native LoadGen.</summary>
public sealed class PipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private string Results(string name) => Path.Combine(fixture.ResultsRoot, name);

    [PipelineFact]
    public void OfflineSubmissionRunIsValidAndAccurateAndSecondRunReusesTheCache()
    {
        var first = fixture.Json("run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_submission", "--test_query_count=2000", $"--results_dir={Results("offline")}");
        var env = first["new_env"]!;
        Assert.Equal("VALID", (string?)env["CM_MLPERF_RESULT_VALIDITY"]);
        Assert.True(double.Parse((string)env["CM_MLPERF_ACCURACY"]!, CultureInfo.InvariantCulture) >= 85.0, (string?)env["CM_MLPERF_ACCURACY"]);
        Assert.Equal("10000", (string?)env["CM_MLPERF_ACCURACY_TOTAL"]);

        var scenario = (string)env["CM_MLPERF_SCENARIO_RESULTS_DIR"]!;
        foreach (var file in new[] { "user.conf", "cm-run-info.json", "accuracy/mlperf_log_accuracy.json", "accuracy/accuracy.txt", "accuracy/mlperf_log_summary.txt",
                     "performance/run_1/mlperf_log_summary.txt", "performance/run_1/mlperf_log_detail.txt" })
            Assert.True(File.Exists(Path.Combine(scenario, file)), file);
        Assert.Contains("Result is : VALID", File.ReadAllText(Path.Combine(scenario, "performance/run_1/mlperf_log_summary.txt")));
        Assert.Matches(@"accuracy=\d+\.\d+%", File.ReadAllText(Path.Combine(scenario, "accuracy/accuracy.txt")));

        var second = fixture.Json("run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_submission", "--test_query_count=2000", $"--results_dir={Results("offline")}");
        var cachedSteps = second["steps"]!.Where(s => (bool)s["cached"]!).ToList();
        Assert.NotEmpty(cachedSteps);
        Assert.All(cachedSteps, s => Assert.True((bool)s["from_cache"]!, (string?)s["script"]));
    }

    [PipelineTheory]
    [InlineData("_singlestream", "p90_latency_ns", "200")]
    [InlineData("_multistream", "p99_latency_ns", "700")]
    [InlineData("_server", "completed_samples_per_second", "300")]
    public void OtherScenariosProduceMlperfLogs(string scenario, string metric, string queries)
    {
        var json = fixture.Json("run", "script", $"--tags=app,mlperf,inference,{scenario},_performance-only", $"--test_query_count={queries}",
            "--target_qps=500", $"--results_dir={Results(scenario)}");
        var env = json["new_env"]!;
        Assert.Equal(metric, (string?)env["CM_MLPERF_RESULT_METRIC"]);
        Assert.True(File.Exists(Path.Combine((string)env["CM_MLPERF_PERFORMANCE_LOG_DIR"]!, "mlperf_log_summary.txt")));
        Assert.Equal(queries, (string?)env["CM_MLPERF_RESULT_QUERY_COUNT"]);
    }

    [PipelineFact]
    public void EpochsTrainsExactlyThatManyEpochs()
    {
        var r = fixture.Cm("run", "script", "--tags=get,ml-model,fashion-mnist", "--epochs=2", "--seed=11");
        Assert.True(r.ExitCode == 0, r.All);
        var epochs = System.Text.RegularExpressions.Regex.Matches(r.All, @"epoch (\d+) of (\d+):").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal([("1", "2"), ("2", "2")], epochs);
    }

    [PipelineFact]
    public void CudaWithoutAGpuBuildSaysWhatIsMissing()
    {
        var r = fixture.Cm("run", "script", "--tags=app,mlperf,inference,_cuda", "--test_query_count=10", $"--results_dir={Results("cuda")}", "--quiet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("GPU build of ONNX Runtime", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void DryRunShowsTheWholeChain()
    {
        var r = fixture.Cm("run", "script", "--tags=app,mlperf,inference,_accuracy-only", "--dry-run");
        Assert.Equal(0, r.ExitCode);
        foreach (var s in new[] { "get-ml-model-fashion-mnist", "get-preprocessed-dataset-fashion-mnist", "get-dataset-fashion-mnist", "process-mlperf-accuracy", "detect-cpu" })
            Assert.Contains(s, r.Stdout);
    }

    [PipelineFact]
    public void LightAppBenchmarksAnyOnnxModelWithSyntheticInputs()
    {
        var model = (string)fixture.Json("run", "script", "--tags=get,ml-model,fashion-mnist")["new_env"]!["CM_ML_MODEL_FILE_WITH_PATH"]!;
        var env = fixture.Json("run", "script", "--tags=app,loadgen,generic,onnx,_offline", $"--model_path={model}", "--test_query_count=500",
            $"--results_dir={Results("light")}")["new_env"]!;
        Assert.Equal("VALID", (string?)env["CM_MLPERF_RESULT_VALIDITY"]);
        Assert.Equal("500", (string?)env["CM_MLPERF_RESULT_SAMPLE_COUNT"]);
        Assert.Null(env["CM_MLPERF_ACCURACY"]);
        var info = JObject.Parse(File.ReadAllText(Path.Combine((string)env["CM_MLPERF_SCENARIO_RESULTS_DIR"]!, "cm-run-info.json")));
        Assert.Equal("synthetic", (string?)info["dataset"]);
    }

    [PipelineFact]
    public void HarnessOverheadBenchmarkReportsBothRatesAndTheirRatio()
    {
        var env = fixture.Json("run", "script", "--tags=benchmark,mlperf,harness,overhead", "--samples=2000", "--repeats=1")["new_env"]!;
        var raw = double.Parse((string)env["CM_BENCHMARK_RAW_SAMPLES_PER_SECOND"]!, CultureInfo.InvariantCulture);
        var harness = double.Parse((string)env["CM_BENCHMARK_HARNESS_SAMPLES_PER_SECOND"]!, CultureInfo.InvariantCulture);
        Assert.True(raw > 0 && harness > 0);
        // The ratio is printed to three decimals from the unrounded rates, which are printed as whole numbers;
        // a fixed number of equal decimal places fails whenever the two land either side of a rounding boundary.
        var ratio = double.Parse((string)env["CM_BENCHMARK_HARNESS_RATIO"]!, CultureInfo.InvariantCulture);
        Assert.InRange(ratio, harness / raw - 0.005, harness / raw + 0.005);
    }
}
