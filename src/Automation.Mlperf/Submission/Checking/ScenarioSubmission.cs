using Automation.LoadGen.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>Options that relax the checker the way the official checker's flags do.</summary>
public sealed record CheckOptions
{
    /// <summary>Only check this submitter's folders.</summary>
    public string? Submitter { get; init; }
    /// <summary>The official --skip-dataset-size-check: accept an accuracy run over fewer samples than the benchmark's data set.</summary>
    public bool SkipDatasetSizeCheck { get; init; }
    /// <summary>What the official --skip_compliance is meant to do (in checker b66003e it does nothing): no TESTnn checks.</summary>
    public bool SkipCompliance { get; init; }
}

/// <summary>
/// One scenario folder of the tree and what the rules read from it, loaded once. A file that is missing or does
/// not parse is null here (and reported by <see cref="RequiredFilesRule"/>), so later rules skip it instead of
/// repeating the complaint.
/// </summary>
public sealed class ScenarioSubmission
{
    private readonly Lazy<DetailLogReader?> _performance;
    private readonly Lazy<SummaryFigures?> _summary;
    private readonly Lazy<DetailLogReader?> _accuracy;
    private readonly Lazy<string[]?> _accuracyTxt;
    private readonly Lazy<JObject?> _measurements;
    private readonly List<RuleMessage> _loadProblems = [];

    public ScenarioSubmission(string division, string submitter, string system, string benchmark, string scenario, string dir,
        BenchmarkRules? rules, JObject? systemJson)
    {
        (Division, Submitter, System, Benchmark, Scenario, Dir, Rules, SystemJson) = (division, submitter, system, benchmark, scenario, dir, rules, systemJson);
        _performance = new(() => Load(Path.Combine(PerformanceDir, SubmissionLayout.Detail), DetailLogReader.ReadFile));
        _summary = new(() => Load(Path.Combine(PerformanceDir, SubmissionLayout.Summary), SummaryParser.ParseFile));
        _accuracy = new(() => Load(Path.Combine(AccuracyDir, SubmissionLayout.Detail), DetailLogReader.ReadFile));
        _accuracyTxt = new(() => Load(Path.Combine(AccuracyDir, SubmissionLayout.AccuracyTxt), File.ReadAllLines));
        _measurements = new(() => Load(Path.Combine(Dir, SubmissionLayout.Measurements), p => JObject.Parse(File.ReadAllText(p))));
    }

    public string Division { get; }
    public string Submitter { get; }
    public string System { get; }
    public string Benchmark { get; }
    public string Scenario { get; }
    public string Dir { get; }
    /// <summary>The official benchmark's rules; null when the folder name maps to none.</summary>
    public BenchmarkRules? Rules { get; }
    public JObject? SystemJson { get; }
    public bool IsClosed => Division is "closed" or "network";

    public string PerformanceDir => SubmissionLayout.PerformanceDir(Dir);
    public string AccuracyDir => SubmissionLayout.AccuracyDir(Dir);
    public string PerformanceDetailPath => Path.Combine(PerformanceDir, SubmissionLayout.Detail);
    public string AccuracyDetailPath => Path.Combine(AccuracyDir, SubmissionLayout.Detail);

    public DetailLogReader? PerformanceLog => _performance.Value;
    public SummaryFigures? PerformanceSummary => _summary.Value;
    public DetailLogReader? AccuracyLog => _accuracy.Value;
    public string[]? AccuracyTxt => _accuracyTxt.Value;
    public JObject? Measurements => _measurements.Value;

    /// <summary>Files that exist but could not be read; forces every lazy file to load first.</summary>
    public IReadOnlyList<RuleMessage> LoadProblems
    {
        get
        {
            _ = (PerformanceLog, PerformanceSummary, AccuracyLog, AccuracyTxt, Measurements);
            return _loadProblems;
        }
    }

    /// <summary>Both detail logs that exist, labelled for messages.</summary>
    public IEnumerable<(string Path, DetailLogReader Log)> DetailLogs()
    {
        if (PerformanceLog is { } perf) yield return (PerformanceDetailPath, perf);
        if (AccuracyLog is { } acc) yield return (AccuracyDetailPath, acc);
    }

    private T? Load<T>(string path, Func<string, T> read) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is global::System.Text.Json.JsonException or JsonException or IOException or InvalidOperationException or KeyNotFoundException)
        {
            _loadProblems.Add(RuleMessage.Error($"cannot be read: {e.Message}", path));
            return null;
        }
    }
}
