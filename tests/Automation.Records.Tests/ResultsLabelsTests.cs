using Automation.Results;

namespace Automation.Records.Tests;

/// <summary>What Automation.Results reads beyond the table: latencies in ms, how the run was set up, and the labels that tell runs apart.</summary>
public sealed class ResultsLabelsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cm-results-labels-").FullName;

    private string Scenario(string scenario, string parameters)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "results", "sys-a", "fashion-mnist", scenario, "performance", "run_1")).FullName;
        File.WriteAllText(Path.Combine(dir, "mlperf_log_summary.txt"), $"""
            ================================================
            MLPerf Results Summary
            ================================================
            SUT name : sut
            Scenario : {scenario}
            Mode     : PerformanceOnly
            90th percentile latency (ns) : 2500000
            Result is : VALID

            ================================================
            Additional Stats
            ================================================
            Min latency (ns)                : 1000000
            Max latency (ns)                : 9000000
            Mean latency (ns)               : 2000000
            50.00 percentile latency (ns)   : 1500000
            90.00 percentile latency (ns)   : 2500000
            99.00 percentile latency (ns)   : 4000000

            ================================================
            Test Parameters Used
            ================================================
            {parameters}
            """);
        File.WriteAllText(Path.Combine(dir, "cm-run-info.json"), """{"model": "fashion-mnist", "framework": "onnxruntime", "device": "cpu", "scenario": "x", "mode": "performance", "loadgen_engine": "official"}""");
        return Path.GetDirectoryName(Path.GetDirectoryName(dir))!;
    }

    [Fact]
    public void A_result_has_its_latencies_in_ms_its_settings_and_its_results_folder()
    {
        var r = ResultsReader.Read(Scenario("SingleStream", "target_qps : 0\ntarget_latency (ns): 3000000\nmin_duration (ms): 60000"));
        Assert.Equal(Path.Combine(root, "results"), r.Root);
        Assert.Equal([1.5, 2.5, 4.0], r.Latencies!.Percentiles.Select(p => p.Ms));
        Assert.Equal(99, r.Latencies.Percentiles[^1].Percent);
        Assert.Equal(2.0, r.Latencies.MeanMs);
        Assert.Equal(9.0, r.Latencies.MaxMs);
        Assert.Equal(2.5, r.Headline!.Value); // SingleStream: p90 in ms
        Assert.Equal("3", r.Settings["target_latency_ms"]);
        Assert.False(r.Settings.ContainsKey("target_qps")); // 0 is LoadGen's "not set"
        Assert.Equal("60000", r.Settings["min_duration_ms"]);
        Assert.Equal("official", r.Settings["loadgen_engine"]);
    }

    [Fact]
    public void Labels_prefer_the_users_inputs_over_exports_over_the_folders()
    {
        var r = ResultsReader.Read(Scenario("Offline", "target_qps : 1200\nmin_duration (ms): 600000"));
        var fromFolder = RunLabels.From(r, new Dictionary<string, string>(), new Dictionary<string, string>());
        Assert.Equal(["model", "scenario", "mode", "backend", "device", "engine", "target"], fromFolder.Keys);
        Assert.Equal("1200 QPS", fromFolder["target"]);
        Assert.Equal("official", fromFolder["engine"]);

        var figures = new Dictionary<string, string> { ["CM_MLPERF_BATCH_SIZE"] = "32", ["CM_MLPERF_THREADS"] = "0", ["CM_MLPERF_BACKEND"] = "onnxruntime-ep", ["CM_MLPERF_LOADGEN_MODE"] = "submission" };
        var inputs = new Dictionary<string, string> { ["batch_size"] = "8", ["target_qps"] = "500" };
        var labels = RunLabels.From(r, figures, inputs);
        Assert.Equal("8", labels["batch_size"]);
        Assert.Equal("default", labels["threads"]);
        Assert.Equal("onnxruntime-ep", labels["backend"]);
        Assert.Equal("submission", labels["mode"]);
        Assert.Equal("500 QPS", labels["target"]);
        Assert.Equal(RunLabels.Names.Where(labels.ContainsKey), labels.Keys);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, true); } catch (IOException) { }
    }
}
