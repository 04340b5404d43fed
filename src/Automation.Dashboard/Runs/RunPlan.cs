using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>One child `cm run script` of a dashboard run; <paramref name="Verdict"/> marks the checker, whose report is the run's verdict.</summary>
public sealed record RunStage(string Name, ValidatedRun Spec, bool Verdict = false);

/// <summary>What a dashboard run does: its kind (script, submission), its stages in order, and the request that asked for it (a re-run sends it again).</summary>
public sealed record RunPlan(string Kind, IReadOnlyList<RunStage> Stages, JObject Request)
{
    public const string ScriptKind = "script";
    public const string SubmissionKind = "submission";

    public static RunPlan Script(ValidatedRun spec) => new(ScriptKind, [new RunStage("run", spec)], spec.ToJson());
}
