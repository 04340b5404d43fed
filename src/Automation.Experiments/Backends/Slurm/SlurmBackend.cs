using System.Diagnostics;
using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.World;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Automation.Experiments.Templates;
using Fluid.Values;

namespace Automation.Experiments.Backends.Slurm;

/// <summary>The job ids of one submission.</summary>
public sealed record SlurmSubmission(long ArrayJobId, long CollectJobId, string ArrayScript, string CollectScript, string LogDir);

/// <summary>
/// Runs a sweep as one Slurm job array (task id = point index in the points file) plus a collect job that depends on
/// it, and takes every point's state and exit code from the scheduler (squeue --json / scontrol), not from logs.
/// </summary>
public sealed class SlurmBackend(SlurmOptions options, IProcessRunner? processes = null, TextWriter? log = null) : IExperimentBackend
{
    private readonly SlurmClient client = new(processes ?? CliWrapProcessRunner.Instance);

    public string Name => "slurm";
    public SlurmSubmission? LastSubmission { get; private set; }

    public async Task<IReadOnlyList<PointRecord>> RunAsync(ExperimentPlan plan, IReadOnlyList<PreparedPoint> pending, IProgress<PointRecord> progress, CancellationToken cancellationToken)
    {
        foreach (var p in pending)
            if (File.Exists(Path.Combine(p.Dir, PointRecord.FileName))) File.Delete(Path.Combine(p.Dir, PointRecord.FileName)); // a stale failure must not stand in for this run
        var submission = await SubmitAsync(plan, pending, cancellationToken);
        log?.WriteLine($"slurm: submitted array job {submission.ArrayJobId} ({pending.Count} points) and collect job {submission.CollectJobId} ({options.CollectAfter}:{submission.ArrayJobId})");
        if (!options.Wait)
            return pending.Select(p => Merge(plan, p, submission, null)).ToList();
        var final = await WaitAsync(submission, pending, cancellationToken);
        var records = pending.Select(p => Merge(plan, p, submission, final)).ToList();
        foreach (var r in records) progress.Report(r);
        return records;
    }

    public async Task<SlurmSubmission> SubmitAsync(ExperimentPlan plan, IReadOnlyList<PreparedPoint> pending, CancellationToken cancellationToken)
    {
        var stateDir = ExperimentPlan.StateDir(plan.Spec.ResultsDir);
        var logDir = Path.Combine(stateDir, "slurm-logs");
        Directory.CreateDirectory(logDir);
        var pointsFile = ExperimentPlan.DefaultPath(plan.Spec.ResultsDir);
        var variables = Variables(plan, pointsFile, logDir, dependency: "");
        var arrayScript = Path.Combine(stateDir, "array.sbatch");
        await File.WriteAllTextAsync(arrayScript, StrictTemplate.Render(StrictTemplate.Embedded("slurm-array.sbatch"), variables, "Slurm array job script"), cancellationToken);
        var array = SlurmStateParser.Compress(pending.Select(p => p.Point.Index)) + (options.Parallel > 0 ? $"%{options.Parallel}" : "");
        var arrayId = await client.SubmitAsync(arrayScript, ["--array=" + array], plan.WorkDir, cancellationToken);

        var dependency = $"{options.CollectAfter}:{arrayId}";
        var collectScript = Path.Combine(stateDir, "collect.sbatch");
        await File.WriteAllTextAsync(collectScript, StrictTemplate.Render(StrictTemplate.Embedded("slurm-collect.sbatch"), Variables(plan, pointsFile, logDir, dependency), "Slurm collect job script"), cancellationToken);
        long collectId;
        try
        {
            // kill-on-invalid-dep: with afterok, a failed point cancels the collect job instead of leaving it pending forever.
            collectId = await client.SubmitAsync(collectScript, ["--dependency=" + dependency, "--kill-on-invalid-dep=yes"], plan.WorkDir, cancellationToken);
        }
        catch
        {
            await client.CancelAsync([arrayId], CancellationToken.None);
            throw;
        }
        return LastSubmission = new SlurmSubmission(arrayId, collectId, arrayScript, collectScript, logDir);
    }

    /// <summary>Polls the scheduler until the array's tasks and the collect job have ended; on cancellation, scancels them first.</summary>
    public async Task<IReadOnlyDictionary<string, SlurmJobState>> WaitAsync(SlurmSubmission submission, IReadOnlyList<PreparedPoint> pending, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var cancelled = false;
        var deadline = TimeSpan.FromSeconds(60);
        while (true)
        {
            var snapshot = await client.QueryAsync([submission.ArrayJobId, submission.CollectJobId], CancellationToken.None);
            var states = Index(snapshot, submission);
            var waiting = pending.Count(p => !(states.TryGetValue(TaskId(submission, p), out var s) && s.IsTerminal))
                          + (states.TryGetValue(submission.CollectJobId.ToString(CultureInfo.InvariantCulture), out var c) && c.IsTerminal ? 0 : 1);
            if (waiting == 0) return states;
            if (cancelled && clock.Elapsed > deadline) return states;
            if (!cancelled && cancellationToken.IsCancellationRequested)
            {
                log?.WriteLine($"slurm: cancelling jobs {submission.ArrayJobId} and {submission.CollectJobId} (scancel)");
                await client.CancelAsync([submission.ArrayJobId, submission.CollectJobId]);
                cancelled = true;
                clock.Restart();
            }
            if (!cancelled && options.WaitTimeout is { } limit && clock.Elapsed > limit)
                throw new AutomationException($"Slurm jobs {submission.ArrayJobId} and {submission.CollectJobId} did not finish within {limit}; they keep running",
                    fix: "Check them with `squeue`; the collect job writes the table when they end, or run `cm run experiment ... --collect` later.");
            try
            {
                await Task.Delay(options.PollInterval, cancelled ? CancellationToken.None : cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // loop once more to scancel
            }
        }
    }

    public Task CancelAsync(SlurmSubmission submission) => client.CancelAsync([submission.ArrayJobId, submission.CollectJobId]);

    public static string TaskId(SlurmSubmission s, PreparedPoint p) => $"{s.ArrayJobId}_{p.Point.Index}";

    private static Dictionary<string, SlurmJobState> Index(SlurmSnapshot snapshot, SlurmSubmission submission)
    {
        var states = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (var job in snapshot.Jobs) states[job.DisplayId] = job;
        foreach (var (arrayId, tasks) in snapshot.PendingArrayTasks)
            foreach (var t in tasks) states.TryAdd($"{arrayId}_{t}", new SlurmJobState(arrayId, arrayId, t, "PENDING", "PENDING", null));
        return states;
    }

    /// <summary>The point's record from its folder, with state and exit code overridden by the scheduler's.</summary>
    private PointRecord Merge(ExperimentPlan plan, PreparedPoint point, SlurmSubmission submission, IReadOnlyDictionary<string, SlurmJobState>? states)
    {
        var taskId = TaskId(submission, point);
        var slurmLog = Path.Combine(submission.LogDir, $"{submission.ArrayJobId}_{point.Point.Index}.out");
        var written = PointRecord.TryLoad(point.Dir) is { } r && r.Point.Hash == point.Point.Hash ? r : null;
        var record = (written ?? new PointRecord { Point = point.Point, Dir = point.Dir, Status = PointStatus.Pending, Command = plan.Cm.ShellLine(point.Args) })
            with { Backend = Name, JobId = taskId };
        if (File.Exists(slurmLog))
        {
            Directory.CreateDirectory(point.Dir);
            var copy = Path.Combine(point.Dir, "slurm.out");
            File.Copy(slurmLog, copy, overwrite: true);
            record = record with { Log = written?.Log ?? copy };
        }
        if (states is null || !states.TryGetValue(taskId, out var state))
            return record with { SchedulerState = states is null ? "SUBMITTED" : "UNKNOWN", Status = written?.Status ?? PointStatus.Pending };
        var status = state.State switch
        {
            "COMPLETED" => written is null ? PointStatus.Failed : PointStatus.Ok,
            "FAILED" => PointStatus.Failed,
            "CANCELLED" => PointStatus.Cancelled,
            "TIMEOUT" => PointStatus.Timeout,
            _ => PointStatus.Pending,
        };
        var error = state.State == "COMPLETED" && written is null ? $"Slurm task {taskId} completed but wrote no {PointRecord.FileName}" : record.Error;
        if (status is PointStatus.Cancelled or PointStatus.Timeout && error is null) error = $"Slurm {state.RawState}{(state.Reason is { Length: > 0 } why && why != "None" ? $" ({why})" : "")}";
        return record with { Status = status, SchedulerState = state.RawState, ExitCode = state.ExitCode ?? record.ExitCode, Error = error };
    }

    private Dictionary<string, FluidValue> Variables(ExperimentPlan plan, string pointsFile, string logDir, string dependency) => new(StringComparer.Ordinal)
    {
        ["experiment"] = StrictTemplate.Str(plan.Spec.Hash[..16]),
        ["job_name"] = StrictTemplate.Str(options.JobName),
        ["log_dir"] = StrictTemplate.Str(logDir),
        ["workdir"] = StrictTemplate.Str(plan.WorkDir),
        ["points_file"] = StrictTemplate.Str(pointsFile),
        ["cm"] = StrictTemplate.Str(plan.Cm.ShellLine([])),
        ["dependency"] = StrictTemplate.Str(dependency),
        ["partition"] = StrictTemplate.Str(options.Partition),
        ["time"] = StrictTemplate.Str(options.Time),
        ["cpus"] = StrictTemplate.Str(options.Cpus),
        ["mem"] = StrictTemplate.Str(options.Mem),
        ["gpus"] = StrictTemplate.Str(options.Gpus),
        ["account"] = StrictTemplate.Str(options.Account),
    };
}
