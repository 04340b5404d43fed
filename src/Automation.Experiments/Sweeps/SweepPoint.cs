using System.Text;

namespace Automation.Experiments.Sweeps;

/// <summary>One combination of axis values. <see cref="Hash"/> identifies its content: the experiment and the values.</summary>
public sealed record SweepPoint(int Index, IReadOnlyList<KeyValuePair<string, string>> Parameters, string Hash)
{
    /// <summary>A readable folder name: <c>batch_size-8_threads-2</c>, unsafe characters replaced by '-'.</summary>
    public string Slug => Parameters.Count == 0 ? "default" : string.Join('_', Parameters.Select(p => Safe(p.Key) + "-" + Safe(p.Value)));

    public string Describe() => string.Join(' ', Parameters.Select(p => $"{p.Key}={p.Value}"));

    private static string Safe(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '+' ? c : '-');
        return sb.ToString();
    }
}

/// <summary>Expands axes into their Cartesian product: first axis slowest, last axis fastest.</summary>
public static class SweepExpander
{
    public const int MaxPoints = 100_000;

    public static IReadOnlyList<SweepPoint> Expand(ExperimentSpec spec)
    {
        var total = spec.Axes.Aggregate(1L, (n, a) => n * a.Values.Count);
        if (total > MaxPoints)
            throw new Core.Errors.AutomationException($"the sweep has {total} points (limit {MaxPoints})", fix: "Sweep fewer values, or split the experiment into several.");
        var experimentHash = spec.Hash;
        var points = new List<SweepPoint>((int)total);
        var indices = new int[spec.Axes.Count];
        for (var n = 0; n < total; n++)
        {
            var parameters = spec.Axes.Select((a, i) => new KeyValuePair<string, string>(a.Name, a.Values[indices[i]])).ToList();
            var hash = ContentHash.Of(["automation.experiment.point/1", experimentHash,
                .. parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)])[..16];
            points.Add(new SweepPoint(n, parameters, hash));
            for (var i = indices.Length - 1; i >= 0; i--)
            {
                if (++indices[i] < spec.Axes[i].Values.Count) break;
                indices[i] = 0;
            }
        }
        return points;
    }
}
