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

    /// <summary>
    /// Our summary.csv (written by the generator) against the one MLPerf's checker exports with --csv: same columns,
    /// and for every result the same model, scenario, headline value (to 0.1%) and unit.
    /// </summary>
    [OfficialCheckerFact]
    public void SummaryCsvAgreesWithTheOfficialCheckersExport()
    {
        var generated = fixture.Generate("open");
        var root = SubmissionRoot(generated.SubmitterDir);
        var (exitCode, output) = OfficialChecker.Run(root, fixture.Root);
        Assert.True(exitCode == 0, output);

        var ours = Rows(File.ReadAllLines(generated.SummaryCsv!));
        var official = Rows(File.ReadAllLines(root.TrimEnd(Path.DirectorySeparatorChar) + ".summary.csv"));
        Assert.Equal(official.Header, ours.Header);
        Assert.Equal(official.Rows.Count, ours.Rows.Count);
        foreach (var theirs in official.Rows)
        {
            var mine = Assert.Single(ours.Rows, r => r["Model"] == theirs["Model"] && r["Scenario"] == theirs["Scenario"]);
            foreach (var column in new[] { "Organization", "Division", "SystemName", "Platform", "MlperfModel", "Units", "host_processor_model_name", "framework", "operating_system" })
                Assert.True(theirs[column] == mine[column], $"{column}: checker '{theirs[column]}', ours '{mine[column]}'");
            var expected = double.Parse(theirs["Result"], System.Globalization.CultureInfo.InvariantCulture);
            var actual = double.Parse(mine["Result"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(expected - actual) <= Math.Abs(expected) * 1e-3, $"{theirs["Scenario"]}: checker {expected}, ours {actual}");
        }
    }

    private static (string[] Header, List<Dictionary<string, string>> Rows) Rows(string[] lines)
    {
        var header = Split(lines[0]);
        return (header, lines.Skip(1).Where(l => l.Length > 0).Select(l => header.Zip(Split(l)).ToDictionary(p => p.First, p => p.Second)).ToList());
    }

    /// <summary>CSV fields with double-quoted values (the checker's csv module quotes what has commas).</summary>
    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }

    private static string SubmissionRoot(string submitterDir) => Path.GetDirectoryName(Path.GetDirectoryName(submitterDir))!;
}
