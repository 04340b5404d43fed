namespace Automation.Results.Exploration;

/// <summary>One explored point: its label, parameters and metrics.</summary>
public sealed record ExplorePoint(string Label, IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, double> Metrics);

/// <summary>An axis of a Pareto front: a metric and whether more of it is better.</summary>
public sealed record ParetoAxis(string Metric, bool HigherIsBetter);

/// <summary>
/// The Pareto front of points over several metrics: the points no other point dominates (at least as good on every
/// axis and strictly better on one). Points missing a metric of the front are left out of it.
/// </summary>
public static class ParetoFront
{
    public static IReadOnlyList<ExplorePoint> Of(IReadOnlyList<ExplorePoint> points, IReadOnlyList<ParetoAxis> axes)
    {
        var candidates = points.Where(p => axes.All(a => p.Metrics.ContainsKey(a.Metric))).ToList();
        return candidates.Where(p => !candidates.Any(q => !ReferenceEquals(p, q) && Dominates(q, p, axes))).ToList();
    }

    public static bool Dominates(ExplorePoint a, ExplorePoint b, IReadOnlyList<ParetoAxis> axes)
    {
        var strictly = false;
        foreach (var axis in axes)
        {
            var (x, y) = (a.Metrics[axis.Metric], b.Metrics[axis.Metric]);
            var better = axis.HigherIsBetter ? x > y : x < y;
            var worse = axis.HigherIsBetter ? x < y : x > y;
            if (worse) return false;
            strictly |= better;
        }
        return strictly;
    }
}

/// <summary>What an exploration found: the front, the best point meeting every constraint (or none), and why each other point was not chosen.</summary>
public sealed record Exploration(IReadOnlyList<ExplorePoint> Points, IReadOnlyList<ParetoAxis> Axes, IReadOnlyList<ExplorePoint> Front, ExplorePoint? Best, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// The front is over the objective and every constrained metric (in the constraint's direction); without
    /// constraints, over the objective and accuracy (or p99 latency) when the points have it.
    /// </summary>
    public static Exploration Run(IReadOnlyList<ExplorePoint> points, Objective objective, IReadOnlyList<Constraint> constraints)
    {
        var axes = new List<ParetoAxis> { new(objective.Metric, objective.Maximise) };
        foreach (var c in constraints.Where(c => c.Metric != objective.Metric).DistinctBy(c => c.Metric)) axes.Add(new ParetoAxis(c.Metric, c.HigherIsBetter));
        if (axes.Count == 1)
            foreach (var extra in new[] { "accuracy", "latency_p99" })
                if (extra != objective.Metric && points.Any(p => p.Metrics.ContainsKey(extra))) { axes.Add(new ParetoAxis(extra, Metrics.HigherIsBetter(extra))); break; }

        var notes = new List<string>();
        ExplorePoint? best = null;
        foreach (var p in points)
        {
            if (!p.Metrics.TryGetValue(objective.Metric, out var value)) { notes.Add($"{p.Label}: no {objective.Metric}"); continue; }
            var failed = constraints.Where(c => !p.Metrics.TryGetValue(c.Metric, out var v) || !c.Holds(v)).ToList();
            if (failed.Count > 0) { notes.Add($"{p.Label}: fails {string.Join(", ", failed)}"); continue; }
            if (best is null || objective.Better(value, best.Metrics[objective.Metric])) best = p;
        }
        return new Exploration(points, axes, ParetoFront.Of(points, axes), best, notes);
    }
}
