using Automation.Mlperf.Compliance;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>
/// The compliance tests of the scenario (TEST01, TEST04 for resnet; <see cref="ComplianceRules"/>), as the official
/// checker's ComplianceCheck judges them: TESTnn/ beside performance/, its verify_*.txt saying TEST PASS, its
/// performance/run_1 holding only the run's summary and detail log, and that run passing the performance rules
/// (600 s, seeds, sample count, queries, early stopping). Closed and network division need every test; the
/// official checker skips all of this for open division, where this rule still checks the tests that are present
/// but only warns. Stricter than the official checker: the run must have read an audit.config and be VALID.
/// </summary>
public sealed class ComplianceRule : IScenarioRule
{
    private static readonly IScenarioRule[] RunRules =
    [
        new LoadGenErrorsRule(), new PerformanceValidityRule(), new SeedsRule(), new MinDurationRule(),
        new PerformanceSampleCountRule(), new MinQueriesRule(), new LatencyRule(),
    ];

    public string Name => "compliance";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.Rules is not { } rules || options.SkipCompliance) yield break;
        foreach (var test in ComplianceRules.TestsFor(rules.Name))
        {
            var dir = test.OutputDir(s.Dir);
            var severity = s.IsClosed ? Severity.Error : Severity.Warning;
            if (!Directory.Exists(dir))
            {
                if (s.IsClosed)
                    yield return RuleMessage.Error($"{test.Name} is missing: the {s.Division} division requires it of {rules.Name} ({test.Purpose}); run app-mlperf-inference with _compliance", dir);
                continue;
            }
            foreach (var message in CheckTest(test, dir, s, options))
                yield return message with { Severity = severity };
        }
    }

    private static IEnumerable<RuleMessage> CheckTest(ComplianceTest test, string dir, ScenarioSubmission s, CheckOptions options)
    {
        foreach (var file in test.VerifyFiles.Select(f => Path.Combine(dir, f)))
        {
            if (!File.Exists(file)) yield return RuleMessage.Error($"{test.Name}'s verification output is missing (run MLPerf's {test.Name}/run_verification.py)", file);
            else if (!File.ReadAllText(file).Contains(ComplianceTest.Pass, StringComparison.Ordinal))
                yield return RuleMessage.Error($"{test.Name} failed: {Verdict(file)}", file);
        }
        var perfDir = test.PerformanceDir(s.Dir);
        foreach (var file in SubmissionLayout.PerformanceFiles.Select(f => Path.Combine(perfDir, f)).Where(f => !File.Exists(f)))
            yield return RuleMessage.Error($"{test.Name}'s run log is missing", file);
        var allowed = SubmissionLayout.PerformanceFiles.Append(SubmissionLayout.AccuracyLog).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(perfDir))
            foreach (var extra in Directory.EnumerateFiles(perfDir).Where(f => !allowed.Contains(Path.GetFileName(f))))
                yield return RuleMessage.Error($"{test.Name}/performance/run_1 may hold only {string.Join(", ", allowed)}", extra);

        var run = new ScenarioSubmission(s.Division, s.Submitter, s.System, s.Benchmark, s.Scenario, dir, s.Rules, s.SystemJson);
        if (run.PerformanceLog is null) yield break;
        if (!File.ReadAllText(run.PerformanceDetailPath).Contains(ComplianceRunner.AuditConfigFound, StringComparison.Ordinal))
            yield return RuleMessage.Error($"{test.Name}'s run did not read an audit.config (no \"{ComplianceRunner.AuditConfigFound}\" in its detail log), so it is not a compliance run", run.PerformanceDetailPath);
        foreach (var rule in RunRules)
        foreach (var message in rule.Check(run, options))
            yield return message with { Message = $"{test.Name}: {message.Message}", Path = message.Path ?? dir };
    }

    /// <summary>The script's verdict line ("TEST FAIL: Test score invalid"), or its last line.</summary>
    private static string Verdict(string file)
    {
        var lines = File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.LastOrDefault(l => l.StartsWith("TEST FAIL", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "the file is empty";
    }
}
