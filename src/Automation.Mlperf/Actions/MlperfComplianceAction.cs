using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Core.World;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Compliance;
using Automation.Mlperf.Submission;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Actions;

/// <summary>
/// run-mlperf-inference-compliance: the compliance tests (TEST01, TEST04) of the scenario app-mlperf-inference just
/// ran, with the same SUT, QSL, LoadGen engine and user.conf, verified by MLPerf's own scripts (docs/submission.md §7).
/// </summary>
public sealed class MlperfComplianceAction(LoadGenEngines engines, IProcessRunner processes) : IBuiltinAction
{
    public const string ActionName = "mlperf-inference-compliance";

    public string Name => ActionName;

    public async Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var run = MlperfRunSpec.From(env);
        var scenarioDir = Path.Combine(run.ResultsDir, run.SystemName, run.Model, run.Scenario.ToString());
        var benchmark = env.Get("CM_MLPERF_MAPPED_MODEL") ?? MlperfRules.Resolve(run.Model)?.Name
            ?? throw new AutomationException($"model '{run.Model}' maps to no MLPerf benchmark, so its compliance tests are unknown", context.Node.Script.MetaFile, env.Script,
                $"Set CM_MLPERF_MAPPED_MODEL to one of {string.Join(", ", MlperfRules.KnownBenchmarks)}.");
        var scripts = ComplianceScripts.Open(
            env.Require("CM_MLPERF_COMPLIANCE_PATH", "Run through the get,mlperf,inference,compliance dep, or pass --env.CM_MLPERF_COMPLIANCE_PATH=<inference>/compliance."),
            env.Get("CM_MLPERF_COMPLIANCE_PYTHON") ?? env.Get("CM_PYTHON_BIN_WITH_PATH") ?? "python3", env.Script);

        var qsl = SutFactory.OpenQsl(run, env);
        using var sut = SutFactory.Create(run, qsl);
        var runner = new ComplianceRunner(scripts, new ComplianceVerifier(scripts, processes), (audit, settings, dir) =>
        {
            var engine = engines.Create(run.Engine, context.Env, env.Script, audit);
            env.Say($"LoadGen ({engine.EngineName}) {settings.Scenario} with {audit} → {dir}");
            LoadGen.Results.LoadGenResult result;
            using (var progress = env.WatchRun(sut, settings))
                result = engine.Run(progress.Sut, qsl.Library, settings, new LogSettings { OutputDirectory = dir });
            if (sut.Fault is { } fault)
                throw new AutomationException($"ONNX Runtime failed during the compliance run: {fault.Message}", script: env.Script, fix: "Check the model and the preprocessed data match (input shape, float32).");
            return result;
        }, env.Say);
        var verdicts = await runner.RunAsync(new ComplianceRequest(scenarioDir, run.Model, benchmark, run.Scenario, MaxReruns: run.Targets.MaxReruns), env.Script, cancellationToken);

        var newEnv = new Dictionary<string, string>
        {
            ["CM_MLPERF_COMPLIANCE_TESTS"] = string.Join(",", verdicts.Select(v => v.Test.Name)),
            ["CM_MLPERF_COMPLIANCE_RESULT"] = verdicts.All(v => v.Passed) ? "PASS" : "FAIL",
        };
        foreach (var v in verdicts) newEnv[$"CM_MLPERF_COMPLIANCE_{v.Test.Name}"] = v.Passed ? "PASS" : "FAIL";
        if (verdicts.Where(v => !v.Passed).ToList() is { Count: > 0 } failed)
            env.Warn(ComplianceAdvice.For(failed, scenarioDir, run.ResultsDir, run.Targets.MaxReruns));
        return new StepOutcome(newEnv, new JObject());
    }
}
