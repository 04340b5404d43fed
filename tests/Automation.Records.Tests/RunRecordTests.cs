using Automation.Records.Records;
using Automation.Records.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests;

[Collection(RecordsCollection.Name)]
public sealed class RunRecordTests(RecordsFixture fx)
{
    [PipelineFact]
    public void ASuccessfulRunRecordsPlanStepsMachineFiguresAndHashedOutputs()
    {
        var r = fx.RecordA;
        Assert.Equal(RunRecord.Schema, (string?)r["schema"]);
        Assert.Equal("ok", (string?)r["status"]);
        Assert.Equal(0, (int)r["exit_code"]!);
        Assert.Equal(Path.GetFullPath(fx.ResultsA), (string?)r["results_dir"]);
        Assert.Equal("2000", (string?)r["command"]!["inputs"]!["test_query_count"]);
        Assert.Contains("--test_query_count=2000", r["command"]!["argv"]!.Select(a => (string)a!));

        var nodes = ((JArray)r["plan"]!["nodes"]!).OfType<JObject>().ToList();
        var app = nodes.Single(n => (string?)n["script"] == "app-mlperf-inference");
        Assert.Equal(64, ((string)app["meta_sha256"]!).Length);
        Assert.Contains("offline", app["variations"]!.Select(v => (string)v!));
        Assert.Equal("1.0", (string?)nodes.Single(n => (string?)n["script"] == "get-dataset-fashion-mnist")["version"]);

        var steps = ((JArray)r["steps"]!).OfType<JObject>().ToList();
        Assert.Contains(steps, s => (string?)s["script"] == "detect-os");
        Assert.All(steps, s => Assert.True(DateTimeOffset.Parse((string)s["finished_utc"]!) >= DateTimeOffset.Parse((string)s["started_utc"]!)));
        Assert.Equal("linux", (string?)r["machine"]!["host_env"]!["CM_HOST_OS_TYPE"]);
        Assert.Equal("VALID", (string?)r["figures"]!["CM_MLPERF_RESULT_VALIDITY"]);

        var summary = ((JArray)r["outputs"]!).OfType<JObject>().Single(o => ((string)o["path"]!).EndsWith("performance/run_1/mlperf_log_summary.txt", StringComparison.Ordinal));
        Assert.Equal(FileDigest.Sha256(Path.Combine(fx.ResultsA, (string)summary["path"]!)), (string?)summary["sha256"]);
        Assert.DoesNotContain(((JArray)r["outputs"]!).OfType<JObject>(), o => (string?)o["path"] == RunRecord.FileName);

        var dataset = ((JArray)r["datasets"]!).OfType<JObject>().Single();
        Assert.Equal("https://spdx.org/licenses/MIT", (string?)dataset["license"]);
        Assert.Equal("https://github.com/zalandoresearch/fashion-mnist", (string?)dataset["url"]);
        Assert.Equal(4, dataset["files"]![0]!["parts"]!.Count());
        var model = ((JArray)r["models"]!).OfType<JObject>().Single();
        Assert.Equal(64, ((string)model["files"]![0]!["sha256"]!).Length);

        Assert.True(File.Exists(Path.Combine(fx.CacheDir, RunRecord.HistoryFolder, (string)r["id"]! + ".json")), "history copy under <cache>/.records");
    }

    [PipelineFact]
    public void AFailedRunStillWritesARecordWithItsExitStatusAndError()
    {
        fx.EnsureRuns();
        var dir = fx.Temp("cuda");
        var run = fx.Cm("run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_cuda", "--test_query_count=10", $"--results_dir={dir}", "--quiet");
        Assert.NotEqual(0, run.ExitCode);
        var r = RecordsFixture.Read(Path.Combine(dir, RunRecord.FileName));
        Assert.Equal("failed", (string?)r["status"]);
        Assert.Equal(run.ExitCode, (int)r["exit_code"]!);
        Assert.Contains("CUDA", (string?)r["error"]!["message"]);
        Assert.Contains(r["steps"]!, s => (string?)s["script"] == "detect-os");
        var crate = RecordsFixture.Read(Path.Combine(dir, "ro-crate-metadata.json"));
        Assert.Contains(crate["@graph"]!, e => (string?)e["actionStatus"]?["@id"] == "http://schema.org/FailedActionStatus" && e["error"] is not null);
    }

    [PipelineFact]
    public void ARunWithoutAResultsFolderIsRecordedUnderTheCache()
    {
        fx.EnsureRuns();
        var before = Directory.GetFiles(Path.Combine(fx.CacheDir, RunRecord.HistoryFolder)).Length;
        var run = fx.Cm("run", "script", "detect-os", "-j");
        Assert.Equal(0, run.ExitCode);
        var path = (string)JObject.Parse(run.Stdout)["record"]!;
        Assert.StartsWith(Path.Combine(fx.CacheDir, RunRecord.HistoryFolder), path);
        Assert.Equal(before + 1, Directory.GetFiles(Path.Combine(fx.CacheDir, RunRecord.HistoryFolder)).Length);
        Assert.Null(RecordsFixture.Read(path)["results_dir"]?.Value<string>());
    }

    [PipelineFact]
    public void DryRunEstimatesTimeAndDiskFromMetaHintsAndHistory()
    {
        fx.EnsureRuns();
        var fresh = Directory.CreateTempSubdirectory("cm-records-empty-cache-").FullName;
        try
        {
            var cold = Automation.Cli.Tests.CmProcess.Run(Automation.Cli.Tests.RepoPaths.Root, "run", "script", RecordsFixture.Tags, "--test_query_count=2000", "--results_dir=x", "--dry-run", "-j", "--cache-dir", fresh);
            Assert.Equal(0, cold.ExitCode);
            var coldModel = JObject.Parse(cold.Stdout)["nodes"]!.Single(n => (string?)n["script"] == "get-ml-model-fashion-mnist");
            Assert.Equal("meta", (string?)coldModel["estimate"]!["source"]);
            Assert.True((long)JObject.Parse(cold.Stdout)["estimate_total"]!["download_bytes"]! > 0);

            var warm = fx.Cm("run", "script", RecordsFixture.Tags, "--test_query_count=2000", "--results_dir=x", "--dry-run");
            Assert.Equal(0, warm.ExitCode);
            Assert.Matches(@"app-mlperf-inference.*\[history of \d+ runs?\]", warm.Stdout);
            Assert.Contains("get-ml-model-fashion-mnist,_fp32,_onnx (cached)", warm.Stdout);
            Assert.Contains("Estimated: ~", warm.Stdout);
        }
        finally { Directory.Delete(fresh, true); }
    }
}
