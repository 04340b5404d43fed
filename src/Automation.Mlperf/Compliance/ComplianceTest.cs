using Automation.Mlperf.Submission;

namespace Automation.Mlperf.Compliance;

/// <summary>
/// One of MLPerf's compliance tests (mlcommons/inference compliance/TESTnn) that this project runs: what it proves,
/// and which verify_*.txt its official run_verification.py writes into the scenario's TESTnn folder.
/// </summary>
/// <param name="Name">TEST01, TEST04: the folder name in compliance/ and in the submission tree.</param>
/// <param name="ChecksAccuracy">Writes verify_accuracy.txt (and accuracy/mlperf_log_accuracy.json).</param>
/// <param name="Purpose">One line for messages and the docs.</param>
public sealed record ComplianceTest(string Name, bool ChecksAccuracy, string Purpose)
{
    /// <summary>Accuracy in performance mode: responses sampled during a performance run must equal the accuracy run's.</summary>
    public static readonly ComplianceTest Test01 = new("TEST01", ChecksAccuracy: true,
        "the SUT answers in performance mode what it answers in accuracy mode, at the same speed (±10%)");

    /// <summary>No caching: a run that issues one sample over and over must not be more than 10% faster.</summary>
    public static readonly ComplianceTest Test04 = new("TEST04", ChecksAccuracy: false,
        "the SUT does not cache results: one sample issued over and over is not more than 10% faster");

    public static readonly IReadOnlyList<ComplianceTest> All = [Test01, Test04];

    /// <summary>What run_verification.py writes: verify_accuracy.txt (TEST01) and verify_performance.txt.</summary>
    public IEnumerable<string> VerifyFiles => ChecksAccuracy ? [VerifyAccuracy, VerifyPerformance] : [VerifyPerformance];

    public const string VerifyAccuracy = "verify_accuracy.txt";
    public const string VerifyPerformance = "verify_performance.txt";
    /// <summary>The verdict line the official scripts print when a check passes.</summary>
    public const string Pass = "TEST PASS";

    /// <summary>&lt;scenario&gt;/TESTnn: run_verification.py's output, laid out as the v6.1 tree wants it.</summary>
    public string OutputDir(string scenarioDir) => Path.Combine(scenarioDir, Name);

    /// <summary>&lt;scenario&gt;/compliance/TESTnn: the compliance run's own LoadGen logs, audit.config and user.conf.</summary>
    public string RunDir(string scenarioDir) => Path.Combine(scenarioDir, "compliance", Name);

    /// <summary>The tree's TESTnn/performance/run_1 (the compliance run's summary and detail log).</summary>
    public string PerformanceDir(string scenarioDir) => SubmissionLayout.PerformanceDir(OutputDir(scenarioDir));
}

/// <summary>
/// Which compliance tests MLPerf Inference v6.1 requires of a benchmark, as the official checker lists them
/// (constants.py, models_TEST01 / models_TEST04 of v6.1) and compliance/README.md's table states them. The checker
/// also knows TEST06 (LLMs), TEST07/TEST09 (gpt-oss) and TEST08 (dlrm-v3), none of which applies to a benchmark
/// this project maps to (<see cref="MlperfRules.KnownBenchmarks"/>).
/// </summary>
public static class ComplianceRules
{
    private static readonly HashSet<string> Test01Benchmarks = new(StringComparer.Ordinal)
    {
        "resnet", "retinanet", "bert-99", "bert-99.9", "dlrm-v2-99", "dlrm-v2-99.9", "3d-unet-99", "3d-unet-99.9",
        "stable-diffusion-xl", "rgat", "pointpainting", "whisper", "yolo-99", "yolo-95",
    };

    private static readonly HashSet<string> Test04Benchmarks = new(StringComparer.Ordinal)
    {
        "resnet", "stable-diffusion-xl", "pointpainting", "wan-2.2-t2v-a14b",
    };

    /// <summary>TEST01's audit.config sits in a folder per benchmark, named as the reference implementations name them.</summary>
    private static readonly Dictionary<string, string> Test01Folders = new(StringComparer.Ordinal)
    {
        ["resnet"] = "resnet50", ["bert-99"] = "bert", ["bert-99.9"] = "bert", ["dlrm-v2-99"] = "dlrm-v2", ["dlrm-v2-99.9"] = "dlrm-v2",
        ["3d-unet-99"] = "3d-unet", ["3d-unet-99.9"] = "3d-unet", ["yolo-95"] = "yolo", ["yolo-99"] = "yolo",
    };

    /// <summary>The tests an official benchmark (resnet, bert-99, ...) needs, in the order they are run.</summary>
    public static IReadOnlyList<ComplianceTest> TestsFor(string benchmark) =>
        ComplianceTest.All.Where(t => (t == ComplianceTest.Test01 ? Test01Benchmarks : Test04Benchmarks).Contains(benchmark)).ToList();

    /// <summary>audit.config relative to the compliance folder: TEST01/&lt;benchmark folder&gt;/audit.config, TEST04/audit.config.</summary>
    public static string AuditConfig(ComplianceTest test, string benchmark) =>
        test == ComplianceTest.Test01
            ? Path.Combine(test.Name, Test01Folders.GetValueOrDefault(benchmark, benchmark), "audit.config")
            : Path.Combine(test.Name, "audit.config");
}
