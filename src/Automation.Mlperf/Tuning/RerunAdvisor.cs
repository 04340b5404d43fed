using Automation.LoadGen;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.Mlperf.Tuning;

/// <summary>The next try after an INVALID run: new settings and why, or none with what the user can do instead.</summary>
public sealed record RerunAdvice(TestSettings? Next, string Why);

/// <summary>
/// Reads LoadGen's verdict of an INVALID performance run and adjusts the one target that fixes it: a run shorter than
/// min_duration needs a larger Offline/Server target or a smaller SingleStream/MultiStream latency (scaled by how short
/// it fell, with 10% slack); a missed Server latency bound or Server early stopping needs a lower arrival rate. A
/// failure a target cannot fix (too few queries for SingleStream early stopping, LoadGen errors) gets advice instead.
/// </summary>
public static class RerunAdvisor
{
    private const double Slack = 1.1;
    private const double ServerBackoff = 0.8;

    public static RerunAdvice Advise(TestSettings used, LoadGenResult result)
    {
        if (result.Performance is not { } f)
            return new RerunAdvice(null, "LoadGen reported errors (" + string.Join("; ", result.Errors) + "); a new target cannot fix that: see mlperf_log_detail.txt");
        var minSeconds = f.Settings.MinDurationMs / 1000.0;
        var ranSeconds = used.Scenario switch
        {
            TestScenario.Offline => f.MaxLatencySeconds,
            TestScenario.Server => f.FinalQueryScheduledSeconds,
            _ => f.FinalQueryIssuedSeconds,
        };
        // A run that fell far short was too small to time the SUT (warm-up, partial batches dominate): aim at twice
        // min_duration then, since an Offline run that is too long costs only time.
        var slack = ranSeconds < minSeconds / 2 ? 2 * Slack : Slack;
        var scale = ranSeconds > 0 ? Math.Clamp(minSeconds / ranSeconds * slack, Slack, 1000) : 10;
        switch (used.Scenario)
        {
            case TestScenario.Server when !f.PerfConstraintsMet || !f.EarlyStoppingMet:
                return new RerunAdvice(used with { ServerTargetQps = used.ServerTargetQps * ServerBackoff },
                    $"{(f.PerfConstraintsMet ? "early stopping failed (too many queries over the latency bound)" : $"the p{f.Settings.TargetLatencyPercentile * 100:0} latency {f.TargetPercentileLatencyNs / 1e6:0.###} ms is over the bound {f.Settings.TargetLatencyNs / 1e6:0.###} ms")}: lowering target_qps {StoredTarget.Format(used.ServerTargetQps)} → {StoredTarget.Format(used.ServerTargetQps * ServerBackoff)}");
            case TestScenario.Offline when !f.MinDurationMet || !f.MinQueriesMet:
                return new RerunAdvice(used with { OfflineExpectedQps = used.OfflineExpectedQps * scale },
                    $"the run lasted {ranSeconds:0.##} s, under min_duration {minSeconds:0.##} s: raising target_qps {StoredTarget.Format(used.OfflineExpectedQps)} → {StoredTarget.Format(used.OfflineExpectedQps * scale)}");
            case TestScenario.Server when !f.MinDurationMet || !f.MinQueriesMet:
                return new RerunAdvice(used with { ServerTargetQps = used.ServerTargetQps * Slack },
                    $"the run lasted {ranSeconds:0.##} s, under min_duration {minSeconds:0.##} s: raising target_qps {StoredTarget.Format(used.ServerTargetQps)} → {StoredTarget.Format(used.ServerTargetQps * Slack)}");
            case TestScenario.SingleStream when !f.MinDurationMet || !f.MinQueriesMet:
                return new RerunAdvice(used with { SingleStreamExpectedLatencyNs = used.SingleStreamExpectedLatencyNs / scale },
                    $"the run lasted {ranSeconds:0.##} s, under min_duration {minSeconds:0.##} s: lowering target_latency {used.SingleStreamExpectedLatencyNs / 1e6:0.###} → {used.SingleStreamExpectedLatencyNs / scale / 1e6:0.###} ms");
            case TestScenario.MultiStream when !f.MinDurationMet || !f.MinQueriesMet:
                return new RerunAdvice(used with { MultiStreamExpectedLatencyNs = used.MultiStreamExpectedLatencyNs / scale },
                    $"the run lasted {ranSeconds:0.##} s, under min_duration {minSeconds:0.##} s: lowering target_latency {used.MultiStreamExpectedLatencyNs / 1e6:0.###} → {used.MultiStreamExpectedLatencyNs / scale / 1e6:0.###} ms");
            default:
                return new RerunAdvice(null, string.Join(" ", result.InvalidReasons) +
                    " A new target cannot fix this: run longer (leave --min_duration_ms at its default of 600000) so that early stopping has enough queries, or check the SUT's latency spread in mlperf_log_detail.txt.");
        }
    }

    /// <summary>The target a settings record carries for its scenario, for storing after a successful re-run.</summary>
    public static StoredTarget Target(TestSettings s, string source, DateTimeOffset at) => s.Scenario switch
    {
        TestScenario.Offline => new StoredTarget(s.OfflineExpectedQps, null, source, at),
        TestScenario.Server => new StoredTarget(s.ServerTargetQps, null, source, at),
        TestScenario.SingleStream => new StoredTarget(null, s.SingleStreamExpectedLatencyNs / 1e6, source, at),
        _ => new StoredTarget(null, s.MultiStreamExpectedLatencyNs / 1e6, source, at),
    };

    /// <summary>Settings with a stored target applied to the scenario's own field.</summary>
    public static TestSettings Apply(TestSettings s, StoredTarget t) => s.Scenario switch
    {
        TestScenario.Offline when t.TargetQps is { } q => s with { OfflineExpectedQps = q },
        TestScenario.Server when t.TargetQps is { } q => s with { ServerTargetQps = q },
        TestScenario.SingleStream when t.TargetLatencyMs is { } l => s with { SingleStreamExpectedLatencyNs = l * 1e6 },
        TestScenario.MultiStream when t.TargetLatencyMs is { } l => s with { MultiStreamExpectedLatencyNs = l * 1e6 },
        _ => s,
    };
}
