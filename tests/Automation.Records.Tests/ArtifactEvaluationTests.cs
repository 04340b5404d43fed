using Automation.Cli.Tests;
using Automation.Records.ArtifactEvaluation;
using Automation.Records.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests;

[Collection(RecordsCollection.Name)]
public sealed class ArtifactEvaluationTests(RecordsFixture fx)
{
    private static string Shipped => Path.Combine(RepoPaths.Root, "ae", "claims.json");

    [PipelineFact]
    public void TheShippedClaimsPassInSmokeMode()
    {
        fx.EnsureRuns();
        var r = fx.CmPlain("ae", "check", Shipped, "--smoke", "--results", fx.Temp("ae-smoke"), "-j");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var json = JObject.Parse(r.Stdout);
        Assert.True((bool)json["passed"]!);
        var accuracy = json["claims"]!.Single(c => (string?)c["id"] == "accuracy");
        Assert.True(double.Parse((string)accuracy["measured"]!, System.Globalization.CultureInfo.InvariantCulture) >= 85);
        Assert.Contains("--test_query_count=200", accuracy["command"]!.Select(a => (string)a!));
        Assert.Equal("VALID", (string?)json["claims"]!.Single(c => (string?)c["id"] == "offline-valid")["measured"]);
    }

    [PipelineFact]
    public void AFailingClaimIsReportedWithMeasuredAndExpectedAndFailsTheCheck()
    {
        fx.EnsureRuns();
        var claims = new JObject
        {
            ["artifact"] = "test",
            ["claims"] = new JArray(
                new JObject { ["id"] = "good", ["command"] = $"cm run script {RecordsFixture.Tags} --test_query_count=200 --results_dir={{results}}/good", ["expect"] = new JObject { ["env"] = "CM_MLPERF_ACCURACY", ["min"] = 85 } },
                new JObject { ["id"] = "too-good", ["command"] = $"cm run script {RecordsFixture.Tags} --test_query_count=200 --results_dir={{results}}/good", ["expect"] = new JObject { ["env"] = "CM_MLPERF_ACCURACY", ["value"] = 99.5, ["tolerance"] = 0.2 } },
                new JObject { ["id"] = "shell", ["command"] = "echo accuracy 91.5", ["expect"] = new JObject { ["regex"] = "accuracy ([0-9.]+)", ["min"] = 90 } }),
        };
        var file = fx.Temp("claims.json");
        File.WriteAllText(file, claims.ToString());
        var r = fx.CmPlain("ae", "check", file, "--results", fx.Temp("ae-fail"));
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"PASS  good: CM_MLPERF_ACCURACY measured 8\d\.\d+, expected ≥ 85", r.Stdout);
        Assert.Matches(@"FAIL  too-good: CM_MLPERF_ACCURACY measured 8\d\.\d+, expected 99.5 ± 0.2 \(8\d\.\d+ is outside 99.5 ± 0.2", r.Stdout);
        Assert.Contains("PASS  shell: /accuracy ([0-9.]+)/ measured 91.5", r.Stdout);
        Assert.Contains("2 of 3 claim(s) passed.", r.Stdout);
    }

    [PipelineFact]
    public void TheAppendixListsHardwareSoftwareDataModelsEstimatesAndClaims()
    {
        fx.EnsureRuns();
        var outFile = fx.Temp("appendix.md");
        var r = fx.CmPlain("ae", "appendix", fx.ResultsA, fx.ResultsB, "--claims", Shipped, "--out", outFile);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var md = File.ReadAllText(outFile);
        Assert.Contains("# Artifact Appendix: Fashion-MNIST MLPerf-style inference with cm", md);
        Assert.Contains((string)fx.RecordA["machine"]!["host_env"]!["CM_HOST_CPU_MODEL_NAME"]!, md);
        Assert.Contains("- get-dataset-fashion-mnist 1.0", md);
        Assert.Contains("**Fashion-MNIST**", md);
        Assert.Contains("Licence: MIT License", md);
        Assert.Matches(@"t10k-images-idx3-ubyte\.gz sha256 [0-9a-f]{64}", md);
        Assert.Matches(@"fashion-mnist-mlp\.onnx sha256 [0-9a-f]{64}", md);
        Assert.Matches(@"How much disk space required \(approximately\)\?:\*\* [\d.]+ (KiB|MiB|GiB)", md);
        Assert.Contains("**accuracy**", md);
        Assert.Contains("--test_query_count=2000", md);
    }

    [Fact]
    public void ExpectationsCompareNumbersWordsAndTolerances()
    {
        var e = new Expectation("K", null, 85, null, 88.8, 3.8, null);
        Assert.True(ClaimChecker.Meets(e, "88.81").Ok);
        Assert.False(ClaimChecker.Meets(e, "84.9").Ok);
        Assert.False(ClaimChecker.Meets(e, "93").Ok);
        Assert.False(ClaimChecker.Meets(e, "n/a").Ok);
        Assert.True(ClaimChecker.Meets(new Expectation("K", null, null, null, null, null, "VALID"), "VALID").Ok);
        Assert.False(ClaimChecker.Meets(new Expectation("K", null, null, null, null, null, "VALID"), "INVALID").Ok);
        Assert.Equal(["cm", "run", "a b", "c'd", "--x=\"y\""], CommandLine.Split("cm run 'a b' \"c'd\" --x=\\\"y\\\""));
    }

    [Fact]
    public void AClaimsFileWithoutAnExpectationIsRejectedNamingTheClaim()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cm-claims-").FullName, "claims.json");
        File.WriteAllText(file, """{"claims": [{"id": "x", "command": "cm run script a", "expect": {"env": "K"}}]}""");
        var e = Assert.Throws<Automation.Core.Errors.AutomationException>(() => ClaimsFile.Load(file));
        Assert.Contains("claim 'x' expects nothing", e.Message);
        Assert.Contains(file, e.Message);
    }
}
