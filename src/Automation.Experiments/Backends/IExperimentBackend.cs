using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;

namespace Automation.Experiments.Backends;

/// <summary>Runs the pending points of a plan somewhere and returns one record per pending point.</summary>
public interface IExperimentBackend
{
    string Name { get; }

    /// <summary>Runs <paramref name="pending"/>; a failing point is a record, never an exception. Cancellation stops what has not finished.</summary>
    Task<IReadOnlyList<PointRecord>> RunAsync(ExperimentPlan plan, IReadOnlyList<PreparedPoint> pending, IProgress<PointRecord> progress, CancellationToken cancellationToken);
}
