using Xunit;
using Automation.Core.Errors;
using Automation.Mlperf.Submission;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Tests.Submission;

[Collection(SubmissionCollection.Name)]
public sealed class SubmissionGeneratorTests(SubmissionFixture fixture)
{
    private static readonly string[] Scenarios = ["MultiStream", "Offline", "SingleStream"];

    [Fact]
    public void OpenTreeHoldsEveryFileTheV61CheckerReads()
    {
        var result = fixture.Generate("open");
        var dir = result.SubmitterDir;

        Assert.Equal(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(dir))!, "open", "TestOrg"), dir);
        Assert.True(File.Exists(Path.Combine(dir, "src", FakeResults.Model, "README.md")));
        Assert.True(File.Exists(Path.Combine(dir, "systems", FakeResults.System + ".json")));
        Assert.False(Directory.Exists(Path.Combine(dir, "code")));
        Assert.False(Directory.Exists(Path.Combine(dir, "measurements")));
        Assert.Equal("resnet", (string?)JObject.Parse(File.ReadAllText(Path.Combine(dir, "model_mapping.json")))[FakeResults.Model]);
        Assert.Equal(Scenarios, SubmissionLayout.Folders(Path.Combine(dir, "results", FakeResults.System, FakeResults.Model)));
        foreach (var scenario in Scenarios)
        {
            var scenarioDir = Tamper.ScenarioDir(dir, FakeResults.Model, scenario);
            var expected = new[]
            {
                "performance/run_1/mlperf_log_summary.txt", "performance/run_1/mlperf_log_detail.txt",
                "accuracy/mlperf_log_summary.txt", "accuracy/mlperf_log_detail.txt", "accuracy/accuracy.txt",
                "accuracy/mlperf_log_accuracy.json", "measurements.json", "user.conf", "README.md",
            };
            foreach (var file in expected)
            {
                var path = Path.Combine(scenarioDir, file);
                Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"{path} is missing or empty");
            }
            var measurements = JObject.Parse(File.ReadAllText(Path.Combine(scenarioDir, "measurements.json")));
            Assert.Equal("fake-classifier.onnx", (string?)measurements["starting_weights_filename"]);
            Assert.Contains($"--scenario={scenario} --mode=performance", File.ReadAllText(Path.Combine(scenarioDir, "README.md")));
        }
        Assert.Equal(3, result.ScenarioDirs.Count);
    }

    [Fact]
    public void ClosedTreeUsesTheOfficialBenchmarkNameAndNoMapping()
    {
        var dir = fixture.Generate("closed").SubmitterDir;

        Assert.Equal(["resnet"], SubmissionLayout.Folders(Path.Combine(dir, "results", FakeResults.System)));
        Assert.False(File.Exists(Path.Combine(dir, "model_mapping.json")));
        Assert.Equal("closed", (string?)JObject.Parse(File.ReadAllText(Path.Combine(dir, "systems", FakeResults.System + ".json")))["division"]);
    }

    [Fact]
    public void SystemDescriptionHasEveryRequiredFieldFromTheDetectedEnv()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        var system = JObject.Parse(File.ReadAllText(Path.Combine(dir, "systems", FakeResults.System + ".json")));

        foreach (var field in SystemDescription.RequiredFields) Assert.NotNull(system[field]);
        foreach (var field in SystemDescription.MeaningfulFields) Assert.False(string.IsNullOrEmpty((string?)system[field]), field);
        Assert.Equal("Fake CPU @ 3.00GHz", (string?)system["host_processor_model_name"]);
        Assert.Equal("8", (string?)system["host_processor_core_count"]);
        Assert.Equal("32 GB", (string?)system["host_memory_capacity"]);
        Assert.Equal("Debian GNU/Linux 13 (trixie) (kernel 6.1.0-test)", (string?)system["operating_system"]);
        Assert.Equal("ONNX Runtime 1.31.1", (string?)system["framework"]);
        Assert.Equal("TestOrg", (string?)system["submitter"]);
        Assert.Null(system["is_network"]);
    }

    [Fact]
    public void UndetectableSystemFieldsAreNamedAndTheUsersDescriptionFillsThem()
    {
        var warnings = new List<string>();
        var options = new GenerationOptions
        {
            ResultsDir = fixture.ResultsDir, SubmissionDir = fixture.NewDir("submission"), Division = "open", Submitter = "TestOrg", Warn = warnings.Add,
        };
        var dir = SubmissionGenerator.Generate(options).SubmitterDir;
        var system = JObject.Parse(File.ReadAllText(Path.Combine(dir, "systems", FakeResults.System + ".json")));
        var missing = SystemDescription.Placeholders(system);
        Assert.Contains("cooling", missing);
        Assert.Contains("host_storage_type", missing);
        var warning = Assert.Single(warnings);
        Assert.Contains("--sut_description", warning);
        foreach (var field in missing) Assert.Contains(field, warning);

        var filled = new JObject(missing.Select(f => new JProperty(f, "stated by the submitter")));
        warnings.Clear();
        var again = SubmissionGenerator.Generate(options with { SubmissionDir = fixture.NewDir("submission"), SystemOverrides = filled }).SubmitterDir;
        var complete = JObject.Parse(File.ReadAllText(Path.Combine(again, "systems", FakeResults.System + ".json")));
        Assert.Empty(SystemDescription.Placeholders(complete));
        Assert.Empty(warnings);
        Assert.Equal("stated by the submitter", (string?)complete["cooling"]);
    }

    /// <summary>The required fields are the vendored v6.1 checker's own list (SYSTEM_DESC_REQUIRED_FIELDS), not a copy that may drift.</summary>
    [OfficialCheckerFact]
    public void RequiredSystemFieldsAreTheOfficialCheckersList()
    {
        var constants = Directory.EnumerateFiles(OfficialChecker.Extract(Path.Combine(fixture.Root, "official-checker-fields")), "constants.py", SearchOption.AllDirectories).Single(f => f.Contains("submission_checker"));
        var text = File.ReadAllText(constants);
        var start = text.IndexOf("SYSTEM_DESC_REQUIRED_FIELDS = [", StringComparison.Ordinal);
        var block = string.Join('\n', text[start..text.IndexOf(']', start)].Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        var official = System.Text.RegularExpressions.Regex.Matches(block, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(official);
        Assert.Equal(official.Order(), SystemDescription.RequiredFields.Order());
    }

    [Fact]
    public void FrameworkVersionFallsBackToTheLinkedOnnxRuntime()
    {
        var run = new RunInfo { Model = "m", Framework = "onnxruntime", Scenario = "Offline", Mode = "performance" };

        Assert.Matches(@"^ONNX Runtime \d+\.\d+", SubmissionGenerator.FrameworkName(run));
    }

    [Fact]
    public void AccuracyLogIsHashedWholeThenTruncated()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        var original = Path.Combine(fixture.ResultsDir, FakeResults.System, FakeResults.Model, "Offline", "accuracy", "mlperf_log_accuracy.json");
        var submitted = Path.Combine(Tamper.ScenarioDir(dir, FakeResults.Model, "Offline"), "accuracy");
        var lines = File.ReadAllLines(Path.Combine(submitted, "accuracy.txt"));

        Assert.StartsWith("accuracy=80.000%, good=40000, total=50000", lines[0]);
        Assert.Contains("hash=" + AccuracyLogTruncation.Sha256(original), lines);
        Assert.True(new FileInfo(original).Length > 1_000_000);
        Assert.True(new FileInfo(Path.Combine(submitted, "mlperf_log_accuracy.json")).Length <= 10 * 1024);
        Assert.True(AccuracyLogTruncation.IsTruncated(Path.Combine(submitted, "mlperf_log_accuracy.json")));
        Assert.StartsWith(File.ReadAllText(original)[..200], File.ReadAllText(Path.Combine(submitted, "mlperf_log_accuracy.json")));
    }

    [Fact]
    public void IncompleteResultsAreRefusedNamingEveryMissingFile()
    {
        var results = fixture.CopyResults();
        var offline = Path.Combine(results, FakeResults.System, FakeResults.Model, "Offline");
        File.Delete(Path.Combine(offline, "accuracy", "accuracy.txt"));
        File.Delete(Path.Combine(offline, "performance", "run_1", "user.conf"));

        var error = Assert.Throws<AutomationException>(() => fixture.Generate("open", results));

        Assert.Contains(Path.Combine(offline, "accuracy", "accuracy.txt") + " is missing", error.Message);
        Assert.Contains(Path.Combine(offline, "performance", "run_1", "user.conf") + " is missing", error.Message);
    }

    /// <summary>The generator reads runs through ResultsReader: a scenario folder with only find-performance's short runs is no result, and is named.</summary>
    [Fact]
    public void A_scenario_folder_without_a_run_is_named_and_results_carry_what_the_reader_read()
    {
        var results = fixture.CopyResults();
        var read = Automation.Results.ResultsReader.Read([results]);
        var folders = ResultsFolder.Read(results);
        Assert.Equal(read.Select(r => r.Folder).Order(), folders.Select(f => f.Result.Folder).Order());
        Assert.All(folders, f => Assert.Equal(Path.GetFullPath(f.Dir), f.Result.Folder));

        var server = Path.Combine(results, FakeResults.System, FakeResults.Model, "Server");
        Directory.CreateDirectory(Path.Combine(server, "find-performance", "01_server_1"));
        var error = Assert.Throws<AutomationException>(() => fixture.Generate("open", results));

        Assert.Contains($"{server} holds neither a performance run", error.Message);
    }

    [Fact]
    public void RunInfoSeedsMustBeTheOnesLoadGenLogged()
    {
        var results = fixture.CopyResults();
        var info = Path.Combine(results, FakeResults.System, FakeResults.Model, "SingleStream", "performance", "run_1", "cm-run-info.json");
        Tamper.EditJson(info, json => json["seeds"]!["qsl_rng_seed"] = 42);

        var error = Assert.Throws<AutomationException>(() => fixture.Generate("open", results));

        Assert.Contains("records seeds (42,", error.Message);
    }

    [Fact]
    public void ClosedDivisionRefusesAModelWithoutAnOfficialBenchmark()
    {
        var results = fixture.CopyResults();
        foreach (var info in Directory.EnumerateFiles(results, "cm-run-info.json", SearchOption.AllDirectories))
            Tamper.EditJson(info, json => json.Remove("mlperf_model"));

        var error = Assert.Throws<AutomationException>(() => fixture.Generate("closed", results));

        Assert.Contains("is not an MLPerf v6.1 benchmark", error.Message);
        Assert.Contains("mlperf_model", error.Message);
    }

    [Fact]
    public void TwoModelsCannotBecomeTheSameClosedResult()
    {
        var results = fixture.CopyResults();
        var system = Path.Combine(results, FakeResults.System);
        Directory.Move(Path.Combine(system, FakeResults.Model), Path.Combine(system, "other-model"));
        foreach (var info in Directory.EnumerateFiles(Path.Combine(system, "other-model"), "cm-run-info.json", SearchOption.AllDirectories))
            Tamper.EditJson(info, json => json["model"] = "other-model");
        var copy = fixture.CopyResults();
        Directory.Move(Path.Combine(copy, FakeResults.System, FakeResults.Model), Path.Combine(system, FakeResults.Model));

        var error = Assert.Throws<AutomationException>(() => fixture.Generate("closed", results));

        Assert.Contains("both become resnet/MultiStream", error.Message);
        Assert.Equal(6, fixture.Generate("open", results).ScenarioDirs.Count);
    }

    [Fact]
    public void AnExistingTreeIsReplacedOnlyWithClean()
    {
        var first = fixture.Generate("open");
        var options = new GenerationOptions
        {
            ResultsDir = fixture.ResultsDir,
            SubmissionDir = Path.GetDirectoryName(Path.GetDirectoryName(first.SubmitterDir))!,
            Division = "open",
            Submitter = "TestOrg",
        };

        Assert.Contains("already holds a submission", Assert.Throws<AutomationException>(() => SubmissionGenerator.Generate(options)).Message);
        Assert.Equal(3, SubmissionGenerator.Generate(options with { Clean = true }).ScenarioDirs.Count);
    }
}
