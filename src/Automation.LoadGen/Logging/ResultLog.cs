using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Logging;

/// <summary>The result_* and early_stopping_* detail keys of a performance pass (LoadGen's PerformanceSummary::LogDetail).</summary>
internal static class ResultLog
{
    public static void Log(DetailLog detail, PerformanceFigures f)
    {
        const string file = "results.cs";
        detail.Log("result_validity", f.IsValid ? "VALID" : "INVALID", file);
        if (f.HasPerfConstraints) detail.Log("result_perf_constraints_met", f.PerfConstraintsMet, file);
        detail.Log("result_min_duration_met", f.MinDurationMet, file);
        detail.Log("result_min_queries_met", f.MinQueriesMet, file);
        detail.Log("early_stopping_met", f.EarlyStoppingMet, file);
        if (!f.IsValid)
        {
            var reason = "";
            if (!f.PerfConstraintsMet) reason += f.PerfConstraintsRecommendation + " ";
            if (!f.MinDurationMet) reason += f.MinDurationRecommendation + " ";
            if (!f.MinQueriesMet) reason += "The test exited early, before enough queries were issued.";
            detail.Log("result_invalid_reason", reason.Replace('\n', ' '), file);
        }
        detail.Log("early_stopping_result", f.EarlyStoppingRecommendation.Replace('\n', ' '), file);
        detail.Log("result_query_count", f.QueryCount, file);
        if (f.Settings.Scenario == TestScenario.Server) detail.Log("result_overlatency_query_count", f.OverlatencyQueryCount, file);

        switch (f.Settings.Scenario)
        {
            case TestScenario.SingleStream:
                detail.Log("result_qps_with_loadgen_overhead", f.QpsWithLoadgenOverhead, file);
                detail.Log("result_qps_without_loadgen_overhead", f.QpsWithoutLoadgenOverhead, file);
                detail.Log("early_stopping_latency_ss", f.EarlyStoppingLatencySs, file);
                detail.Log("early_stopping_latency_ms", f.EarlyStoppingLatencyMs, file);
                break;
            case TestScenario.MultiStream:
                var q = f.QueryLatency!;
                detail.Log("result_min_query_latency_ns", q.MinNs, file);
                detail.Log("result_max_query_latency_ns", q.MaxNs, file);
                detail.Log("result_mean_query_latency_ns", q.MeanNs, file);
                foreach (var p in q.Percentiles)
                {
                    detail.Log($"result_{CppFormat.Fixed(p.Percentile * 100)}_percentile_per_query_latency_ns", p.LatencyNs, file);
                }
                detail.Log("early_stopping_latency_ms", f.EarlyStoppingLatencyMs, file);
                break;
            case TestScenario.Server:
                detail.Log("result_scheduled_samples_per_sec", f.ScheduledSamplesPerSecond, file);
                detail.Log("result_completed_samples_per_sec", f.CompletedSamplesPerSecond, file);
                break;
            case TestScenario.Offline:
                detail.Log("result_samples_per_second", f.SamplesPerSecond, file);
                break;
        }

        detail.Log("result_min_latency_ns", f.SampleLatency.MinNs, file);
        detail.Log("result_max_latency_ns", f.SampleLatency.MaxNs, file);
        detail.Log("result_mean_latency_ns", f.SampleLatency.MeanNs, file);
        foreach (var p in f.SampleLatency.Percentiles)
        {
            detail.Log($"result_{CppFormat.Fixed(p.Percentile * 100)}_percentile_latency_ns", p.LatencyNs, file);
        }
    }
}
