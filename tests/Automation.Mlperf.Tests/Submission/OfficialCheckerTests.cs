using Xunit;
namespace Automation.Mlperf.Tests.Submission;

/// <summary>MLPerf's own checker (v6.1, --skip_compliance) judges the trees this project generates.</summary>
[Collection(SubmissionCollection.Name)]
public sealed class OfficialCheckerTests(SubmissionFixture fixture)
{
    [OfficialCheckerFact]
    public void PassesTheGeneratedOpenDivisionTree()
    {
        var dir = fixture.Generate("open").SubmitterDir;

        var (exitCode, output) = OfficialChecker.Run(SubmissionRoot(dir), fixture.Root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUMMARY: submission looks OK", output);
        Assert.Contains("Results=3, NoResults=0", output);
    }

    [OfficialCheckerTheory]
    [InlineData("wrong-seed", "qsl_rng_seed is wrong, expected=2085463073848966840, found=12345")]
    [InlineData("missing-system-field", "field host_processor_model_name is missing")]
    public void FailsATamperedTree(string tamper, string reason)
    {
        var dir = fixture.Generate("open").SubmitterDir;
        SubmissionCheckerTests.Apply(dir, FakeResults.Model, tamper);

        var (exitCode, output) = OfficialChecker.Run(SubmissionRoot(dir), fixture.Root);

        Assert.Equal(1, exitCode);
        Assert.Contains(reason, output);
        Assert.Contains("SUMMARY: submission has errors", output);
    }

    private static string SubmissionRoot(string submitterDir) => Path.GetDirectoryName(Path.GetDirectoryName(submitterDir))!;
}
