using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>
/// Issue 16's workflow at reduced durations: bad targets refused before anything runs, find-performance stored and
/// reused, INVALID runs re-run with an adjusted target, the generator's refusal of INVALID runs, the headline figures.
/// </summary>
public sealed class SubmissionWorkflowTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string App = "--tags=app,mlperf,inference,_fashion-mnist";

    private string Temp(string name) => Path.Combine(fixture.ResultsRoot, name + "-" + Guid.NewGuid().ToString("N")[..6]);

    /// <summary>Short find-performance runs and a private targets file, so tests never share or keep a target.</summary>
    private static string[] Short(string targetsFile) =>
        [$"--env.CM_MLPERF_TARGETS_FILE={targetsFile}", "--env.CM_MLPERF_FIND_PERFORMANCE_DURATION_MS=800", "--min_duration_ms=1200", "--system_name=wf-host"];

    [Theory]
    [InlineData("target_qps", "-5")]
    [InlineData("target_qps", "0")]
    [InlineData("target_qps", "NaN")]
    [InlineData("target_qps", "fast")]
    [InlineData("target_latency", "-1")]
    [InlineData("target_latency", "Infinity")]
    [InlineData("test_query_count", "0")]
    [InlineData("test_query_count", "1.5")]
    [InlineData("min_duration_ms", "-100")]
    [InlineData("min_duration_ms", "soon")]
    [InlineData("max_reruns", "-1")]
    public void Every_bad_target_is_refused_before_anything_runs(string flag, string value)
    {
        var r = fixture.Cm("run", "script", App + ",_singlestream", $"--{flag}={value}", $"--results_dir={Temp("bad")}");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"--{flag}={value} is not valid: it must be", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("detect-os", r.All);
    }

    [Fact]
    public void A_dry_run_estimates_mlperf_durations_and_refuses_bad_targets_too()
    {
        double Estimate(params string[] extra)
        {
            var r = CmProcess.Run(RepoPaths.Root, ["run", "script", App + ",_offline,_submission", "--dry-run", "-j", .. extra]);
            Assert.True(r.ExitCode == 0, r.All);
            var node = JObject.Parse(r.Stdout)["nodes"]!.Single(n => (string?)n["script"] == "app-mlperf-inference" || ((string?)n["display"] ?? "").StartsWith("app-mlperf-inference", StringComparison.Ordinal));
            return (double)node["estimate"]!["seconds"]!;
        }
        // No target: find-performance's target is 10% over what it measured, and Offline issues 10% more samples than
        // that target fills 600 s with (726 s), + find-performance + accuracy; _submission adds TEST01 and TEST04.
        var full = Estimate("--compliance=no");
        Assert.InRange(full, 726, 760);
        Assert.InRange(Estimate() - full, 2 * 726, 2 * 726 + 120);
        Assert.InRange(Estimate("--min_duration_ms=60000", "--target_qps=1000", "--compliance=no"), 66, 75);

        var bad = CmProcess.Run(RepoPaths.Root, "run", "script", App + ",_server", "--target_latency=0", "--dry-run");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--target_latency=0 is not valid", bad.Stderr);
    }

    [PipelineFact]
    public void Find_performance_is_stored_per_configuration_and_reused_by_the_next_run()
    {
        var targets = Temp("targets") + ".json";
        var results = Temp("find");
        var first = fixture.Cm(["run", "script", App + ",_offline,_performance-only", $"--results_dir={results}", .. Short(targets)]);
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("find-performance: target_qps=", first.Stderr);
        var stored = JObject.Parse(File.ReadAllText(targets));
        var entry = Assert.Single(stored.Properties());
        Assert.EndsWith("/fashion-mnist/Offline/onnxruntime/bs32", entry.Name);
        Assert.True((double)entry.Value["target_qps"]! > 0);

        var second = fixture.Cm(["run", "script", App + ",_offline,_performance-only", $"--results_dir={results}", .. Short(targets)]);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("Using the stored target_qps=", second.Stderr);
        Assert.DoesNotContain("find-performance:", second.Stderr);

        // Another batch size is another configuration: found anew, stored beside the first.
        var other = fixture.Cm(["run", "script", App + ",_offline,_performance-only,_batch_size.8", $"--results_dir={results}", .. Short(targets)]);
        Assert.True(other.ExitCode == 0, other.All);
        Assert.Contains("find-performance: target_qps=", other.Stderr);
        Assert.Equal(2, JObject.Parse(File.ReadAllText(targets)).Count);
    }

    [PipelineFact]
    public void An_invalid_run_is_rerun_with_an_adjusted_target_until_it_is_valid()
    {
        var targets = Temp("targets") + ".json";
        var key = StoredKey(targets, 50);
        var r = fixture.Json(["run", "script", App + ",_offline,_performance-only", $"--results_dir={Temp("rerun")}", .. Short(targets)]);
        Assert.Equal("VALID", (string?)r["new_env"]!["CM_MLPERF_RESULT_VALIDITY"]);
        Assert.NotEqual("0", (string?)r["new_env"]!["CM_MLPERF_RERUNS"]);
        var entry = (JObject)JObject.Parse(File.ReadAllText(targets))[key]!;
        Assert.Equal("re-run", (string?)entry["source"]);
        Assert.True((double)entry["target_qps"]! > 50);
    }

    [PipelineFact]
    public void Without_reruns_left_the_run_says_which_constraint_failed_and_the_generator_refuses_it()
    {
        var targets = Temp("targets") + ".json";
        StoredKey(targets, 50);
        var results = Temp("invalid");
        var run = fixture.Cm(["run", "script", App + ",_offline,_submission", $"--results_dir={results}", "--max_reruns=0", .. Short(targets)]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("warning: the performance run is INVALID after 0 re-run(s): ", run.Stderr);
        Assert.Contains("min duration not met", run.Stdout);

        var record = Path.Combine(results, "cm-run-record.json");
        var recordBefore = File.ReadAllText(record);
        var submission = Temp("sub");
        var refused = fixture.Cm("run", "script", "--tags=generate,mlperf,inference,submission", $"--results_dir={results}", $"--submission_dir={submission}", "--submitter=Test");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refusing to package 1 INVALID performance run(s)", refused.Stderr);
        Assert.Contains("mlperf_log_summary.txt is INVALID (min duration not met", refused.Stderr);
        Assert.False(File.Exists(Path.Combine(submission, "summary.csv")));

        var allowed = fixture.Cm("run", "script", "--tags=generate,mlperf,inference,submission", $"--results_dir={results}", $"--submission_dir={submission}", "--submitter=Test", "--allow_invalid=yes");
        Assert.True(allowed.ExitCode == 0, allowed.All);
        Assert.Contains("warning: packaging an INVALID run because of --allow-invalid", allowed.Stderr);
        var csv = File.ReadAllLines(Path.Combine(submission, "summary.csv"));
        Assert.StartsWith("Organization,Availability,Division,", csv[0]);
        Assert.Contains(",Offline,", csv[1]);
        Assert.Contains("Samples/s", csv[1]);
        // The generator reads the results folder: the record of the run that wrote it stays that run's.
        Assert.Equal(recordBefore, File.ReadAllText(record));
    }

    [PipelineFact]
    public void The_report_gives_each_scenario_its_headline_figure()
    {
        var results = Temp("headline");
        foreach (var (scenario, args) in new[] { ("_singlestream", new[] { "--test_query_count=200", "--target_latency=1" }), ("_offline", ["--test_query_count=500", "--target_qps=1000"]) })
        {
            var r = fixture.Cm(["run", "script", App + "," + scenario + ",_performance-only", $"--results_dir={results}", .. args]);
            Assert.True(r.ExitCode == 0, r.All);
        }
        var report = fixture.Json("report", results, "--out", Temp("report"));
        var rows = ((JArray)report["results"]!).ToDictionary(t => (string)t["scenario"]!, t => t);
        Assert.Equal("p90 latency", (string?)rows["SingleStream"]["headline"]!["name"]);
        Assert.Equal("ms", (string?)rows["SingleStream"]["headline"]!["unit"]);
        Assert.Equal("samples/s", (string?)rows["Offline"]["headline"]!["unit"]);
        var text = fixture.Cm("report", results, "--out", Temp("report"));
        Assert.Matches(@"SingleStream\s+performance\s+\S+\s+[0-9.]+ ms \(p90 latency\)", text.Stdout);
    }

    /// <summary>A stored Offline target far too low for this machine, so the run ends before min_duration.</summary>
    private static string StoredKey(string targetsFile, double qps)
    {
        const string key = "wf-host/fashion-mnist/Offline/onnxruntime/bs32";
        File.WriteAllText(targetsFile, new JObject { [key] = new JObject { ["source"] = "test", ["at"] = "2026-01-01T00:00:00Z", ["target_qps"] = qps } }.ToString());
        return key;
    }
}
