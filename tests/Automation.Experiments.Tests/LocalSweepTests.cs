using Automation.Experiments.Backends.Local;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Automation.Core.World;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Experiments.Tests;

/// <summary>Real sweeps: every point is a child `dotnet cm.dll run script ... -j` running the real demo chain.</summary>
public sealed class LocalSweepTests
{
    private static ExperimentPlan Plan(string resultsDir, params SweepAxis[] axes) => ExperimentPlan.Create(new ExperimentSpec
    {
        Tags = TestEnvironment.SweepScriptTags,
        Axes = axes,
        ResultsDir = resultsDir,
        PointArgTemplates = ["--results_dir={{ point.dir }}"],
    }, TestEnvironment.RepoRoot, TestEnvironment.Cm);

    private static Task<ExperimentResult> Run(ExperimentPlan plan, int parallel, bool force = false, CancellationToken ct = default) =>
        new ExperimentRunner(new LocalBackend(parallel)).RunAsync(plan, force, new Progress<PointRecord>(), ct);

    [Fact]
    public async Task Sweep_runs_in_parallel_records_a_failing_point_and_skips_finished_points_on_rerun()
    {
        var dir = TestEnvironment.TempDir("local");
        var plan = Plan(dir, new SweepAxis("batch_size", ["0", "8"]), new SweepAxis("threads", ["1", "2"]));
        var first = await Run(plan, parallel: 2);

        Assert.Equal(4, first.Ran);
        var failed = first.Rows.Where(r => r.Status == PointStatus.Failed).ToList();
        Assert.Equal(["0", "0"], failed.Select(r => r.Point.Parameters[0].Value));
        Assert.All(failed, r => Assert.Contains("batch_size must be positive", r.Error));
        var ok = first.Rows.Where(r => r.Status == PointStatus.Ok).OrderBy(r => r.Point.Index).ToList();
        Assert.Equal(["533", "1066"], ok.Select(r => r.Figures["CM_SWEEP_PROBE_SAMPLES_PER_SECOND"])); // 8*t*1000/(8+7)
        Assert.All(ok, r => Assert.True(File.Exists(Path.Combine(r.Dir, "probe.json")), "per-point results dir came from the template"));
        Assert.All(first.Rows, r => Assert.True(File.Exists(Path.Combine(r.Dir, PointRecord.FileName))));

        var table = JObject.Parse(File.ReadAllText(first.JsonPath));
        Assert.Equal(4, ((JArray)table["rows"]!).Count);
        Assert.Contains("figure.CM_SWEEP_PROBE_SAMPLES_PER_SECOND", File.ReadLines(first.CsvPath).First());

        // Re-run: finished points are reused, failed ones run again.
        var second = await Run(plan, parallel: 2);
        Assert.Equal(2, second.Reused);
        Assert.Equal(2, second.Ran);
        Assert.All(second.Rows.Where(r => r.Reused), r => Assert.Equal(PointStatus.Ok, r.Status));
        Assert.Equal(first.Rows.Select(r => r.Point.Hash), second.Rows.Select(r => r.Point.Hash));

        // --force runs everything again.
        var forced = await Run(plan, parallel: 2, force: true);
        Assert.Equal(4, forced.Ran);
    }

    [Fact]
    public async Task Cancellation_kills_running_points_and_marks_the_rest_cancelled()
    {
        var dir = TestEnvironment.TempDir("cancel");
        var plan = ExperimentPlan.Create(new ExperimentSpec
        {
            Tags = TestEnvironment.SweepScriptTags, FixedArgs = ["--sleep=30"], Axes = [new SweepAxis("batch_size", ["1", "2", "3"])], ResultsDir = dir,
        }, TestEnvironment.RepoRoot, TestEnvironment.Cm);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Run(plan, parallel: 1, ct: cancel.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"cancellation took {clock.Elapsed}");
        Assert.All(result.Rows, r => Assert.Equal(PointStatus.Cancelled, r.Status));
        Assert.Equal("cancelled while running", result.Rows[0].Error);
        Assert.Equal("cancelled before it started", result.Rows[2].Error);
    }

    [Fact]
    public async Task The_cli_runs_a_sweep_from_flags_and_exits_non_zero_when_a_point_failed()
    {
        var dir = TestEnvironment.TempDir("cli");
        var run = await CliWrapProcessRunner.Instance.RunAsync(new ProcessRequest(TestEnvironment.Cm.FileName,
            TestEnvironment.Cm.Arguments(["run", "experiment", "--tags=" + TestEnvironment.SweepScriptTags, "--results_dir=" + dir,
                "--sweep.batch_size=0:8:8", "--parallel", "2", "--point_dir={{ results_dir }}/bs{{ point.batch_size }}"]), TestEnvironment.RepoRoot));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 points (2 ran, 0 reused): 1 failed, 1 ok", run.StandardOutput);
        Assert.True(File.Exists(Path.Combine(dir, "bs8", "probe.json")), run.CombinedOutput);
        var csv = File.ReadAllLines(Path.Combine(dir, ResultTable.CsvFile));
        Assert.Equal(3, csv.Length);

        var typo = await CliWrapProcessRunner.Instance.RunAsync(new ProcessRequest(TestEnvironment.Cm.FileName,
            TestEnvironment.Cm.Arguments(["run", "experiment", "--tags=" + TestEnvironment.SweepScriptTags, "--results_dir=" + dir,
                "--sweep.batch_sise=1"]), TestEnvironment.RepoRoot));
        Assert.NotEqual(0, typo.ExitCode);
        Assert.Contains("has no input '--batch_sise'", typo.StandardError);
    }
}
