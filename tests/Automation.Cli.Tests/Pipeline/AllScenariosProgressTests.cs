using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>
/// Issue 16's progress of long runs and `_all-scenarios`, at reduced durations: every scenario runs after the other
/// (find-performance first, no target given), each LoadGen run shows progress lines on a redirected stderr and as
/// events for cm serve, and the run says at its start how long it should take and at its end how long it took.
/// </summary>
public sealed class AllScenariosProgressTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [PipelineFact]
    public void All_scenarios_run_one_after_another_with_progress_lines_and_events_and_an_expected_duration()
    {
        var results = Path.Combine(fixture.ResultsRoot, "all-" + Guid.NewGuid().ToString("N")[..6]);
        var events = Path.Combine(fixture.ResultsRoot, "events-" + Guid.NewGuid().ToString("N")[..6] + ".jsonl");
        var env = new Dictionary<string, string> { ["AUTOMATION_PROGRESS_EVERY_S"] = "0.25", ["AUTOMATION_STEP_EVENTS"] = events };

        var run = CmProcess.Run(RepoPaths.Root, env, TimeSpan.FromMinutes(8), "run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_all-scenarios,_performance-only",
            "--min_duration_ms=1500", "--env.CM_MLPERF_FIND_PERFORMANCE_DURATION_MS=400", "--env.CM_MLPERF_TARGETS_FILE=" + Path.Combine(results, "targets.json"),
            $"--results_dir={results}", "--cache-dir", fixture.CacheDir);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("all scenarios: Offline, Server, SingleStream and MultiStream run next", run.Stderr);
        Assert.Matches(@"expected to take about [0-9.]+ (s|min): app-mlperf-inference,", run.Stderr);
        Assert.Matches(@"\ntook [0-9.]+ (s|min) \(expected about [0-9.]+ (s|min)\)", run.Stderr);
        string[] scenarios = ["Offline", "Server", "SingleStream", "MultiStream"];
        foreach (var scenario in scenarios)
        {
            Assert.True(Directory.EnumerateFiles(results, "mlperf_log_summary.txt", SearchOption.AllDirectories).Any(f => f.Contains($"/fashion-mnist/{scenario}/performance/run_1/", StringComparison.Ordinal)), scenario);
            Assert.Matches($@"{scenario} performance: [0-9]+ s / 2 s min, [0-9,]+ quer(y|ies) issued, [0-9,]+ samples done, [0-9,]+ samples/s", run.Stderr);
            // Each scenario finds its own target: none takes the one the scenario before it exported (Offline's
            // samples/s as Server's arrival rate made every Server run INVALID).
            Assert.True(Directory.EnumerateDirectories(results, "find-performance", SearchOption.AllDirectories).Any(d => d.EndsWith($"/fashion-mnist/{scenario}/find-performance", StringComparison.Ordinal)), scenario + " ran no find-performance:\n" + run.Stderr);
        }
        // The end-of-run table holds every scenario the run wrote, as `cm report` would print it.
        foreach (var scenario in scenarios) Assert.Matches($@"fashion-mnist \(as resnet\)\s+{scenario}\s+performance\s", run.Stdout);
        // One after another: Offline's runs before Server's before SingleStream's before MultiStream's.
        var firstLine = scenarios.Select(s => run.Stderr.IndexOf($"{s} performance: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(firstLine.Order(), firstLine);

        var progress = File.ReadAllLines(events).Select(JObject.Parse).Where(e => (string?)e["event"] == "progress").ToList();
        Assert.Equal(scenarios, progress.Select(e => (string)e["scenario"]!).Distinct());
        Assert.All(progress, e => Assert.Equal("app-mlperf-inference", (string?)e["script"]));
        Assert.All(progress, e => Assert.True((long)e["queries_issued"]! >= 0 && (double)e["elapsed_s"]! >= 0));
        Assert.Contains(progress, e => (long)e["samples_completed"]! > 0);
    }

    [PipelineFact]
    public void Quiet_runs_show_no_progress_lines_but_cm_serve_still_gets_the_events()
    {
        var events = Path.Combine(fixture.ResultsRoot, "events-" + Guid.NewGuid().ToString("N")[..6] + ".jsonl");
        var env = new Dictionary<string, string> { ["AUTOMATION_PROGRESS_EVERY_S"] = "0.25", ["AUTOMATION_STEP_EVENTS"] = events };

        var run = CmProcess.Run(RepoPaths.Root, env, TimeSpan.FromMinutes(5), "run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_performance-only",
            "--target_qps=20000", "--min_duration_ms=1500", $"--results_dir={Path.Combine(fixture.ResultsRoot, "quiet-" + Guid.NewGuid().ToString("N")[..6])}",
            "--quiet", "--cache-dir", fixture.CacheDir);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.DoesNotContain("Offline performance: ", run.Stderr);
        Assert.DoesNotContain("expected to take", run.Stderr);
        Assert.Contains(File.ReadAllLines(events), l => l.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && l.Contains("\"scenario\":\"Offline\"", StringComparison.Ordinal));
    }
}
