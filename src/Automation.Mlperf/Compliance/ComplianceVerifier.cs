using Automation.Core.Errors;
using Automation.Core.World;

namespace Automation.Mlperf.Compliance;

/// <summary>A compliance test's verdict, read back from the verify_*.txt files the official script wrote.</summary>
/// <param name="AccuracyPassed">TEST01's verify_accuracy.txt says TEST PASS; null for a test without it.</param>
/// <param name="Output">What run_verification.py printed.</param>
public sealed record ComplianceVerdict(ComplianceTest Test, bool? AccuracyPassed, bool PerformancePassed, string OutputDir, string Output)
{
    public bool Passed => PerformancePassed && AccuracyPassed != false;

    public string Describe() =>
        $"{Test.Name} {(Passed ? "PASS" : "FAIL")} ({(AccuracyPassed is { } a ? $"accuracy {(a ? "pass" : "FAIL")}, " : "")}performance {(PerformancePassed ? "pass" : "FAIL")})";
}

/// <summary>
/// Runs the official run_verification.py of a test on a compliance run, as MLPerf documents it:
/// <c>python3 run_verification.py -r RESULTS_SCENARIO_DIR -c COMPLIANCE_RUN_DIR -o OUTPUT_DIR</c>, which compares the
/// run with the scenario's performance (and for TEST01 accuracy) run and copies the logs and verify_*.txt into
/// OUTPUT_DIR/TESTnn, the layout the submission checker reads. The script always exits 0, so the verdict is read from
/// the files it wrote.
/// </summary>
public sealed class ComplianceVerifier(ComplianceScripts scripts, IProcessRunner processes)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <param name="scenarioDir">Holds performance/run_1 and accuracy/ of the submission run; gets TESTnn/.</param>
    /// <param name="runDir">The compliance run's LoadGen logs.</param>
    /// <param name="responseType">The SUT's response element type as verify_accuracy.py names it (byte, int32,
    /// float32, int64); TEST01 compares the first element of each response.</param>
    public async Task<ComplianceVerdict> VerifyAsync(ComplianceTest test, string scenarioDir, string runDir, string responseType = "int32",
        string? script = null, CancellationToken cancellationToken = default)
    {
        var output = test.OutputDir(scenarioDir);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        List<string> args = [scripts.RunVerification(test), "-r", scenarioDir, "-c", runDir, "-o", scenarioDir];
        if (test.ChecksAccuracy) args.AddRange(["--dtype", responseType]);
        // The script writes its verify_*.txt into the working folder before copying them: a scratch folder, so
        // that no second copy sits in the results.
        var scratch = Directory.CreateTempSubdirectory("cm-compliance-").FullName;
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(new ProcessRequest(scripts.Python, args, scratch, Timeout: Timeout), cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        var text = result.CombinedOutput;
        var missing = test.VerifyFiles.Select(f => Path.Combine(output, f)).Where(f => !File.Exists(f)).ToList();
        if (result.ExitCode != 0 || missing.Count > 0)
            throw new AutomationException(
                $"MLPerf's {test.Name} run_verification.py did not verify {runDir} (exit {result.ExitCode}{(missing.Count > 0 ? ", no " + string.Join(", ", missing.Select(Path.GetFileName)) : "")}): {Tail(text)}",
                scripts.RunVerification(test), script,
                result.ExitCode == 127 ? $"Install python3 or point CM_MLPERF_COMPLIANCE_PYTHON at one ({scripts.Python} was not found)."
                : text.Contains("No module named 'numpy'", StringComparison.Ordinal) ? "TEST01's scripts need numpy: apt-get install python3-numpy."
                : "Run the command in docs/submission.md by hand to see the script's error.");
        return Read(test, output, text);
    }

    /// <summary>The verdict of an existing TESTnn folder (run_verification.py's output).</summary>
    public static ComplianceVerdict Read(ComplianceTest test, string outputDir, string output = "")
    {
        bool Passed(string file) => File.Exists(file) && File.ReadAllText(file).Contains(ComplianceTest.Pass, StringComparison.Ordinal);
        return new ComplianceVerdict(test,
            test.ChecksAccuracy ? Passed(Path.Combine(outputDir, ComplianceTest.VerifyAccuracy)) : null,
            Passed(Path.Combine(outputDir, ComplianceTest.VerifyPerformance)), outputDir, output);
    }

    private static string Tail(string text)
    {
        var lines = text.Trim().Split('\n');
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 6)).Select(l => l.Trim()));
    }
}
