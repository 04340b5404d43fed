using Automation.LoadGen.Settings;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>A check of one scenario folder; yields nothing when the folder passes.</summary>
public interface IScenarioRule
{
    string Name { get; }
    IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options);
}

/// <summary>Every file the checker reads is there, is not empty and parses.</summary>
public sealed class RequiredFilesRule : IScenarioRule
{
    public string Name => "required-files";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        var expected = SubmissionLayout.PerformanceFiles.Select(f => Path.Combine(s.PerformanceDir, f))
            .Concat(SubmissionLayout.AccuracyFiles.Select(f => Path.Combine(s.AccuracyDir, f)))
            .Concat(SubmissionLayout.MeasurementFiles.Select(f => Path.Combine(s.Dir, f)));
        foreach (var file in expected)
        {
            if (!File.Exists(file)) yield return RuleMessage.Error("required file is missing", file);
            else if (new FileInfo(file).Length == 0) yield return RuleMessage.Error("required file is empty", file);
        }
        foreach (var problem in s.LoadProblems) yield return problem;
    }
}

/// <summary>The folder names an MLPerf benchmark, directly or through open division's model_mapping.json.</summary>
public sealed class BenchmarkKnownRule : IScenarioRule
{
    public string Name => "benchmark";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.Rules is not null) yield break;
        var fix = s.IsClosed
            ? "closed division must use an official benchmark name"
            : $"map it to an official benchmark in {SubmissionLayout.ModelMapping}";
        yield return RuleMessage.Error($"'{s.Benchmark}' is not an MLPerf {MlperfRules.Version} benchmark this checker knows ({string.Join(", ", MlperfRules.KnownBenchmarks)}); {fix}");
    }
}

/// <summary>measurements.json states the model facts, and user.conf is a file LoadGen can read.</summary>
public sealed class MeasurementsRule : IScenarioRule
{
    private static readonly string[] Fields =
        ["input_data_types", "retraining", "starting_weights_filename", "weight_data_types", "weight_transformations"];

    public string Name => "measurements";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        var path = Path.Combine(s.Dir, SubmissionLayout.Measurements);
        if (s.Measurements is { } json)
        {
            foreach (var field in Fields)
            {
                if (json[field] is null) yield return RuleMessage.Error($"field \"{field}\" is missing", path);
                else if (string.IsNullOrWhiteSpace(json[field]!.ToString())) yield return RuleMessage.Error($"field \"{field}\" is empty", path);
            }
        }
        var userConf = Path.Combine(s.Dir, SubmissionLayout.UserConf);
        if (!File.Exists(userConf)) yield break;
        string? error = null;
        try
        {
            ConfFile.Parse(File.ReadAllText(userConf));
        }
        catch (LoadGenConfigException e)
        {
            error = string.Join("; ", e.Errors);
        }
        if (error is not null) yield return RuleMessage.Error($"LoadGen cannot read it: {error}", userConf);
    }
}

/// <summary>
/// The logs describe this folder: performance and accuracy runs of the folder's scenario, the same SUT and data set.
/// </summary>
public sealed class RunConsistencyRule : IScenarioRule
{
    public string Name => "consistency";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        foreach (var (path, log) in s.DetailLogs())
        {
            if (log.GetString("effective_scenario") is { } scenario && scenario != s.Scenario)
                yield return RuleMessage.Error($"is a {scenario} run but sits in the {s.Scenario} folder", path);
        }
        if (s.PerformanceLog?.GetString("effective_test_mode") is { } perfMode && perfMode != nameof(TestMode.PerformanceOnly))
            yield return RuleMessage.Error($"the performance run was made in mode {perfMode}, expected PerformanceOnly", s.PerformanceDetailPath);
        if (s.AccuracyLog?.GetString("effective_test_mode") is { } accMode && accMode != nameof(TestMode.AccuracyOnly))
            yield return RuleMessage.Error($"the accuracy run was made in mode {accMode}, expected AccuracyOnly", s.AccuracyDetailPath);
        if (s.PerformanceLog is { } perf && s.AccuracyLog is { } acc)
        {
            foreach (var key in new[] { "sut_name", "qsl_name", "qsl_reported_total_count" })
            {
                if (perf.GetString(key) != acc.GetString(key))
                    yield return RuleMessage.Error($"performance and accuracy runs differ in {key} ('{perf.GetString(key)}' vs '{acc.GetString(key)}')");
            }
        }
    }
}
