namespace Automation.Mlperf.Submission;

/// <summary>
/// File names and folders of both sides: the results folder the pipeline writes (docs/submission.md) and the
/// MLPerf v6.1 submission tree. v6.1 moved the code to <c>src/</c> (v5.x: <c>code/</c>) and the measurements
/// (measurements.json, user.conf, README.md) into each scenario folder (v5.x: a separate <c>measurements/</c> tree).
/// </summary>
public static class SubmissionLayout
{
    public const string Summary = "mlperf_log_summary.txt";
    public const string Detail = "mlperf_log_detail.txt";
    public const string AccuracyLog = "mlperf_log_accuracy.json";
    public const string AccuracyTxt = "accuracy.txt";
    public const string UserConf = "user.conf";
    public const string RunInfo = "cm-run-info.json";
    public const string Measurements = "measurements.json";
    public const string Readme = "README.md";
    public const string ModelMapping = "model_mapping.json";

    public const string Performance = "performance";
    public const string RunOne = "run_1";
    public const string Accuracy = "accuracy";

    public static readonly string[] PerformanceFiles = [Summary, Detail];
    public static readonly string[] AccuracyFiles = [Summary, Detail, AccuracyTxt, AccuracyLog];
    public static readonly string[] MeasurementFiles = [Measurements, UserConf, Readme];

    /// <summary>The performance run's folder under a scenario folder (results folder and tree alike).</summary>
    public static string PerformanceDir(string scenarioDir) => Path.Combine(scenarioDir, Performance, RunOne);

    public static string AccuracyDir(string scenarioDir) => Path.Combine(scenarioDir, Accuracy);

    /// <summary><c>SUBMISSION/&lt;division&gt;/&lt;submitter&gt;</c>.</summary>
    public static string SubmitterDir(string submissionDir, string division, string submitter) =>
        Path.Combine(submissionDir, division, submitter);

    public static string SourceDir(string submitterDir) => Path.Combine(submitterDir, "src");
    public static string SystemsDir(string submitterDir) => Path.Combine(submitterDir, "systems");
    public static string ResultsDir(string submitterDir) => Path.Combine(submitterDir, "results");
    public static string SystemJson(string submitterDir, string system) => Path.Combine(SystemsDir(submitterDir), system + ".json");

    public static string ScenarioDir(string submitterDir, string system, string benchmark, string scenario) =>
        Path.Combine(ResultsDir(submitterDir), system, benchmark, scenario);

    /// <summary>Sub-folders of a folder, sorted ordinally, as the checker walks them.</summary>
    public static IEnumerable<string> Folders(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
            : [];
}
