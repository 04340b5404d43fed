using Automation.Experiments.Backends;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;

namespace Automation.Experiments;

public sealed record ExperimentResult(IReadOnlyList<PointRecord> Rows, int Ran, int Reused, string CsvPath, string JsonPath)
{
    public int Count(string status) => Rows.Count(r => r.Status == status);
}

/// <summary>
/// One experiment run: skips points an earlier run finished (same point hash, status ok), hands the rest to the
/// backend, and writes the table with every point, reused ones included.
/// </summary>
public sealed class ExperimentRunner(IExperimentBackend backend)
{
    public async Task<ExperimentResult> RunAsync(ExperimentPlan plan, bool force, IProgress<PointRecord> progress, CancellationToken cancellationToken)
    {
        plan.Save();
        var reused = new List<PointRecord>();
        var pending = new List<PreparedPoint>();
        foreach (var point in plan.Points)
        {
            var done = force ? null : Finished(point);
            if (done is null) pending.Add(point);
            else reused.Add(done with { Reused = true });
        }
        var ran = pending.Count == 0 ? [] : await backend.RunAsync(plan, pending, progress, cancellationToken);
        var rows = reused.Concat(ran).OrderBy(r => r.Point.Index).ToList();
        ResultTable.Write(plan.Spec.ResultsDir, plan.Spec, rows);
        return new ExperimentResult(rows, ran.Count, reused.Count,
            Path.Combine(plan.Spec.ResultsDir, ResultTable.CsvFile), Path.Combine(plan.Spec.ResultsDir, ResultTable.JsonFile));
    }

    /// <summary>The ok record an earlier run left for exactly this point, if any.</summary>
    public static PointRecord? Finished(PreparedPoint point) =>
        PointRecord.TryLoad(point.Dir) is { Status: PointStatus.Ok } r && r.Point.Hash == point.Point.Hash ? r : null;

    /// <summary>The table from the point folders alone (what a Slurm collect job or a later `--collect` writes).</summary>
    public static IReadOnlyList<PointRecord> Collect(ExperimentPlan plan) =>
        plan.Points.Select(p => PointRecord.TryLoad(p.Dir) is { } r && r.Point.Hash == p.Point.Hash ? r : new PointRecord
        {
            Point = p.Point, Dir = p.Dir, Status = PointStatus.Pending, Command = plan.Cm.ShellLine(p.Args),
        }).ToList();
}
