using System.Globalization;

namespace Automation.Mlperf.Submission.Checking;

/// <summary>Neither LoadGen run logged an error.</summary>
public sealed class LoadGenErrorsRule : IScenarioRule
{
    public string Name => "loadgen-errors";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options) =>
        s.DetailLogs()
            .Where(l => l.Log.ErrorCount > 0)
            .Select(l => RuleMessage.Error(
                $"LoadGen logged {l.Log.ErrorCount} error(s): {string.Join("; ", l.Log.Events.Where(e => e.IsError).Select(e => $"{e.Key}: {e.Value}"))}", l.Path));
}

/// <summary>The performance run is VALID, and its summary and detail log say the same.</summary>
public sealed class PerformanceValidityRule : IScenarioRule
{
    public string Name => "validity";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        var summaryPath = Path.Combine(s.PerformanceDir, SubmissionLayout.Summary);
        if (s.PerformanceSummary is { } summary && summary.IsValid != true)
            yield return RuleMessage.Error($"the performance run is {(summary.IsValid == false ? "INVALID" : "missing its \"Result is\" line")}", summaryPath);
        if (s.PerformanceLog is { } log)
        {
            var validity = log.GetString("result_validity");
            if (validity != "VALID")
                yield return RuleMessage.Error($"result_validity is {validity ?? "missing"}, expected VALID", s.PerformanceDetailPath);
            if (s.PerformanceSummary?.IsValid is { } summaryValid && summaryValid != (validity == "VALID"))
                yield return RuleMessage.Error($"mlperf_log_summary.txt and mlperf_log_detail.txt disagree on validity; one of them was altered");
        }
    }
}

/// <summary>Both runs used the round's seeds (mlperf.conf), as the checker's seeds check demands.</summary>
public sealed class SeedsRule : IScenarioRule
{
    private static readonly (string Key, ulong Expected)[] Seeds =
    [
        ("qsl_rng_seed", MlperfRules.QslRngSeed),
        ("sample_index_rng_seed", MlperfRules.SampleIndexRngSeed),
        ("schedule_rng_seed", MlperfRules.ScheduleRngSeed),
    ];

    public string Name => "seeds";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        foreach (var (path, log) in s.DetailLogs())
        foreach (var (key, expected) in Seeds)
        {
            var found = log.GetUInt64("effective_" + key);
            if (found != expected)
                yield return RuleMessage.Error($"{key} is {found?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, expected {expected}", path);
        }
    }
}

/// <summary>The run asked for (and met) the 600 s minimum duration that every division needs.</summary>
public sealed class MinDurationRule : IScenarioRule
{
    public string Name => "min-duration";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.PerformanceLog is not { } log) yield break;
        var duration = log.GetInt64("effective_min_duration_ms");
        if (duration is null || duration < MlperfRules.MinDurationMs)
            yield return RuleMessage.Error($"min_duration is {duration?.ToString(CultureInfo.InvariantCulture) ?? "missing"} ms, MLPerf requires at least {MlperfRules.MinDurationMs} ms (do not lower min_duration in user.conf)", s.PerformanceDetailPath);
        if (log.GetBoolean("result_min_duration_met") == false)
            yield return RuleMessage.Error("the run ended before its min_duration", s.PerformanceDetailPath);
    }
}

/// <summary>The performance run loaded at least the benchmark's performance sample count.</summary>
public sealed class PerformanceSampleCountRule : IScenarioRule
{
    public string Name => "performance-sample-count";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.PerformanceLog is not { } log || s.Rules is not { } rules) yield break;
        var count = log.GetInt64("effective_performance_sample_count");
        if (count is null || count < rules.PerformanceSampleCount)
            yield return RuleMessage.Error($"performance_sample_count is {count?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, {rules.Name} needs at least {rules.PerformanceSampleCount}", s.PerformanceDetailPath);
    }
}

/// <summary>Scenarios without early stopping ran enough queries; closed Offline sent enough samples per query.</summary>
public sealed class MinQueriesRule : IScenarioRule
{
    public string Name => "min-queries";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.PerformanceLog is not { } log || s.Rules is not { } rules) yield break;
        if (!MlperfRules.EarlyStoppingScenarios.Contains(s.Scenario) && rules.MinQueries.TryGetValue(s.Scenario, out var required))
        {
            var count = log.GetInt64("effective_min_query_count");
            if (count is null || count < required)
                yield return RuleMessage.Error($"min_query_count is {count?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, {rules.Name} {s.Scenario} needs at least {required}", s.PerformanceDetailPath);
        }
        if (s.Scenario == "Offline" && s.Division == "closed")
        {
            var perQuery = log.GetInt64("effective_samples_per_query");
            if (perQuery is null || perQuery < rules.OfflineMinSamplesPerQuery)
                yield return RuleMessage.Error($"Offline samples_per_query is {perQuery?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, closed {rules.Name} needs at least {rules.OfflineMinSamplesPerQuery} (raise Offline.target_qps or min_query_count)", s.PerformanceDetailPath);
        }
        if (log.GetBoolean("result_min_queries_met") == false)
            yield return RuleMessage.Error("the run issued fewer queries than its min_query_count", s.PerformanceDetailPath);
    }
}

/// <summary>Early stopping held (SingleStream, MultiStream, Server) and Server's bound is the benchmark's.</summary>
public sealed class LatencyRule : IScenarioRule
{
    public string Name => "latency";

    public IEnumerable<RuleMessage> Check(ScenarioSubmission s, CheckOptions options)
    {
        if (s.PerformanceLog is not { } log || !MlperfRules.EarlyStoppingScenarios.Contains(s.Scenario)) yield break;
        if (log.GetBoolean("early_stopping_met") != true)
            yield return RuleMessage.Error($"early stopping was not met: {log.GetString("early_stopping_result") ?? "no early_stopping_result logged"}", s.PerformanceDetailPath);
        if (s.Scenario == "Server" && s.Rules?.ServerLatencyNs is { } bound)
        {
            var target = log.GetInt64("effective_target_latency_ns");
            if (target is null || target > bound)
                yield return RuleMessage.Error($"Server target_latency is {target?.ToString(CultureInfo.InvariantCulture) ?? "missing"} ns, {s.Rules.Name} allows at most {bound} ns", s.PerformanceDetailPath);
        }
    }
}
