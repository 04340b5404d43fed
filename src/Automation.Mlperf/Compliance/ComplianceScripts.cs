using Automation.Core.Errors;

namespace Automation.Mlperf.Compliance;

/// <summary>
/// MLPerf's official compliance folder (mlcommons/inference compliance/, as get-mlperf-inference-compliance lays it
/// out): TESTnn/audit.config files and the run_verification.py / verify_*.py scripts. TEST01's verify_performance.py
/// imports log_parser from ../../tools/submission, so the folder must sit in an inference checkout (or a copy of
/// that layout).
/// </summary>
public sealed class ComplianceScripts
{
    private ComplianceScripts(string root, string python) => (Root, Python) = (root, python);

    /// <summary>The compliance/ folder.</summary>
    public string Root { get; }

    /// <summary>The python3 that runs the scripts (TEST01's need numpy).</summary>
    public string Python { get; }

    /// <exception cref="AutomationException">The folder or one of the files the tests need is missing.</exception>
    public static ComplianceScripts Open(string root, string python = "python3", string? script = null)
    {
        root = Path.GetFullPath(root);
        var needed = ComplianceTest.All.Select(t => Path.Combine(root, t.Name, "run_verification.py"))
            .Append(Path.Combine(root, "TEST04", "audit.config"))
            .Append(Path.Combine(root, "..", "tools", "submission", "log_parser.py"))
            .Where(f => !File.Exists(f)).Select(Path.GetFullPath).ToList();
        if (needed.Count > 0)
            throw new AutomationException(
                $"{root} is not MLPerf's compliance folder as the compliance tests need it: {string.Join(", ", needed)} missing", root, script,
                "Point --compliance_source (CM_MLPERF_COMPLIANCE_SOURCE) at an mlcommons/inference checkout or at its compliance/ and tools/submission/ archives; get-mlperf-inference-compliance then lays them out (docs/submission.md).");
        return new ComplianceScripts(root, python);
    }

    public string RunVerification(ComplianceTest test) => Path.Combine(Root, test.Name, "run_verification.py");

    /// <exception cref="AutomationException">The benchmark has no audit.config of this test in the folder.</exception>
    public string AuditConfig(ComplianceTest test, string benchmark, string? script = null)
    {
        var path = Path.Combine(Root, ComplianceRules.AuditConfig(test, benchmark));
        return File.Exists(path)
            ? path
            : throw new AutomationException($"the compliance folder has no {test.Name} audit.config for {benchmark} ({path})", path, script,
                "Use the compliance/ folder of the mlcommons/inference release of this round (its TEST01 has one folder per benchmark).");
    }
}
