using Xunit;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Submission;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>One results folder (SingleStream, MultiStream and Offline: resnet's edge set) shared by the submission tests.</summary>
public sealed class SubmissionFixture : IDisposable
{
    private int _next;

    public SubmissionFixture()
    {
        Root = Directory.CreateTempSubdirectory("submission-test-").FullName;
        ResultsDir = Path.Combine(Root, "results");
        TestScenario[] scenarios = [TestScenario.SingleStream, TestScenario.MultiStream, TestScenario.Offline];
        FakeResults.Write(ResultsDir, scenarios);
        // With MLPerf's compliance scripts at hand, the results are complete: TEST01 and TEST04 verified per scenario.
        if (OfficialCompliance.Unavailable is null)
            ComplianceVerdicts = FakeResults.WriteCompliance(ResultsDir, OfficialCompliance.Scripts(Root), OfficialCompliance.Verifier(Root), scenarios);
    }

    /// <summary>The verdicts of the shared results' compliance tests; empty where the official scripts cannot run.</summary>
    public IReadOnlyList<Automation.Mlperf.Compliance.ComplianceVerdict> ComplianceVerdicts { get; } = [];

    public string Root { get; }
    public string ResultsDir { get; }

    public string NewDir(string name) => Directory.CreateDirectory(Path.Combine(Root, $"{name}-{Interlocked.Increment(ref _next)}")).FullName;

    /// <summary>A fresh tree generated from the shared results, for a test to inspect or tamper with.</summary>
    public GenerationResult Generate(string division, string? resultsDir = null, Action<string>? warn = null) =>
        SubmissionGenerator.Generate(new GenerationOptions
        {
            ResultsDir = resultsDir ?? ResultsDir,
            SubmissionDir = NewDir("submission"),
            Division = division,
            Submitter = "TestOrg",
            Warn = warn ?? (_ => { }),
        });

    /// <summary>A copy of the shared results folder to break.</summary>
    public string CopyResults()
    {
        var copy = NewDir("results-copy");
        foreach (var file in Directory.EnumerateFiles(ResultsDir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(ResultsDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    public void Dispose()
    {
        // SUBMISSION_TEST_KEEP=1 leaves the folders for a look with the CLI or the official checker.
        if (Environment.GetEnvironmentVariable("SUBMISSION_TEST_KEEP") == "1") return;
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SubmissionCollection : ICollectionFixture<SubmissionFixture>
{
    public const string Name = "submission";
}
