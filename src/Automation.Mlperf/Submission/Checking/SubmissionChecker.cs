using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>
/// Checks a submission tree with the rules of MLPerf's v6.1 submission checker (see docs/submission.md for where
/// this checker is stricter): walks <c>&lt;division&gt;/&lt;submitter&gt;/results/&lt;system&gt;/&lt;benchmark&gt;/&lt;scenario&gt;</c>,
/// runs every <see cref="IScenarioRule"/> on each scenario folder and the tree-wide rules on the rest.
/// </summary>
public sealed class SubmissionChecker(IReadOnlyList<IScenarioRule>? rules = null)
{
    public static IReadOnlyList<IScenarioRule> DefaultRules { get; } =
    [
        new RequiredFilesRule(), new BenchmarkKnownRule(), new RunConsistencyRule(), new LoadGenErrorsRule(),
        new PerformanceValidityRule(), new SeedsRule(), new MinDurationRule(), new PerformanceSampleCountRule(),
        new MinQueriesRule(), new LatencyRule(), new AccuracyResultRule(), new AccuracyLogRule(),
        new DatasetCoverageRule(), new MeasurementsRule(), new ComplianceRule(),
    ];

    private readonly IReadOnlyList<IScenarioRule> _rules = rules ?? DefaultRules;

    public CheckReport Check(string submissionDir, CheckOptions? options = null)
    {
        options ??= new CheckOptions();
        var root = Path.GetFullPath(submissionDir);
        var tree = new List<Finding>();
        var results = new List<ScenarioReport>();
        if (!Directory.Exists(root))
        {
            tree.Add(new Finding(Severity.Error, "structure", root, "the submission folder does not exist"));
            return new CheckReport(root, results, tree);
        }
        foreach (var division in SubmissionLayout.Folders(root).Where(d => MlperfRules.Divisions.Contains(d)))
        foreach (var submitter in SubmissionLayout.Folders(Path.Combine(root, division)))
        {
            if (options.Submitter is not null && submitter != options.Submitter) continue;
            CheckSubmitter(root, division, submitter, options, tree, results);
        }
        return new CheckReport(root, results, tree);
    }

    private void CheckSubmitter(string root, string division, string submitter, CheckOptions options, List<Finding> tree, List<ScenarioReport> results)
    {
        var dir = SubmissionLayout.SubmitterDir(root, division, submitter);
        if (!Directory.Exists(SubmissionLayout.SourceDir(dir)))
        {
            var hint = Directory.Exists(Path.Combine(dir, "code")) ? " (v6.1 renamed code/ to src/)" : "";
            tree.Add(new Finding(Severity.Error, "structure", SubmissionLayout.SourceDir(dir), "the src/ folder with the benchmark code is missing" + hint));
        }
        var mapping = ModelMapping(dir, division, tree);
        foreach (var system in SubmissionLayout.Folders(SubmissionLayout.ResultsDir(dir)))
        {
            var systemPath = SubmissionLayout.SystemJson(dir, system);
            var systemJson = SystemDescriptionRule.Load(systemPath);
            tree.AddRange(SystemDescriptionRule.Check(systemJson, systemPath, division, submitter)
                .Select(m => new Finding(m.Severity, SystemDescriptionRule.Name, m.Path ?? systemPath, m.Message)));
            var systemDir = Path.Combine(SubmissionLayout.ResultsDir(dir), system);
            foreach (var benchmark in SubmissionLayout.Folders(systemDir))
            {
                var benchmarkRules = MlperfRules.Resolve(benchmark, division == "open" ? mapping : null);
                var scenarios = SubmissionLayout.Folders(Path.Combine(systemDir, benchmark)).ToList();
                if (division != "open" && benchmarkRules is not null)
                    tree.AddRange(RequiredScenariosRule.Check(Path.Combine(systemDir, benchmark), benchmarkRules, (string?)systemJson?["system_type"], scenarios)
                        .Select(m => new Finding(m.Severity, RequiredScenariosRule.Name, m.Path!, m.Message)));
                foreach (var scenario in scenarios)
                {
                    var scenarioDir = Path.Combine(systemDir, benchmark, scenario);
                    var submission = new ScenarioSubmission(division, submitter, system, benchmark, scenario, scenarioDir, benchmarkRules, systemJson);
                    results.Add(CheckScenario(root, submission, options));
                }
            }
        }
    }

    private ScenarioReport CheckScenario(string root, ScenarioSubmission s, CheckOptions options)
    {
        var findings = new List<Finding>();
        if (!MlperfRules.Scenarios.Contains(s.Scenario))
            findings.Add(new Finding(Severity.Error, "structure", s.Dir, $"'{s.Scenario}' is not a scenario ({string.Join(", ", MlperfRules.Scenarios)})"));
        foreach (var rule in _rules)
            findings.AddRange(rule.Check(s, options).Select(m => new Finding(m.Severity, rule.Name, m.Path ?? s.Dir, m.Message)));
        var (key, unit, scale) = MlperfRules.ResultField(s.Scenario);
        var metric = s.PerformanceLog?.GetDouble(key) * scale;
        var accuracy = s.AccuracyTxt is { } lines && s.Rules is { } rules && AccuracyResultRule.Metric(lines, rules) is { } value
            ? $"{rules.AccuracyMetric}={value}" : null;
        return new ScenarioReport(Path.GetRelativePath(root, s.Dir), s.Rules?.Name, s.Scenario, metric, unit, accuracy, findings);
    }

    private static Dictionary<string, string>? ModelMapping(string submitterDir, string division, List<Finding> tree)
    {
        var path = Path.Combine(submitterDir, SubmissionLayout.ModelMapping);
        if (!File.Exists(path)) return null;
        if (division != "open")
        {
            tree.Add(new Finding(Severity.Warning, "model-mapping", path, $"only the open division may map models; the {division} division ignores it"));
            return null;
        }
        try
        {
            return JObject.Parse(File.ReadAllText(path)).Properties()
                .ToDictionary(p => p.Name, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            tree.Add(new Finding(Severity.Error, "model-mapping", path, $"is not a JSON object of model names: {e.Message}"));
            return null;
        }
    }
}
