using Automation.LoadGen.Results;

namespace Automation.Mlperf.Actions;

/// <summary>
/// Whether app-mlperf-inference hands its scenario to run-mlperf-inference-compliance (its posthook dep, enabled by
/// <see cref="RunKey"/>=yes): always in `_compliance` mode; after a `_submission` run unless `--compliance=no`; never
/// in CM's short test mode (--test_query_count) or after an INVALID performance run, which the tests compare with.
/// </summary>
internal static class ComplianceStep
{
    public const string RunKey = "CM_MLPERF_COMPLIANCE_RUN";
    /// <summary>The user's switch (`--compliance`); `_submission` defaults it to yes.</summary>
    public const string SwitchKey = "CM_MLPERF_LOADGEN_COMPLIANCE";

    public static string Decide(MlperfRunSpec run, LoadGenResult? performance, ActionEnv env)
    {
        if (run.Mode == "compliance") return "yes";
        if (run.Mode is not ("submission" or "performance") || !IsOn(env.Get(SwitchKey))) return "no";
        if (run.Targets.TestQueryCount is not null)
        {
            env.Say("compliance: not run in short test mode (--test_query_count); its runs are not submittable.");
            return "no";
        }
        if (performance is null || !performance.IsValid)
        {
            env.Warn("compliance: TEST01/TEST04 not run, because they compare with the performance run and it is INVALID; fix that run first, then run _compliance.");
            return "no";
        }
        return "yes";
    }

    private static bool IsOn(string? value) => value?.ToLowerInvariant() is "yes" or "on" or "true" or "1";
}
