using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Versioning;
using Automation.Mlperf.Submission;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>The built-in actions driven through the scripts' real metas: inputs mapped to env as `cm run script` does.</summary>
[Collection(SubmissionCollection.Name)]
public sealed class SubmissionActionTests(SubmissionFixture fixture)
{
    [Fact]
    public async Task GenerateThenCheckThroughTheScriptsInputs()
    {
        var user = fixture.NewDir("user-cwd");
        var generated = await Run(new GenerateSubmissionAction(), "generate-mlperf-inference-submission", user, new()
        {
            ["results_dir"] = fixture.ResultsDir,
            ["submission_dir"] = "sub",
            ["submitter"] = "ActionOrg",
        });

        Assert.Equal(Path.Combine(user, "sub"), generated.NewEnv["CM_MLPERF_INFERENCE_SUBMISSION_DIR"]);
        Assert.True(File.Exists(Path.Combine(user, "sub", "open", "ActionOrg", "model_mapping.json")));

        var checkedOk = await Run(new CheckSubmissionAction(), "run-mlperf-inference-submission-checker", user, new() { ["submission_dir"] = "sub" });

        Assert.Equal("3", checkedOk.NewEnv["CM_MLPERF_SUBMISSION_CHECK_RESULTS"]);
        Assert.Contains("submission looks OK", File.ReadAllText(checkedOk.NewEnv["CM_MLPERF_SUBMISSION_CHECK_REPORT"]));
    }

    [Fact]
    public async Task CheckFailsWithTheReasonAndTheReport()
    {
        var dir = fixture.Generate("open").SubmitterDir;
        SubmissionCheckerTests.Apply(dir, FakeResults.Model, "wrong-seed");
        var root = Path.GetDirectoryName(Path.GetDirectoryName(dir))!;

        var error = await Assert.ThrowsAsync<AutomationException>(() =>
            Run(new CheckSubmissionAction(), "run-mlperf-inference-submission-checker", root, new() { ["submission_dir"] = root }));

        Assert.Contains("fails the MLPerf v6.1 checks with 1 error(s): [seeds]", error.Message);
        Assert.Contains("qsl_rng_seed is 12345", error.Message);
        Assert.True(File.Exists(error.File), error.File);
        Assert.Contains("submission has errors", File.ReadAllText(error.File!));
    }

    [Fact]
    public async Task MissingRequiredInputIsNamedWithItsFlag()
    {
        var error = await Assert.ThrowsAsync<AutomationException>(() =>
            Run(new GenerateSubmissionAction(), "generate-mlperf-inference-submission", fixture.NewDir("cwd"), new() { ["results_dir"] = fixture.ResultsDir }));

        Assert.Contains("--submission_dir is required", error.Message);
        Assert.Contains("generate-mlperf-inference-submission", error.Message);
    }

    private static async Task<StepOutcome> Run(IBuiltinAction action, string alias, string userDir, Dictionary<string, string> inputs)
    {
        var metaFile = Path.Combine(RepoRoot(), "scripts", alias, "_cm.json");
        var meta = MetaReader.Parse(File.ReadAllText(metaFile), metaFile, Path.GetDirectoryName(metaFile)!);
        Assert.Equal(action.Name, meta.Builtin);
        var env = new Dictionary<string, string>(meta.DefaultEnv) { ["CM_TMP_CURRENT_PATH"] = userDir };
        foreach (var (name, value) in inputs) env[meta.InputMapping[name]] = value;
        var node = new PlanNode
        {
            Id = alias, Script = meta, Variations = [], Env = env, Version = VersionConstraint.None, Deps = [], Key = alias,
            KeyInputs = new Dictionary<string, string>(),
        };
        var work = Directory.CreateDirectory(Path.Combine(userDir, ".work-" + alias)).FullName;
        return await action.RunAsync(new ActionContext(node, env, new JObject(), work, TextWriter.Null, Quiet: true), CancellationToken.None);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
        throw new InvalidOperationException("the tests run outside the repository");
    }
}
