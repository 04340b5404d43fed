namespace Automation.Results;

/// <summary>An accuracy figure as the accuracy script printed it, and the target it must reach (when known).</summary>
public sealed record AccuracyFigure(string Metric, double Value, double? Target)
{
    public bool? Met => Target is { } t ? Value >= t : null;
}

/// <summary>One compliance test's verdict (TEST01, TEST04, ...) from its verify_*.txt files.</summary>
public sealed record ComplianceVerdict(string Test, bool Passed, IReadOnlyList<string> Files);

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

    public string Mode => (HasPerformance, HasAccuracy) switch
    {
        (true, true) => "performance+accuracy",
        (true, false) => "performance",
        (false, true) => "accuracy",
        _ => "-",
    };
}
