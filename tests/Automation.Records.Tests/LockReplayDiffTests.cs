using Automation.Records.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests;

[Collection(RecordsCollection.Name)]
public sealed class LockReplayDiffTests(RecordsFixture fx)
{
    private string[] RunA(params string[] extra) => ["run", "script", RecordsFixture.Tags, "--test_query_count=2000", $"--results_dir={fx.ResultsA}", "--quiet", .. extra];

    [PipelineFact]
    public void TheLockWrittenByARunLetsTheSameRunProceed()
    {
        fx.EnsureRuns();
        var lockJson = RecordsFixture.Read(fx.LockA);
        Assert.Equal("automation.lock/1", (string?)lockJson["schema"]);
        Assert.Contains(lockJson["nodes"]!, n => (string?)n["script"] == "get-dataset-fashion-mnist" && (string?)n["version"] == "1.0");
        var r = fx.Cm(RunA("--locked", fx.LockA));
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    [PipelineFact]
    public void ADifferentToolVersionOrScriptRevisionIsRefusedSayingWhatDiffers()
    {
        fx.EnsureRuns();
        var tampered = RecordsFixture.Read(fx.LockA);
        var dataset = tampered["nodes"]!.OfType<JObject>().Single(n => (string?)n["script"] == "get-dataset-fashion-mnist");
        dataset["version"] = "0.9";
        var app = tampered["nodes"]!.OfType<JObject>().Single(n => (string?)n["script"] == "app-mlperf-inference");
        app["meta_sha256"] = new string('0', 64);
        var path = fx.Temp("tampered.lock.json");
        File.WriteAllText(path, tampered.ToString());
        var recordBefore = File.ReadAllText(Path.Combine(fx.ResultsA, "cm-run-record.json"));

        var r = fx.Cm(RunA("--locked", path));

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("get-dataset-fashion-mnist: version 0.9 locked, now 1.0", r.Stderr);
        Assert.Contains("app-mlperf-inference: the script changed (meta sha256 000000000000 locked", r.Stderr);
        Assert.Contains("Nothing was run", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Equal(recordBefore, File.ReadAllText(Path.Combine(fx.ResultsA, "cm-run-record.json")));
    }

    [PipelineFact]
    public void ChangedInputsAreNamedAndCmLockWritesTheSamePlan()
    {
        fx.EnsureRuns();
        var r = fx.Cm("run", "script", RecordsFixture.Tags, "--test_query_count=999", $"--results_dir={fx.ResultsA}", "--quiet", "--locked", fx.LockA);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("env.CM_TEST_QUERY_COUNT '2000' locked, now '999'", r.Stderr);

        var fresh = fx.Temp("cm-lock.json");
        var l = fx.Cm("lock", RecordsFixture.Tags, "--test_query_count=2000", $"--results_dir={fx.ResultsA}", "--out", fresh);
        Assert.True(l.ExitCode == 0, l.Stderr);
        var keys = (JObject o) => o["nodes"]!.Select(n => (string?)n["key"] + (string?)n["version"]).ToList();
        Assert.Equal(keys(RecordsFixture.Read(fx.LockA)), keys(RecordsFixture.Read(fresh)));
    }

    [PipelineFact]
    public void DiffShowsChangedInputsAndFigures()
    {
        fx.EnsureRuns();
        var r = fx.CmPlain("diff", fx.ResultsA, fx.ResultsB);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("[input]", r.Stdout);
        Assert.Contains("test_query_count: 2000 -> 1000", r.Stdout);
        Assert.Contains("CM_MLPERF_RESULT_SAMPLE_COUNT: 2000 -> 1000 (-50.0%)", r.Stdout);
        Assert.DoesNotContain("[version]", r.Stdout);

        var json = JObject.Parse(fx.CmPlain("diff", fx.ResultsA, fx.ResultsA, "-j").Stdout);
        Assert.Empty((JArray)json["changes"]!);
    }

    [PipelineFact]
    public void ReplayRunsTheRecordedCommandAgain()
    {
        fx.EnsureRuns();
        var dir = fx.Temp("replay");
        var r = fx.CmPlain("replay", Path.Combine(fx.ResultsB, "cm-run-record.json"), "--results_dir", dir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var replayed = RecordsFixture.Read(Path.Combine(dir, "cm-run-record.json"));
        Assert.Equal("1000", (string?)replayed["command"]!["inputs"]!["test_query_count"]);
        Assert.Equal((string?)fx.RecordB["figures"]!["CM_MLPERF_ACCURACY"], (string?)replayed["figures"]!["CM_MLPERF_ACCURACY"]);
        Assert.Equal("1000", (string?)replayed["figures"]!["CM_MLPERF_RESULT_SAMPLE_COUNT"]);
        Assert.Equal(fx.CacheDir, (string?)replayed["command"]!["cache_dir"]);
    }
}
