using Automation.Mlperf.Submission;

namespace Automation.Mlperf.Compliance;

/// <summary>
/// Moves the compliance tests' verified output from a results folder's scenario into the submission tree's: in v6.1
/// the checker reads &lt;scenario&gt;/TESTnn/{verify_*.txt, performance/run_1/, accuracy/} beside performance/ and
/// accuracy/ (constants.py TEST01_PERF_PATH ...; v5.x had a separate compliance/ tree). Only the files
/// run_verification.py writes are copied, since the checker refuses any other file in TESTnn/performance/run_1.
/// </summary>
public static class ComplianceOutputs
{
    /// <returns>The tests whose output was copied.</returns>
    public static IReadOnlyList<ComplianceTest> CopyInto(string resultsScenarioDir, string treeScenarioDir)
    {
        var copied = new List<ComplianceTest>();
        foreach (var test in ComplianceTest.All)
        {
            var source = test.OutputDir(resultsScenarioDir);
            if (!Directory.Exists(source)) continue;
            var target = test.OutputDir(treeScenarioDir);
            Directory.CreateDirectory(target);
            foreach (var file in test.VerifyFiles.Where(f => File.Exists(Path.Combine(source, f))))
                File.Copy(Path.Combine(source, file), Path.Combine(target, file), overwrite: true);
            CopyFiles(test.PerformanceDir(resultsScenarioDir), test.PerformanceDir(treeScenarioDir), SubmissionLayout.PerformanceFiles);
            // TEST01's accuracy/: the sampled log, and the baseline/compliance accuracy files of its non-deterministic mode.
            var accuracy = SubmissionLayout.AccuracyDir(source);
            if (Directory.Exists(accuracy))
                CopyFiles(accuracy, SubmissionLayout.AccuracyDir(target), Directory.EnumerateFiles(accuracy).Select(Path.GetFileName).OfType<string>());
            copied.Add(test);
        }
        return copied;
    }

    /// <summary>The tests an official benchmark needs that a results scenario folder has no verified output of.</summary>
    public static IReadOnlyList<ComplianceTest> Missing(string resultsScenarioDir, string benchmark) =>
        ComplianceRules.TestsFor(benchmark).Where(t => !t.VerifyFiles.All(f => File.Exists(Path.Combine(t.OutputDir(resultsScenarioDir), f)))).ToList();

    private static void CopyFiles(string from, string to, IEnumerable<string> files)
    {
        foreach (var file in files.Where(f => File.Exists(Path.Combine(from, f))))
        {
            Directory.CreateDirectory(to);
            File.Copy(Path.Combine(from, file), Path.Combine(to, file), overwrite: true);
        }
    }
}
