using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>
/// The full submission workflow (docs/submission.md §0) as one dashboard run of three stages: app-mlperf-inference with
/// `_submission` (find-performance and re-runs included) into the results folder, the tree generator into the run's
/// `submission/` folder, and the checker, whose report is the run's verdict. Each stage goes through the same
/// validation as a script run from the form.
/// </summary>
public sealed class SubmissionWorkflow(RunSpecValidator validator)
{
    public const string Benchmark = "app-mlperf-inference";
    public const string Generator = "generate-mlperf-inference-submission";
    public const string Checker = "run-mlperf-inference-submission-checker";
    public const string SubmissionFolder = "submission";

    /// <summary>
    /// The form: <c>{variations: [...], inputs: {test_query_count, min_duration_ms, target_qps, ..., results_dir},
    /// division, submitter, system_type, allow_invalid, skip_dataset_size_check}</c>.
    /// </summary>
    public RunPlan Plan(JObject? body)
    {
        if (body is null) throw new DashboardRequestException("the request body must be a JSON object {variations, inputs, division, submitter, allow_invalid, skip_dataset_size_check}");
        var variations = body["variations"] is JArray v ? new JArray(v.Where(t => (string?)t != "submission" && (string?)t != "_submission")) : new JArray();
        variations.Add("submission");
        var benchmark = validator.Validate(new JObject { ["script"] = Benchmark, ["variations"] = variations, ["inputs"] = body["inputs"]?.DeepClone() ?? new JObject() });

        var submitter = (string?)body["submitter"] is { Length: > 0 } s ? s : throw new DashboardRequestException("the submission needs a submitter", "Give your organisation's name, e.g. MyOrg.");
        var generatorInputs = new JObject { ["division"] = (string?)body["division"] ?? "open", ["submitter"] = submitter };
        if ((string?)body["system_type"] is { Length: > 0 } systemType) generatorInputs["system_type"] = systemType;
        if (Flag(body["allow_invalid"])) generatorInputs["allow_invalid"] = "yes";
        if (benchmark.ResultsDir is { } chosen) generatorInputs["results_dir"] = chosen;
        var generator = validator.Validate(new JObject { ["script"] = Generator, ["inputs"] = generatorInputs })
            with { RunFolderInputs = new Dictionary<string, string> { ["submission_dir"] = SubmissionFolder } };

        var checkerInputs = new JObject { ["submitter"] = submitter };
        if (Flag(body["skip_dataset_size_check"])) checkerInputs["skip_dataset_size_check"] = "yes";
        var checker = validator.Validate(new JObject { ["script"] = Checker, ["inputs"] = checkerInputs })
            with { RunFolderInputs = new Dictionary<string, string> { ["submission_dir"] = SubmissionFolder } };

        return new RunPlan(RunPlan.SubmissionKind,
            [new RunStage("benchmark", benchmark), new RunStage("generate", generator), new RunStage("check", checker, Verdict: true)],
            (JObject)body.DeepClone());
    }

    private static bool Flag(JToken? token) => token?.Type switch
    {
        JTokenType.Boolean => (bool)token,
        JTokenType.String => ((string?)token)?.ToLowerInvariant() is "yes" or "true" or "on" or "1",
        _ => false,
    };
}
