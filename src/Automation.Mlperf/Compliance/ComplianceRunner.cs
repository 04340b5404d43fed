using Automation.Core.Errors;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Submission;
using Automation.Mlperf.Tuning;

namespace Automation.Mlperf.Compliance;

/// <summary>What to test: a scenario folder of the results layout with its performance and accuracy runs.</summary>
/// <param name="Benchmark">The official benchmark the model stands for (resnet, ...): it decides the tests and TEST01's audit.config.</param>
/// <param name="ResponseType">The SUT's response element type for TEST01's comparison (verify_accuracy.py --dtype).</param>
/// <param name="Tests">Only these tests; null: every test the benchmark needs.</param>
/// <param name="MaxReruns">How often a test whose speed comparison failed is run again (as MLCFlow's valid runs do):
/// the comparisons are with a run made minutes earlier, which a busy machine can make differ by more than 10%.</param>
public sealed record ComplianceRequest(string ScenarioDir, string Model, string Benchmark, TestScenario Scenario, string ResponseType = "int32",
    IReadOnlyList<ComplianceTest>? Tests = null, int MaxReruns = 0);

/// <summary>
/// Runs a scenario's compliance tests as MLPerf's compliance/README.md prescribes: for each test the benchmark
/// needs, the official audit.config is copied into the test's run folder and handed to LoadGen (which reads it after
/// user.conf, as StartTest does), the SUT runs a performance run with the submission run's user.conf, and the
/// official run_verification.py compares it with the submission run and writes &lt;scenario&gt;/TESTnn.
/// </summary>
public sealed class ComplianceRunner(ComplianceScripts scripts, ComplianceVerifier verifier, ComplianceRunner.RunLoadGen runLoadGen, Action<string> say)
{
    /// <summary>One LoadGen run of the SUT with the given audit.config, logs into runDir (which exists and holds the audit.config).</summary>
    public delegate LoadGenResult RunLoadGen(string auditConfigPath, TestSettings settings, string runDir);

    /// <summary>LoadGen's detail-log line that proves it read the audit.config.</summary>
    public const string AuditConfigFound = "Found Audit Config file (audit.config)";

    /// <exception cref="AutomationException">The submission run the tests compare with is missing or INVALID, a file of
    /// the official folder is missing, LoadGen did not read the audit.config, or a verification script failed to run.</exception>
    public async Task<IReadOnlyList<ComplianceVerdict>> RunAsync(ComplianceRequest request, string? script = null, CancellationToken cancellationToken = default)
    {
        var tests = request.Tests ?? ComplianceRules.TestsFor(request.Benchmark);
        if (tests.Count == 0)
        {
            say($"compliance: MLPerf {MlperfRules.Version} requires no TEST01/TEST04 run of {request.Benchmark}; nothing to run.");
            return [];
        }
        var perfDir = SubmissionLayout.PerformanceDir(request.ScenarioDir);
        RequireSubmissionRun(request, tests, perfDir, script);
        var userConf = Path.Combine(perfDir, SubmissionLayout.UserConf);
        var settings = TestSettings.FromConfig(null, File.ReadAllText(userConf), request.Model, request.Scenario) with { Mode = TestMode.PerformanceOnly };

        var verdicts = new List<ComplianceVerdict>();
        foreach (var test in tests)
        {
            say($"compliance {test.Name} ({request.Scenario}): {test.Purpose}");
            var verdict = await RunTestAsync(request, test, settings, userConf, script, cancellationToken);
            for (var rerun = 1; rerun <= request.MaxReruns && verdict is { PerformancePassed: false, AccuracyPassed: not false }; rerun++)
            {
                say($"compliance {verdict.Describe()}: {Reason(verdict)}; running {test.Name} again ({rerun} of at most {request.MaxReruns})");
                verdict = await RunTestAsync(request, test, settings, userConf, script, cancellationToken);
            }
            say($"compliance {verdict.Describe()} → {verdict.OutputDir}");
            verdicts.Add(verdict);
        }
        return verdicts;
    }

    private async Task<ComplianceVerdict> RunTestAsync(ComplianceRequest request, ComplianceTest test, TestSettings settings, string userConf, string? script, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var runDir = test.RunDir(request.ScenarioDir);
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        Directory.CreateDirectory(runDir);
        var audit = Path.Combine(runDir, "audit.config");
        File.Copy(scripts.AuditConfig(test, request.Benchmark, script), audit);
        var runConf = Path.Combine(runDir, SubmissionLayout.UserConf);
        File.Copy(userConf, runConf);
        var result = runLoadGen(audit, settings, runDir);
        // A run that ended INVALID for its length (an Offline run 13% faster than the submission run it was sized from
        // lasts 587 s) is sized again, as the performance run is and as the compliance README allows ("you can
        // optionally set the target qps"). Not Server: its target is the arrival rate the tests compare with.
        for (var rerun = 1; rerun <= request.MaxReruns && !result.IsValid && request.Scenario != TestScenario.Server
             && RerunAdvisor.Advise(settings, result) is { Next: { } next } advice; rerun++)
        {
            say($"compliance {test.Name} ({request.Scenario}) run INVALID: {advice.Why}; re-sizing the run ({rerun} of at most {request.MaxReruns})");
            settings = next;
            // The raised target appended, so that the run folder's user.conf says what the run used.
            var raised = RerunAdvisor.Target(next, "compliance re-run", DateTimeOffset.UtcNow);
            File.AppendAllText(runConf, "\n" + string.Join('\n', raised.UserConfLines(request.Model, request.Scenario.ToString())) + "\n");
            result = runLoadGen(audit, settings, runDir);
        }
        var detail = Path.Combine(runDir, SubmissionLayout.Detail);
        if (!File.Exists(detail) || !File.ReadAllText(detail).Contains(AuditConfigFound, StringComparison.Ordinal))
            throw new AutomationException($"LoadGen did not read {audit} for {test.Name}: its detail log lacks \"{AuditConfigFound}\"", detail, script,
                "The engine must be given the audit.config path (both engines take it as StartTest's audit_config_filename); this is a bug in cm, please report it.");
        return await verifier.VerifyAsync(test, request.ScenarioDir, runDir, request.ResponseType, script, cancellationToken);
    }

    /// <summary>The verification script's own words ("TEST FAIL: Test score invalid", "reference score = ...").</summary>
    private static string Reason(ComplianceVerdict verdict)
    {
        var file = Path.Combine(verdict.OutputDir, ComplianceTest.VerifyPerformance);
        var lines = File.Exists(file) ? File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Contains("score", StringComparison.OrdinalIgnoreCase) || l.StartsWith("TEST FAIL", StringComparison.Ordinal)) : [];
        return string.Join(", ", lines) is { Length: > 0 } text ? text : "see " + file;
    }

    /// <summary>The tests compare with the submission run: its VALID performance run (and TEST01 its accuracy log).</summary>
    private static void RequireSubmissionRun(ComplianceRequest request, IReadOnlyList<ComplianceTest> tests, string perfDir, string? script)
    {
        var needed = new[] { SubmissionLayout.Summary, SubmissionLayout.Detail, SubmissionLayout.UserConf }.Select(f => Path.Combine(perfDir, f)).ToList();
        if (tests.Any(t => t.ChecksAccuracy)) needed.Add(Path.Combine(SubmissionLayout.AccuracyDir(request.ScenarioDir), SubmissionLayout.AccuracyLog));
        var missing = needed.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
            throw new AutomationException(
                $"the compliance tests of {request.ScenarioDir} compare with its submission run, but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing",
                missing[0], script, "Run _submission first (the performance and accuracy runs), or _performance-only and _accuracy-only with the same --results_dir.");
        var summary = Path.Combine(perfDir, SubmissionLayout.Summary);
        if (SummaryParser.ParseFile(summary).IsValid != true)
            throw new AutomationException($"the performance run {summary} is INVALID, and the compliance tests compare their speed with it", summary, script,
                "Re-run the performance run until it is VALID (app-mlperf-inference re-runs it with an adjusted target), then the compliance tests.");
    }
}
