namespace Automation.LoadGen.Settings;

/// <summary>Which kind of file a <see cref="ConfFile"/> is; it decides which keys may be read from it.</summary>
public enum ConfSource
{
    /// <summary>The official mlperf.conf: the only source of seeds, accuracy_log_probability and test05 keys.</summary>
    MlperfConf,
    UserConf,
    /// <summary>A compliance test's audit.config, read with model "*".</summary>
    AuditConfig,
}

/// <summary>
/// Applies a conf file to <see cref="TestSettings"/> the way LoadGen's TestSettings::FromConfig does: each key is
/// looked up for the run's scenario, except scenario-specific keys (e.g. Server.target_latency), which are always
/// looked up under their own scenario. Units: target/ttft/tpot latencies in ms → ns, percentiles in % → fraction,
/// durations in ms.
/// </summary>
public static class ConfReader
{
    private const ulong MsToNs = 1_000_000;

    /// <param name="reportError">Where LoadGen's in-run message for a bad mode value goes (the run's detail log); the
    /// mode is then left as it was and the other keys still apply, as LoadGen does. Null: such a value throws.</param>
    /// <exception cref="LoadGenConfigException">The mode value is not 0–3 and <paramref name="reportError"/> is null.</exception>
    public static TestSettings Apply(TestSettings settings, ConfFile conf, string model, string scenario, ConfSource source, Action<string>? reportError = null)
    {
        var r = new Lookup(conf, model, scenario);
        var s = settings;

        if (r.Integer("mode") is { } mode)
        {
            TestMode? parsed = mode switch
            {
                0 => TestMode.SubmissionRun,
                1 => TestMode.AccuracyOnly,
                2 => TestMode.PerformanceOnly,
                3 => TestMode.FindPeakPerformance,
                _ => null,
            };
            const string invalidMode = "Invalid value passed to Mode key in config.";
            if (parsed is { } m) s = s with { Mode = m };
            else if (reportError is null) throw new LoadGenConfigException([invalidMode]);
            else reportError(invalidMode);
        }

        if (source == ConfSource.MlperfConf)
        {
            s = s with
            {
                QslRngSeed = r.Integer("qsl_rng_seed") ?? s.QslRngSeed,
                SampleIndexRngSeed = r.Integer("sample_index_rng_seed") ?? s.SampleIndexRngSeed,
                ScheduleRngSeed = r.Integer("schedule_rng_seed") ?? s.ScheduleRngSeed,
                AccuracyLogProbability = r.Double("accuracy_log_probability", 0.01) ?? s.AccuracyLogProbability,
                Test05 = r.Integer("test05") is { } test05 ? test05 == 1 : s.Test05,
                Test05QslRngSeed = r.Integer("test05_qsl_rng_seed") ?? s.Test05QslRngSeed,
                Test05SampleIndexRngSeed = r.Integer("test05_sample_index_rng_seed") ?? s.Test05SampleIndexRngSeed,
                Test05ScheduleRngSeed = r.Integer("test05_schedule_rng_seed") ?? s.Test05ScheduleRngSeed,
            };
        }

        if (r.Integer("use_token_latencies") is { } useTokens) s = s with { UseTokenLatencies = useTokens == 1 };
        if (s.UseTokenLatencies)
        {
            s = s with
            {
                ServerTtftLatency = r.Integer("ttft_latency", MsToNs, "Server") ?? s.ServerTtftLatency,
                ServerTpotLatency = r.Integer("tpot_latency", MsToNs, "Server") ?? s.ServerTpotLatency,
            };
        }
        if (r.Integer("infer_token_latencies") is { } infer) s = s with { InferTokenLatencies = infer == 1 };
        if (s.InferTokenLatencies)
        {
            s = s with { TokenLatencyScalingFactor = r.Integer("token_latency_scaling_factor") ?? s.TokenLatencyScalingFactor };
        }

        s = s with
        {
            SingleStreamTargetLatencyPercentile = r.Double("target_latency_percentile", 0.01, "SingleStream") ?? s.SingleStreamTargetLatencyPercentile,
            MultiStreamTargetLatencyPercentile = r.Double("target_latency_percentile", 0.01, "MultiStream") ?? s.MultiStreamTargetLatencyPercentile,
            MultiStreamSamplesPerQuery = r.Integer("samples_per_query", 1, "MultiStream") ?? s.MultiStreamSamplesPerQuery,
            ServerTargetLatencyPercentile = r.Double("target_latency_percentile", 0.01, "Server") ?? s.ServerTargetLatencyPercentile,
            ServerTargetLatencyNs = r.Integer("target_latency", MsToNs, "Server") ?? s.ServerTargetLatencyNs,
        };

        if (r.Integer("performance_issue_unique") is { } unique) s = s with { PerformanceIssueUnique = unique != 0 };
        if (r.Integer("performance_issue_same") is { } same) s = s with { PerformanceIssueSame = same != 0 };
        s = s with { PerformanceIssueSameIndex = r.Integer("performance_issue_same_index") ?? s.PerformanceIssueSameIndex };
        if (r.Integer("sample_concatenate_permutation") is { } concat) s = s with { SampleConcatenatePermutation = concat == 1 };
        if (r.Integer("coalesce_queries", 1, "Server") is { } coalesce) s = s with { ServerCoalesceQueries = coalesce != 0 };
        if (r.Integer("max_async_queries", 1, "Server") is { } maxAsync) s = s with { ServerMaxAsyncQueries = (ulong)unchecked((int)maxAsync) };

        s = s with
        {
            MinDurationMs = r.Integer("min_duration") ?? s.MinDurationMs,
            MaxDurationMs = r.Integer("max_duration") ?? s.MaxDurationMs,
            MinQueryCount = r.Integer("min_query_count") ?? s.MinQueryCount,
            MaxQueryCount = r.Integer("max_query_count") ?? s.MaxQueryCount,
            PerformanceSampleCountOverride = r.Integer("performance_sample_count_override") ?? s.PerformanceSampleCountOverride,
            AccuracySampleCountOverride = r.Integer("accuracy_sample_count_override") ?? s.AccuracySampleCountOverride,
            // SingleStream/MultiStream "target_latency" only sizes query generation: it sets the *expected* latency.
            SingleStreamExpectedLatencyNs = r.Double("target_latency", MsToNs, "SingleStream") ?? s.SingleStreamExpectedLatencyNs,
            MultiStreamExpectedLatencyNs = r.Double("target_latency", MsToNs, "MultiStream") ?? s.MultiStreamExpectedLatencyNs,
            ServerTargetQps = r.Double("target_qps", 1, "Server") ?? s.ServerTargetQps,
            OfflineExpectedQps = r.Double("target_qps", 1, "Offline") ?? s.OfflineExpectedQps,
        };

        if (r.Integer("print_timestamps") is { } print) s = s with { PrintTimestamps = print != 0 };
        return s with
        {
            AccuracyLogRngSeed = r.Integer("accuracy_log_rng_seed") ?? s.AccuracyLogRngSeed,
            AccuracyLogSamplingTarget = r.Integer("accuracy_log_sampling_target") ?? s.AccuracyLogSamplingTarget,
        };
    }

    private readonly struct Lookup(ConfFile conf, string model, string scenario)
    {
        /// <summary>strtoull(value) * (uint64)multiplier, as LoadGen reads integer keys.</summary>
        public ulong? Integer(string key, ulong multiplier = 1, string? scenarioOverride = null) =>
            conf.TryLookup(model, scenarioOverride ?? scenario, key, out var text)
                ? unchecked(CNumber.ParseIntegerPrefix(text, out _) * multiplier)
                : null;

        /// <summary>strtod(value) * multiplier, as LoadGen reads floating-point keys.</summary>
        public double? Double(string key, double multiplier, string? scenarioOverride = null) =>
            conf.TryLookup(model, scenarioOverride ?? scenario, key, out var text)
                ? CNumber.ParseDoublePrefix(text, out _) * multiplier
                : null;
    }
}
