using Automation.Core.World;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;

namespace Automation.Experiments.Backends.Local;

/// <summary>
/// Runs points as child processes on this machine, at most <paramref name="parallel"/> at once (like make -j).
/// On cancellation, running points are killed and points not yet started are recorded as cancelled.
/// </summary>
public sealed class LocalBackend(int parallel, IProcessRunner? processes = null) : IExperimentBackend
{
    public string Name => "local";

    public async Task<IReadOnlyList<PointRecord>> RunAsync(ExperimentPlan plan, IReadOnlyList<PreparedPoint> pending, IProgress<PointRecord> progress, CancellationToken cancellationToken)
    {
        var runner = new PointRunner(processes ?? CliWrapProcessRunner.Instance);
        var context = new PointContext(plan.Cm, plan.WorkDir);
        using var slots = new SemaphoreSlim(Math.Max(1, parallel));
        var tasks = pending.Select(async point =>
        {
            try
            {
                await slots.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                var skipped = NotStarted(point, plan, context);
                progress.Report(skipped);
                return skipped;
            }
            try
            {
                var record = await runner.RunAsync(point, context, cancellationToken);
                progress.Report(record);
                return record;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks);
    }

    private static PointRecord NotStarted(PreparedPoint point, ExperimentPlan plan, PointContext context) => new()
    {
        Point = point.Point,
        Dir = point.Dir,
        Status = PointStatus.Cancelled,
        Backend = context.Backend,
        Command = plan.Cm.ShellLine(point.Args),
        Error = "cancelled before it started",
    };
}
