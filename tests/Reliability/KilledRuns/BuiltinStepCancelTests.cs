using System.Diagnostics;
using Automation.Cli.Tests;
using Automation.Cli.Tests.Pipeline;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Reliability.Tests.KilledRuns;

/// <summary>
/// Issue 17 item 2 for steps that run inside cm: a LoadGen run cannot see a cancellation, so Ctrl-C/TERM in the middle
/// of a 2-minute performance run ends cm after the watchdog's grace (10 s) with the signal's exit code, says which step
/// it ended and records the run as cancelled; nothing of the run is left.
/// </summary>
public sealed class BuiltinStepCancelTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cm-builtin-cancel-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [BuiltinCancelFact]
    public void Ctrl_C_during_a_LoadGen_run_ends_cm_within_the_grace_and_records_the_run_as_cancelled()
    {
        var results = Path.Combine(root, "results");
        using var run = new MarkedRun(RepoPaths.Root, "run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_performance-only",
            "--target_qps=200000", "--min_duration_ms=120000", "--max_reruns=0", $"--results_dir={results}", "--cache-dir", Path.Combine(root, "cache"));
        // 26.4 M samples at the target: over a minute on any CPU this runs on, so the run is still going when signalled.
        bool Started() => Directory.Exists(results) && Directory.EnumerateDirectories(results, "run_1", SearchOption.AllDirectories).Any();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!Started() && DateTime.UtcNow < deadline && !run.WaitForExit(TimeSpan.FromMilliseconds(100))) { }
        Assert.True(Started(), "the LoadGen run never started");
        Thread.Sleep(1000);

        var clock = Stopwatch.StartNew();
        run.Signal(MarkedRun.SigInt);
        var result = run.Result(TimeSpan.FromSeconds(60));
        clock.Stop();

        Assert.True(result.ExitCode == 130, result.All);
        Assert.InRange(clock.Elapsed.TotalSeconds, 9, 25);
        Assert.Contains("cm: cancelled by SIGINT: stopped script 'app-mlperf-inference' (a built-in step that did not stop within 10 s; ended with cm)", result.Stderr);
        Assert.DoesNotContain("onnxruntime:", result.Stderr);
        var record = JObject.Parse(File.ReadAllText(Path.Combine(results, "cm-run-record.json")));
        Assert.Equal("cancelled", (string?)record["status"]);
        Assert.Empty(run.LeftAfter(TimeSpan.FromSeconds(2)));
    }
}

public sealed class BuiltinCancelFactAttribute : FactAttribute
{
    public BuiltinCancelFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "signals are sent with kill(2)";
        else if (PipelineFixture.Unavailable is { } why) Skip = why;
    }
}
