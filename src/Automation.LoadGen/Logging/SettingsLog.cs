using System.Text;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Logging;

/// <summary>The requested_* and effective_* detail keys, and the summary's "Test Parameters Used" block.</summary>
internal static class SettingsLog
{
    public static void LogRequested(DetailLog detail, TestSettings s)
    {
        detail.Log("requested_scenario", s.Scenario.ToString());
        detail.Log("requested_test_mode", s.Mode.ToString());
        switch (s.Scenario)
        {
            case TestScenario.SingleStream:
                detail.Log("requested_single_stream_expected_latency_ns", s.SingleStreamExpectedLatencyNs);
                detail.Log("requested_single_stream_target_latency_percentile", s.SingleStreamTargetLatencyPercentile);
                break;
            case TestScenario.MultiStream:
                detail.Log("requested_multi_stream_expected_latency_ns", s.MultiStreamExpectedLatencyNs);
                detail.Log("requested_multi_stream_target_latency_percentile", s.MultiStreamTargetLatencyPercentile);
                detail.Log("requested_multi_stream_samples_per_query", s.MultiStreamSamplesPerQuery);
                break;
            case TestScenario.Server:
                detail.Log("requested_server_target_qps", s.ServerTargetQps);
                detail.Log("requested_server_target_latency_ns", s.ServerTargetLatencyNs);
                detail.Log("requested_server_target_latency_percentile", s.ServerTargetLatencyPercentile);
                detail.Log("requested_server_coalesce_queries", s.ServerCoalesceQueries);
                detail.Log("requested_server_find_peak_qps_decimals_of_precision", s.ServerFindPeakQpsDecimalsOfPrecision);
                detail.Log("requested_server_find_peak_qps_boundary_step_size", s.ServerFindPeakQpsBoundaryStepSize);
                detail.Log("requested_server_max_async_queries", s.ServerMaxAsyncQueries);
                detail.Log("requested_server_num_issue_query_threads", s.ServerNumIssueQueryThreads);
                break;
            case TestScenario.Offline:
                detail.Log("requested_offline_expected_qps", s.OfflineExpectedQps);
                break;
        }
        detail.Log("requested_min_duration_ms", s.MinDurationMs);
        detail.Log("requested_max_duration_ms", s.MaxDurationMs);
        detail.Log("requested_min_query_count", s.MinQueryCount);
        detail.Log("requested_max_query_count", s.MaxQueryCount);
        detail.Log("requested_qsl_rng_seed", s.QslRngSeed);
        detail.Log("requested_sample_index_rng_seed", s.SampleIndexRngSeed);
        detail.Log("requested_schedule_rng_seed", s.ScheduleRngSeed);
        detail.Log("requested_accuracy_log_rng_seed", s.AccuracyLogRngSeed);
        detail.Log("requested_accuracy_log_probability", s.AccuracyLogProbability);
        detail.Log("requested_accuracy_log_sampling_target", s.AccuracyLogSamplingTarget);
        detail.Log("requested_print_timestamps", s.PrintTimestamps);
        detail.Log("requested_performance_issue_unique", s.PerformanceIssueUnique);
        detail.Log("requested_performance_issue_same", s.PerformanceIssueSame);
        detail.Log("requested_performance_issue_same_index", s.PerformanceIssueSameIndex);
        detail.Log("requested_performance_sample_count_override", s.PerformanceSampleCountOverride);
        detail.Log("requested_accuracy_sample_count_override", s.AccuracySampleCountOverride);
        detail.Log("requested_sample_concatenate_permutation", s.SampleConcatenatePermutation);
        if (s.UseTokenLatencies)
        {
            detail.Log("requested_use_token_latencies", s.UseTokenLatencies);
            if (s.Scenario != TestScenario.Offline)
            {
                detail.Log("requested_server_ttft_latency", s.ServerTtftLatency);
                detail.Log("requested_server_tpot_latency", s.ServerTpotLatency);
            }
        }
    }

    public static void LogEffective(DetailLog detail, EffectiveSettings s)
    {
        detail.Log("effective_scenario", s.Scenario.ToString());
        detail.Log("effective_test_mode", s.Mode.ToString());
        detail.Log("effective_samples_per_query", s.SamplesPerQuery);
        detail.Log("effective_target_qps", s.TargetQps);
        detail.Log("effective_target_latency_ns", s.TargetLatencyNs);
        detail.Log("effective_target_latency_percentile", s.TargetLatencyPercentile);
        detail.Log("effective_max_async_queries", s.MaxAsyncQueries);
        detail.Log("effective_target_duration_ms", s.TargetDurationMs);
        detail.Log("effective_min_duration_ms", s.MinDurationMs);
        detail.Log("effective_max_duration_ms", s.MaxDurationMs);
        detail.Log("effective_min_query_count", s.MinQueryCount);
        detail.Log("effective_max_query_count", s.MaxQueryCount);
        detail.Log("effective_min_sample_count", s.MinSampleCount);
        detail.Log("effective_qsl_rng_seed", s.QslRngSeed);
        detail.Log("effective_sample_index_rng_seed", s.SampleIndexRngSeed);
        detail.Log("effective_schedule_rng_seed", s.ScheduleRngSeed);
        detail.Log("effective_accuracy_log_rng_seed", s.AccuracyLogRngSeed);
        detail.Log("effective_accuracy_log_probability", s.AccuracyLogProbability);
        detail.Log("effective_accuracy_log_sampling_target", s.AccuracyLogSamplingTarget);
        detail.Log("effective_print_timestamps", s.PrintTimestamps);
        detail.Log("effective_performance_issue_unique", s.PerformanceIssueUnique);
        detail.Log("effective_performance_issue_same", s.PerformanceIssueSame);
        detail.Log("effective_performance_issue_same_index", s.PerformanceIssueSameIndex);
        detail.Log("effective_performance_sample_count", s.PerformanceSampleCount);
        detail.Log("effective_accuracy_sample_count", s.AccuracySampleCount);
        detail.Log("effective_sample_concatenate_permutation", s.SampleConcatenatePermutation);
    }

    /// <summary>The "Test Parameters Used" lines; numbers as an ostream prints them, booleans as 0/1.</summary>
    public static void AppendSummary(StringBuilder summary, EffectiveSettings s)
    {
        void Line(string label, string value) => summary.Append(label).Append(value).Append('\n');
        static string Flag(bool b) => b ? "1" : "0";
        Line("samples_per_query : ", s.SamplesPerQuery.ToString());
        Line("target_qps : ", CppFormat.General(s.TargetQps));
        if (!s.UseTokenLatencies)
        {
            Line("target_latency (ns): ", s.TargetLatencyNs.ToString());
        }
        else
        {
            Line("ttft_latency (ns): ", s.Requested.ServerTtftLatency.ToString());
            Line("tpot_latency (ns): ", s.Requested.ServerTpotLatency.ToString());
        }
        Line("max_async_queries : ", s.MaxAsyncQueries.ToString());
        Line("min_duration (ms): ", s.MinDurationMs.ToString());
        Line("max_duration (ms): ", s.MaxDurationMs.ToString());
        Line("min_query_count : ", s.MinQueryCount.ToString());
        Line("max_query_count : ", s.MaxQueryCount.ToString());
        Line("qsl_rng_seed : ", s.QslRngSeed.ToString());
        Line("sample_index_rng_seed : ", s.SampleIndexRngSeed.ToString());
        Line("schedule_rng_seed : ", s.ScheduleRngSeed.ToString());
        Line("accuracy_log_rng_seed : ", s.AccuracyLogRngSeed.ToString());
        Line("accuracy_log_probability : ", CppFormat.General(s.AccuracyLogProbability));
        Line("accuracy_log_sampling_target : ", s.AccuracyLogSamplingTarget.ToString());
        Line("print_timestamps : ", Flag(s.PrintTimestamps));
        Line("performance_issue_unique : ", Flag(s.PerformanceIssueUnique));
        Line("performance_issue_same : ", Flag(s.PerformanceIssueSame));
        Line("performance_issue_same_index : ", s.PerformanceIssueSameIndex.ToString());
        Line("performance_sample_count : ", s.PerformanceSampleCount.ToString());
        Line("accuracy_sample_count : ", s.AccuracySampleCount.ToString());
        if (s.SampleConcatenatePermutation)
        {
            Line("WARNING: sample_concatenate_permutation was set to true. \n"
                + "Generated samples per query might be different as the one in the setting.\n"
                + "Check the generated_samples_per_query line in the detailed log for the real\n", "samples_per_query value");
        }
    }
}
