namespace Automation.Mlperf.Compliance;

/// <summary>
/// What a submitter reads when compliance tests failed: which tests, where their verify_*.txt are, and what to try.
/// A failed speed comparison is the common case on a shared machine: TEST01 and TEST04 compare runs made minutes
/// apart (within 10%; TEST04 at most 10% faster), and a machine whose speed drifts more than that fails them with an
/// honest SUT, so the advice names how to run the tests again without repeating the performance run.
/// </summary>
public static class ComplianceAdvice
{
    public static string For(IReadOnlyList<ComplianceVerdict> failed, string scenarioDir, string resultsDir, int maxReruns)
    {
        var text = $"compliance: {string.Join(", ", failed.Select(v => v.Describe()))} for {scenarioDir}; a closed-division submission needs every test to pass (see verify_*.txt there).";
        if (failed.Any(v => v.AccuracyPassed is false)) return text;
        return text + " A speed comparison sets runs minutes apart against each other (TEST01 within 10%, TEST04 at most 10% faster; 20% for short SingleStream and MultiStream latencies); "
            + $"on a machine whose speed drifts, run the tests again alone, with the same tags and _compliance in place of _submission (--results_dir={resultsDir}), "
            + $"or give them more tries with --max_reruns=N (this run had {maxReruns}).";
    }
}
