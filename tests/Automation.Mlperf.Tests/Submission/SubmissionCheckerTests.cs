using Xunit;
using Automation.Mlperf.Submission.Checking;

namespace Automation.Mlperf.Tests.Submission;

[Collection(SubmissionCollection.Name)]
public sealed class SubmissionCheckerTests(SubmissionFixture fixture)
{
    // Where MLPerf's compliance scripts cannot run, the results have no TEST01/TEST04 (ComplianceTreeTests skip then).
    private CheckReport Check(string submitterDir, CheckOptions? options = null) =>
        new SubmissionChecker().Check(Path.GetDirectoryName(Path.GetDirectoryName(submitterDir))!,
            (options ?? new CheckOptions()) with { SkipCompliance = fixture.ComplianceVerdicts.Count == 0 });

    [Theory]
    [InlineData("open", "fake-classifier")]
    [InlineData("closed", "resnet")]
    public void GeneratedTreePasses(string division, string benchmark)
    {
        var report = Check(fixture.Generate(division).SubmitterDir);

        Assert.True(report.IsValid, report.Format());
        Assert.Equal(3, report.Results.Count);
        Assert.All(report.Results, r => Assert.Equal("resnet", r.MlperfModel));
        Assert.All(report.Results, r => Assert.Equal("acc=80.000", r.Accuracy));
        Assert.All(report.Results, r => Assert.StartsWith(Path.Combine(division, "TestOrg", "results", FakeResults.System, benchmark), r.RelativePath));
        var offline = report.Results.Single(r => r.Scenario == "Offline");
        Assert.Equal("samples/s", offline.Unit);
        Assert.InRange(offline.Metric!.Value, 99, 101);
        Assert.Contains("submission looks OK", report.Format());
    }

    public static TheoryData<string, string, string, string> Tampering => new()
    {
        { "open", "invalid-summary", "validity", "the performance run is INVALID" },
        { "open", "missing-accuracy-txt", "required-files", "required file is missing" },
        { "open", "wrong-seed", "seeds", "qsl_rng_seed is 12345, expected 2085463073848966840" },
        { "closed", "short-duration", "min-duration", "min_duration is 60000 ms, MLPerf requires at least 600000 ms" },
        { "closed", "accuracy-below-target", "accuracy", "acc 70.000 is below resnet's target 75.6954" },
        { "open", "missing-system-field", "system-description", "required field \"host_processor_model_name\" is missing" },
        { "open", "altered-accuracy-log", "accuracy-log", "was altered after truncation" },
        { "closed", "missing-scenario", "required-scenarios", "needs scenario(s) MultiStream" },
        { "open", "dataset-not-covered", "dataset-size", "covered 10000 samples; resnet's data set has 50000" },
        { "open", "loadgen-error", "loadgen-errors", "LoadGen logged 1 error(s)" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void TamperedTreeFailsWithTheReason(string division, string tamper, string rule, string reason)
    {
        var dir = fixture.Generate(division).SubmitterDir;
        Apply(dir, division == "open" ? FakeResults.Model : "resnet", tamper);

        var report = Check(dir);

        Assert.False(report.IsValid);
        Assert.All(report.Errors, e => Assert.Equal(rule, e.Rule));
        Assert.Contains(report.Errors, e => e.Message.Contains(reason));
        Assert.Contains($"[{rule}]", report.Format());
        Assert.Contains("submission has errors", report.Format());
    }

    [Fact]
    public void OpenDivisionOnlyWarnsAboutAccuracyBelowTarget()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        Apply(dir, FakeResults.Model, "accuracy-below-target");

        var report = Check(dir);

        Assert.True(report.IsValid, report.Format());
        Assert.Contains(report.Results.SelectMany(r => r.Findings), f => f is { Severity: Severity.Warning, Rule: "accuracy" });
    }

    [Fact]
    public void DatasetSizeCheckCanBeSkippedLikeTheOfficialFlag()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        Apply(dir, FakeResults.Model, "dataset-not-covered");

        Assert.True(Check(dir, new CheckOptions { SkipDatasetSizeCheck = true }).IsValid);
    }

    [Fact]
    public void AnEmptyFolderIsNotAValidSubmission()
    {
        var report = new SubmissionChecker().Check(fixture.NewDir("empty"));

        Assert.False(report.IsValid);
        Assert.Contains("No results found", report.Format());
    }

    [Fact]
    public void TheV5LayoutIsReportedWithTheRename()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        Directory.Move(Path.Combine(dir, "src"), Path.Combine(dir, "code"));

        var report = Check(dir);

        Assert.Contains(report.Errors, e => e.Message.Contains("v6.1 renamed code/ to src/"));
    }

    internal static void Apply(string submitterDir, string benchmark, string tamper)
    {
        var scenario = Tamper.ScenarioDir(submitterDir, benchmark, "Offline");
        var perfDetail = Path.Combine(scenario, "performance", "run_1", "mlperf_log_detail.txt");
        var accuracy = Path.Combine(scenario, "accuracy");
        switch (tamper)
        {
            case "invalid-summary":
                Tamper.Replace(Path.Combine(scenario, "performance", "run_1", "mlperf_log_summary.txt"), "Result is : VALID", "Result is : INVALID");
                break;
            case "missing-accuracy-txt":
                File.Delete(Path.Combine(accuracy, "accuracy.txt"));
                break;
            case "wrong-seed":
                Tamper.SetLogValue(perfDetail, "effective_qsl_rng_seed", "12345");
                break;
            case "short-duration":
                Tamper.SetLogValue(perfDetail, "effective_min_duration_ms", "60000");
                break;
            case "accuracy-below-target":
                Tamper.Replace(Path.Combine(accuracy, "accuracy.txt"), @"accuracy=80\.000%", "accuracy=70.000%");
                break;
            case "missing-system-field":
                Tamper.EditJson(Path.Combine(submitterDir, "systems", FakeResults.System + ".json"), json => json.Remove("host_processor_model_name"));
                break;
            case "altered-accuracy-log":
                Tamper.Replace(Path.Combine(accuracy, "mlperf_log_accuracy.json"), "\"data\" : \"([0-9A-F])", "\"data\" : \"F");
                break;
            case "missing-scenario":
                Directory.Delete(Tamper.ScenarioDir(submitterDir, benchmark, "MultiStream"), true);
                break;
            case "dataset-not-covered":
                Tamper.SetLogValue(Path.Combine(accuracy, "mlperf_log_detail.txt"), "effective_accuracy_sample_count", "10000");
                break;
            case "loadgen-error":
                File.AppendAllText(perfDetail, ":::MLLOG {\"key\": \"error_runtime\", \"value\": \"injected\", \"time_ms\": 1.0, \"namespace\": \"mlperf::logging\", \"event_type\": \"POINT_IN_TIME\", \"metadata\": {\"is_error\": true, \"is_warning\": false, \"file\": \"x\", \"line_no\": 0, \"pid\": 1, \"tid\": 1}}\n");
                break;
            default:
                throw new ArgumentException(tamper);
        }
    }
}
