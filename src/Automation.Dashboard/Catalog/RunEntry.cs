using System.Globalization;
using Automation.Dashboard.Runs;
using Automation.Results;
using ExplorationMetrics = Automation.Results.Exploration.Metrics;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Catalog;

/// <summary>Where a run the dashboard lists comes from.</summary>
public enum RunKind
{
    /// <summary>Started from the dashboard (a folder in its runs folder).</summary>
    Dashboard,
    /// <summary>A `cm run script` from the command line, known by its run record.</summary>
    Cli,
    /// <summary>One point of a sweep table (experiment.json of `cm run experiment` or `cm explore`).</summary>
    SweepPoint,
    /// <summary>An MLPerf results folder or submission tree without a run record.</summary>
    Folder,
}

/// <summary>The sweep a point belongs to: the table's experiment hash and tags, the table file, the point's index and parameters.</summary>
public sealed record SweepRef(string Id, string Name, string Table, int Index, IReadOnlyDictionary<string, string> Params);

/// <summary>One run of any kind, with what the dashboard shows of it: request, outcome, figures and MLPerf results.</summary>
public sealed record RunEntry
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public required string Id { get; init; }
    public required RunKind Kind { get; init; }
    public string Script { get; init; } = "";
    public IReadOnlyList<string> Variations { get; init; } = [];
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = None;
    public IReadOnlyDictionary<string, string> Env { get; init; } = None;
    /// <summary>running, cancelling, succeeded, failed, cancelled, interrupted (how the process ended, not the result).</summary>
    public string Status { get; init; } = "succeeded";
    public DateTimeOffset? Started { get; init; }
    public double? DurationS { get; init; }
    public string? Error { get; init; }
    /// <summary>The folder whose files the run page lists and serves: a dashboard run's own folder, else its results folder.</summary>
    public string? Folder { get; init; }
    public string? ResultsDir { get; init; }
    public IReadOnlyDictionary<string, string> Figures { get; init; } = None;
    public IReadOnlyList<MlperfResult> Results { get; init; } = [];
    public SweepRef? Sweep { get; init; }
    public DashboardRun? Live { get; init; }
    /// <summary>The run record, when the run has one.</summary>
    public JObject? Record { get; init; }

    /// <summary>VALID when every MLPerf result is, INVALID when one is not (or the run's exports say so), else null.</summary>
    public string? Validity =>
        Results.Any(r => r.Valid == false) ? "INVALID"
        : Results.Any(r => r.Valid == true) ? "VALID"
        : Figures.GetValueOrDefault("CM_MLPERF_RESULT_VALIDITY") is "VALID" or "INVALID" ? Figures["CM_MLPERF_RESULT_VALIDITY"] : null;

    public string? InvalidReason =>
        Results.FirstOrDefault(r => r.Valid == false)?.InvalidReason
        ?? (Validity == "INVALID" ? Figures.GetValueOrDefault("CM_MLPERF_RESULT_INVALID_REASONS") ?? "LoadGen says INVALID" : null);

    /// <summary>The colour the run is shown in: the result decides before the exit code (an INVALID run that exited 0 is red).</summary>
    public string Verdict => Status switch
    {
        "running" or "cancelling" => "running",
        "failed" or "interrupted" => "failed",
        "cancelled" => "cancelled",
        _ => Validity == "INVALID" ? "invalid" : Validity == "VALID" ? "valid" : "succeeded",
    };

    /// <summary>The headline of each result, or the one the exports give when the run has no results folder of its own.</summary>
    public IReadOnlyList<(string Scenario, Headline Headline)> Headlines =>
        Results.Where(r => r.Headline is not null).Select(r => (r.Scenario, r.Headline!)).ToList() is { Count: > 0 } list ? list
        : Headline.FromFigures(Figures) is { } h ? [(Figures.GetValueOrDefault("CM_MLPERF_LOADGEN_SCENARIO") ?? "", h)] : [];

    public AccuracyFigure? Accuracy(AccuracyTargets? targets)
    {
        if (Results.FirstOrDefault(r => r.Accuracy is not null)?.Accuracy is { } a) return a;
        if (!double.TryParse(Figures.GetValueOrDefault("CM_MLPERF_ACCURACY"), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return null;
        var benchmark = Figures.GetValueOrDefault("CM_MLPERF_MAPPED_MODEL") ?? Figures.GetValueOrDefault("CM_MLPERF_MODEL");
        return new AccuracyFigure("accuracy", value, benchmark is null ? null : targets?.Invoke(benchmark)?.Target);
    }

    public IReadOnlyDictionary<string, string> Labels
    {
        get
        {
            var inputs = Inputs.Concat(Sweep?.Params ?? None).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            return RunLabels.From(Results.FirstOrDefault(), Figures, inputs);
        }
    }

    /// <summary>The run's metrics for plots and Pareto fronts: the exports' (Exploration.Metrics), then its MLPerf result's.</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get
        {
            var m = new Dictionary<string, double>(ExplorationMetrics.From(Figures), StringComparer.Ordinal);
            if (Results.FirstOrDefault(r => r.Headline is { HigherIsBetter: true }) is { Headline: { } h }) m["throughput"] = h.Value;
            if (Results.FirstOrDefault(r => r.Accuracy is not null)?.Accuracy is { } a) m["accuracy"] = a.Value;
            if (Results.FirstOrDefault(r => r.Latencies is not null)?.Latencies is { } l)
                foreach (var (name, percent) in new[] { ("latency_p50", 50.0), ("latency_p90", 90.0), ("latency_p99", 99.0) })
                    if (l.At(percent) is { } ms) m[name] = ms;
            return m;
        }
    }

    /// <summary>Text the free-text filter searches: id, script, variations, labels, inputs, sweep, folder, error.</summary>
    public string SearchText => string.Join(' ', new[] { Id, Script, string.Join(',', Variations), Sweep?.Name ?? "", ResultsDir ?? "", Error ?? "" }
        .Concat(Labels.Values).Concat(Inputs.Select(kv => kv.Key + "=" + kv.Value)).Concat(Sweep?.Params.Select(kv => kv.Key + "=" + kv.Value) ?? []));
}
