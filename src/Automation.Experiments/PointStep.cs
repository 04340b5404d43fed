using Automation.Core.World;
using Automation.Experiments.Backends.Local;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;

namespace Automation.Experiments;

/// <summary>
/// What one scheduler task does (`cm run experiment-step`): run the point at an index of the points file, or write
/// the table from the point folders (the collect step). Used by Slurm array tasks and Kubernetes pods alike.
/// </summary>
public static class PointStep
{
    /// <summary>Runs one point; returns the exit code the task should end with (the point's, so the scheduler sees failures).</summary>
    public static async Task<int> RunAsync(string pointsFile, int index, string backend, string? jobId, CancellationToken cancellationToken)
    {
        var plan = ExperimentPlan.Load(pointsFile);
        var point = plan.PointAt(index, pointsFile);
        if (ExperimentRunner.Finished(point) is not null)
        {
            Console.Error.WriteLine($"experiment-step: point {index} ({point.Point.Describe()}) already finished; nothing to do");
            return 0;
        }
        var record = await new PointRunner(CliWrapProcessRunner.Instance).RunAsync(point, new PointContext(plan.Cm, plan.WorkDir, backend, jobId), cancellationToken);
        Console.Error.WriteLine($"experiment-step: point {index} ({point.Point.Describe()}) {record.Status}, exit {record.ExitCode}; record {Path.Combine(point.Dir, PointRecord.FileName)}");
        return record.Status == PointStatus.Ok ? 0 : record.ExitCode is { } code and not 0 ? code : 1;
    }

    /// <summary>Writes experiment.csv/json from whatever the point folders hold now.</summary>
    public static IReadOnlyList<PointRecord> Collect(string pointsFile)
    {
        var plan = ExperimentPlan.Load(pointsFile);
        var rows = ExperimentRunner.Collect(plan);
        ResultTable.Write(plan.Spec.ResultsDir, plan.Spec, rows);
        return rows;
    }

    /// <summary>The job id a scheduler gives this task, from its environment (Slurm array task, Kubernetes indexed pod).</summary>
    public static (string Backend, string? JobId) DetectScheduler()
    {
        var env = Environment.GetEnvironmentVariables();
        if (env["SLURM_ARRAY_JOB_ID"] is string a && env["SLURM_ARRAY_TASK_ID"] is string t) return ("slurm", $"{a}_{t}");
        if (env["SLURM_JOB_ID"] is string j) return ("slurm", j);
        if (env["JOB_COMPLETION_INDEX"] is string k) return ("kubernetes", $"{env["HOSTNAME"]}#{k}");
        return ("local", null);
    }
}
