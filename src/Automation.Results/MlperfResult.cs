namespace Automation.Results;

/// <summary>An accuracy figure as the accuracy script printed it, and the target it must reach (when known).</summary>
public sealed record AccuracyFigure(string Metric, double Value, double? Target)
{
    public bool? Met => Target is { } t ? Value >= t : null;
}

/// <summary>One compliance test's verdict (TEST01, TEST04, ...) from its verify_*.txt files.</summary>
public sealed record ComplianceVerdict(string Test, bool Passed, IReadOnlyList<string> Files);

/// <summary>
/// The latency distribution of a performance run as LoadGen summarised it, in ms: the percentiles it prints
/// (50, 90, 95, 97, 99, 99.9) and mean, min and max.
/// </summary>
public sealed record LatencyFigures(IReadOnlyList<LatencyPercentile> Percentiles, double? MeanMs, double? MinMs, double? MaxMs)
{
    public static readonly double[] Percents = [50, 90, 95, 97, 99, 99.9];

    public double? At(double percent) => Percentiles.FirstOrDefault(p => p.Percent == percent)?.Ms;
}

/// <summary>One percentile of a latency distribution.</summary>
public sealed record LatencyPercentile(double Percent, double Ms);

/// <summary>
/// One scenario folder of a results folder or a submission tree: `.../&lt;system&gt;/&lt;model&gt;/&lt;scenario&gt;` with
/// `performance/run_1`, `accuracy` and compliance `TEST*` folders.
/// </summary>
public sealed record MlperfResult
{
    public required string Folder { get; init; }
    public required string System { get; init; }
    public required string Model { get; init; }
    public required string Scenario { get; init; }
    /// <summary>The official benchmark the model stands for (cm-run-info.json's mlperf_model or model_mapping.json), when known.</summary>
    public string? MlperfModel { get; init; }
    /// <summary>open/closed/network for a submission tree, null for a results folder.</summary>
    public string? Division { get; init; }
    public string? Submitter { get; init; }
    public bool HasPerformance { get; init; }
    public bool HasAccuracy { get; init; }
    /// <summary>LoadGen's verdict of the performance run; null without one.</summary>
    public bool? Valid { get; init; }
    /// <summary>Why LoadGen called the performance run INVALID: the unmet rules and its recommendations.</summary>
    public string? InvalidReason { get; init; }
    public Headline? Headline { get; init; }
    public AccuracyFigure? Accuracy { get; init; }
    public IReadOnlyList<ComplianceVerdict> Compliance { get; init; } = [];
    public string? PerformanceSummary { get; init; }
    /// <summary>Samples per second of the performance run as LoadGen printed it (any scenario; the headline may be a latency).</summary>
    public double? Throughput { get; init; }
    /// <summary>The performance run's latencies (null without a performance run).</summary>
    public LatencyFigures? Latencies { get; init; }
    /// <summary>
    /// How the run was set up, from its cm-run-info.json and LoadGen's "Test Parameters Used": framework,
    /// framework_version, device, loadgen_engine, target_qps (Offline/Server), target_latency_ms
    /// (SingleStream/MultiStream), min_duration_ms, performance_sample_count; only those known.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The folder the scenario belongs to: the results folder (<c>RESULTS/&lt;system&gt;/&lt;model&gt;/&lt;scenario&gt;</c>)
    /// or the submission tree (<c>SUB/&lt;division&gt;/&lt;submitter&gt;/results/&lt;system&gt;/&lt;model&gt;/&lt;scenario&gt;</c>).
    /// </summary>
    public string Root
    {
        get
        {
            var up = Division is null ? 3 : 6;
            var dir = Folder;
            for (var i = 0; i < up && Path.GetDirectoryName(dir) is { } parent; i++) dir = parent;
            return dir;
        }
    }

    public string Mode => (HasPerformance, HasAccuracy) switch
    {
        (true, true) => "performance+accuracy",
        (true, false) => "performance",
        (false, true) => "accuracy",
        _ => "-",
    };
}
