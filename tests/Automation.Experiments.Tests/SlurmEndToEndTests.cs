using Automation.Core.World;
using Automation.Experiments.Backends.Slurm;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Xunit;

namespace Automation.Experiments.Tests;

/// <summary>Sweeps on a real single-node Slurm started by <see cref="SlurmCluster"/>: array jobs, a failing point, a dependent job, scancel.</summary>
public sealed class SlurmEndToEndTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private static readonly SlurmOptions Options = new() { PollInterval = TimeSpan.FromMilliseconds(300), WaitTimeout = TimeSpan.FromMinutes(3), Time = "10" };

    private static ExperimentPlan Plan(string dir, IReadOnlyList<string> fixedArgs, params string[] batchSizes) => ExperimentPlan.Create(new ExperimentSpec
    {
        Tags = TestEnvironment.SweepScriptTags,
        FixedArgs = fixedArgs,
        Axes = [new SweepAxis("batch_size", batchSizes)],
        ResultsDir = dir,
        PointArgTemplates = ["--results_dir={{ point.dir }}"],
    }, TestEnvironment.RepoRoot, TestEnvironment.Cm);

    [SlurmFact]
    public async Task Array_sweep_takes_states_from_the_scheduler_records_the_failing_point_and_reruns_only_it()
    {
        Assert.True(File.Exists(cluster.Conf));
        var dir = TestEnvironment.TempDir("slurm-array");
        var plan = Plan(dir, [], "0", "1", "8");
        var backend = new SlurmBackend(Options);
        var result = await new ExperimentRunner(backend).RunAsync(plan, false, new Progress<PointRecord>(), CancellationToken.None);
        var submission = backend.LastSubmission!;

        var rows = result.Rows;
        Assert.Equal([PointStatus.Failed, PointStatus.Ok, PointStatus.Ok], rows.Select(r => r.Status));
        Assert.Equal(["FAILED", "COMPLETED", "COMPLETED"], rows.Select(r => r.SchedulerState));
        Assert.Equal([1, 0, 0], rows.Select(r => r.ExitCode ?? -1));
        Assert.Equal(rows.Select(r => $"{submission.ArrayJobId}_{r.Point.Index}"), rows.Select(r => r.JobId));
        Assert.Equal("533", rows[2].Figures["CM_SWEEP_PROBE_SAMPLES_PER_SECOND"]);
        Assert.All(rows, r => Assert.True(File.Exists(Path.Combine(r.Dir, "slurm.out")), "the task's Slurm log is collected into the point folder"));
        Assert.Contains("#SBATCH --time=10", File.ReadAllText(submission.ArrayScript));

        // The collect job depends afterok on the array: a failed point cancels it (kill-on-invalid-dep).
        var client = new SlurmClient(CliWrapProcessRunner.Instance);
        var collect = (await client.QueryAsync([submission.CollectJobId], CancellationToken.None)).Jobs.Single(j => j.JobId == submission.CollectJobId);
        Assert.Equal("CANCELLED", collect.State);

        // squeue --json and scontrol show job agree on every task.
        var viaScontrol = await client.ScontrolAsync([submission.ArrayJobId], CancellationToken.None);
        Assert.Equal(["FAILED", "COMPLETED", "COMPLETED"], viaScontrol.Jobs.OrderBy(j => j.ArrayTaskId).Select(j => j.State));

        // Re-run: only the failed point is submitted again.
        var again = await new ExperimentRunner(backend).RunAsync(plan, false, new Progress<PointRecord>(), CancellationToken.None);
        Assert.Equal(2, again.Reused);
        Assert.Equal(1, again.Ran);
        Assert.NotEqual(submission.ArrayJobId, backend.LastSubmission!.ArrayJobId);
        Assert.Equal($"{backend.LastSubmission.ArrayJobId}_0", again.Rows[0].JobId);
    }

    [SlurmFact]
    public async Task Dependent_collect_job_runs_after_a_successful_array_and_writes_the_table()
    {
        var dir = TestEnvironment.TempDir("slurm-collect");
        var plan = Plan(dir, [], "1", "2");
        var backend = new SlurmBackend(Options);
        var result = await new ExperimentRunner(backend).RunAsync(plan, false, new Progress<PointRecord>(), CancellationToken.None);
        Assert.All(result.Rows, r => Assert.Equal(PointStatus.Ok, r.Status));

        var submission = backend.LastSubmission!;
        var collect = (await new SlurmClient(CliWrapProcessRunner.Instance).QueryAsync([submission.CollectJobId], CancellationToken.None)).Jobs.Single();
        Assert.Equal("COMPLETED", collect.State);
        var log = File.ReadAllText(Path.Combine(submission.LogDir, $"collect-{submission.CollectJobId}.out"));
        Assert.Contains("table of 2 points written (2 ok)", log);
        Assert.Contains($"afterok:{submission.ArrayJobId}", File.ReadAllText(submission.CollectScript));
    }

    [SlurmFact]
    public async Task Cancelling_a_running_sweep_scancels_its_jobs()
    {
        var dir = TestEnvironment.TempDir("slurm-cancel");
        var plan = Plan(dir, ["--sleep=120"], "1");
        var backend = new SlurmBackend(Options);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var result = await new ExperimentRunner(backend).RunAsync(plan, false, new Progress<PointRecord>(), cancel.Token);
        var row = Assert.Single(result.Rows);
        Assert.Equal(PointStatus.Cancelled, row.Status);
        Assert.Equal("CANCELLED", row.SchedulerState);
    }
}
