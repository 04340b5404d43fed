using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Mlperf.Submission.Checking;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission;

/// <summary>Env access shared by the submission actions: required keys, defaults, paths relative to the user's folder.</summary>
internal static class ActionEnv
{
    public static string? Get(ActionContext ctx, string key) =>
        ctx.Env.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public static string Required(ActionContext ctx, string key, string flag) =>
        Get(ctx, key) ?? throw new AutomationException($"{flag} is required", ctx.Node.Script.MetaFile, ctx.Node.Script.Alias, $"Pass {flag}=... (or --env.{key}=...).");

    /// <summary>Relative paths are the user's: CM_TMP_CURRENT_PATH is the folder cm was run from.</summary>
    public static string FullPath(ActionContext ctx, string path) =>
        Path.GetFullPath(path, Get(ctx, "CM_TMP_CURRENT_PATH") ?? Environment.CurrentDirectory);

    public static bool IsTrue(ActionContext ctx, string key) =>
        Get(ctx, key)?.ToLowerInvariant() is "yes" or "true" or "on" or "1";

    public static void Say(ActionContext ctx, string text)
    {
        ctx.Log.WriteLine(text);
        if (!ctx.Quiet) Console.Out.WriteLine(text);
    }
}

/// <summary>Built-in action of generate-mlperf-inference-submission: results folder → MLPerf submission tree.</summary>
public sealed class GenerateSubmissionAction : IBuiltinAction
{
    public string Name => "generate-mlperf-inference-submission";

    public Task<StepOutcome> RunAsync(ActionContext ctx, CancellationToken cancellationToken)
    {
        var overridesFile = ActionEnv.Get(ctx, "CM_MLPERF_SUBMISSION_SYSTEM_DESCRIPTION");
        void Warn(string line)
        {
            ctx.Log.WriteLine("warning: " + line);
            Console.Error.WriteLine("warning: " + line);
        }
        var options = new GenerationOptions
        {
            ResultsDir = ActionEnv.FullPath(ctx, ActionEnv.Required(ctx, "CM_MLPERF_INFERENCE_RESULTS_DIR", "--results_dir")),
            SubmissionDir = ActionEnv.FullPath(ctx, ActionEnv.Required(ctx, "CM_MLPERF_INFERENCE_SUBMISSION_DIR", "--submission_dir")),
            Division = ActionEnv.Get(ctx, "CM_MLPERF_SUBMISSION_DIVISION") ?? "open",
            Submitter = ActionEnv.Required(ctx, "CM_MLPERF_SUBMITTER", "--submitter"),
            SystemType = ActionEnv.Get(ctx, "CM_MLPERF_SUBMISSION_SYSTEM_TYPE") ?? "edge",
            Status = ActionEnv.Get(ctx, "CM_MLPERF_SUBMISSION_SYSTEM_STATUS") ?? "available",
            SystemOverrides = overridesFile is null ? null : LoadOverrides(ctx, ActionEnv.FullPath(ctx, overridesFile)),
            FallbackEnv = ctx.Env.Where(kv => kv.Key.StartsWith("CM_HOST_", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value),
            Clean = ActionEnv.IsTrue(ctx, "CM_MLPERF_SUBMISSION_CLEAN"),
            AllowInvalid = ActionEnv.IsTrue(ctx, "CM_MLPERF_SUBMISSION_ALLOW_INVALID"),
            Warn = Warn,
            Script = ctx.Node.Script.Alias,
        };
        var result = SubmissionGenerator.Generate(options);
        ActionEnv.Say(ctx, $"Wrote {result.ScenarioDirs.Count} result(s) to {result.SubmitterDir} and the results table {result.SummaryCsv}"
            + (result.ModelMapping.Count > 0 ? $" with model_mapping.json ({string.Join(", ", result.ModelMapping.Select(kv => $"{kv.Key} → {kv.Value}"))})" : "")
            + ". Check it with: cm run script --tags=check,mlperf,inference,submission --submission_dir=" + options.SubmissionDir);
        var env = new Dictionary<string, string>
        {
            ["CM_MLPERF_INFERENCE_SUBMISSION_DIR"] = options.SubmissionDir,
            ["CM_MLPERF_SUBMISSION_SUBMITTER_DIR"] = result.SubmitterDir,
        };
        return Task.FromResult(new StepOutcome(env, new JObject()));
    }

    private static JObject LoadOverrides(ActionContext ctx, string path)
    {
        try
        {
            return JObject.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new AutomationException($"--system_description file cannot be read: {e.Message}", path, ctx.Node.Script.Alias,
                "Give a JSON object whose keys are systems/*.json fields to override.");
        }
    }
}

/// <summary>Built-in action of run-mlperf-inference-submission-checker: prints the report, fails on errors.</summary>
public sealed class CheckSubmissionAction : IBuiltinAction
{
    public string Name => "check-mlperf-inference-submission";

    public Task<StepOutcome> RunAsync(ActionContext ctx, CancellationToken cancellationToken)
    {
        var dir = ActionEnv.FullPath(ctx, ActionEnv.Required(ctx, "CM_MLPERF_INFERENCE_SUBMISSION_DIR", "--submission_dir"));
        var version = ActionEnv.Get(ctx, "CM_MLPERF_SUBMISSION_CHECKER_VERSION") ?? MlperfRules.Version;
        if (version != MlperfRules.Version)
            throw new AutomationException($"this checker implements MLPerf Inference {MlperfRules.Version} only, not {version}", ctx.Node.Script.MetaFile, ctx.Node.Script.Alias, $"Pass --version={MlperfRules.Version}.");
        var options = new CheckOptions
        {
            Submitter = ActionEnv.Get(ctx, "CM_MLPERF_SUBMITTER"),
            SkipDatasetSizeCheck = ActionEnv.IsTrue(ctx, "CM_MLPERF_SKIP_DATASET_SIZE_CHECK"),
            SkipCompliance = ActionEnv.IsTrue(ctx, "CM_MLPERF_SKIP_COMPLIANCE"),
        };
        var report = new SubmissionChecker().Check(dir, options);
        var text = report.Format();
        var reportPath = Path.Combine(ctx.WorkDir, "submission-check-report.txt");
        File.WriteAllText(reportPath, text);
        ActionEnv.Say(ctx, text.TrimEnd());
        if (!report.IsValid)
        {
            var errors = report.Errors.ToList();
            var shown = string.Join("; ", errors.Take(5).Select(e => $"[{e.Rule}] {e.Path}: {e.Message}"));
            var more = errors.Count > 5 ? $" and {errors.Count - 5} more" : "";
            throw new AutomationException(
                $"the submission at {dir} fails the MLPerf {MlperfRules.Version} checks with {errors.Count} error(s): {(errors.Count == 0 ? "it holds no results" : shown + more)}",
                reportPath, ctx.Node.Script.Alias, $"Read the full report in {reportPath}, fix the results and regenerate the tree.");
        }
        var env = new Dictionary<string, string>
        {
            ["CM_MLPERF_SUBMISSION_CHECK_REPORT"] = reportPath,
            ["CM_MLPERF_SUBMISSION_CHECK_RESULTS"] = report.Results.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Task.FromResult(new StepOutcome(env, new JObject()));
    }
}
