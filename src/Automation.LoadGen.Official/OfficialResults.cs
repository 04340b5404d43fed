using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official;

/// <summary>
/// Rebuilds a <see cref="LoadGenResult"/> from the log files the C++ LoadGen wrote: counts, validity, latency
/// statistics and rates from mlperf_log_detail.txt, the recommendations and the early-stopping discard count from
/// mlperf_log_summary.txt. Run times that LoadGen logs only as rates are derived back from those rates; MultiStream
/// logs none, so its issue and completion times stay 0.
/// </summary>
public static partial class OfficialResults
{
    public static LoadGenResult Read(LogSettings log, TestSettings settings, IQuerySampleLibrary qsl, string sutName, string engineName)
    {
        var detailPath = FindLog(log, "detail", "txt") ?? throw new OfficialLoadGenException(
            $"the official LoadGen wrote no detail log in '{Path.GetFullPath(log.OutputDirectory)}'; check that the folder is writable");
        var detail = DetailLogReader.ReadFile(detailPath);
        var summaryPath = FindLog(log, "summary", "txt");
        var summaryText = summaryPath is null ? "" : File.ReadAllText(summaryPath);
        var effective = EffectiveSettings.Resolve(settings, (ulong)qsl.PerformanceSampleCount, (ulong)qsl.TotalSampleCount);
        var errors = detail.Events.Where(e => e.IsError).Select(e => $"{e.Key}: {e.Value}").ToList();
        var accuracyPath = FindLog(log, "accuracy", "json");
        return new LoadGenResult
        {
            EngineName = engineName,
            Scenario = settings.Scenario,
            Mode = settings.Mode,
            ResultDirectory = Path.GetFullPath(log.OutputDirectory),
            Performance = detail.Contains("result_validity") ? Figures(detail, SummaryParser.Parse(summaryText), summaryText, effective, sutName) : null,
            ErrorCount = errors.Count,
            Errors = errors,
            AccuracyLogEntries = accuracyPath is null ? 0 : File.ReadLines(accuracyPath).Count(l => l.Contains("\"seq_id\"", StringComparison.Ordinal)),
        };
    }

    /// <summary>The path LoadGen wrote a log to; with prefix_with_datetime, the newest file of that kind.</summary>
    public static string? FindLog(LogSettings log, string kind, string extension)
    {
        if (!log.PrefixWithDatetime)
        {
            var path = log.PathFor(kind, extension, "");
            return File.Exists(path) ? path : null;
        }
        return Directory.Exists(log.OutputDirectory)
            ? Directory.EnumerateFiles(log.OutputDirectory, $"{log.Prefix}*_{kind}{log.Suffix}.{extension}")
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
    }

    private static PerformanceFigures Figures(DetailLogReader d, SummaryFigures summary, string summaryText, EffectiveSettings effective, string sutName)
    {
        var scenario = effective.Scenario;
        var queries = Int(d, "result_query_count");
        var samples = queries * (long)(d.GetUInt64("effective_samples_per_query") ?? 1);
        var perfMet = d.GetBoolean("result_perf_constraints_met") ?? true;
        var durationMet = d.GetBoolean("result_min_duration_met") ?? false;
        var recommendations = Recommendations(summaryText);
        var perfRecommendation = !perfMet && recommendations.Count > 0 ? recommendations[0] : "";
        var durationRecommendation = !durationMet && recommendations.Count > (perfMet ? 0 : 1) ? recommendations[perfMet ? 0 : 1] : "";
        var sampleLatency = Stats(d, "latency_ns", "percentile_latency_ns");
        var issued = scenario == TestScenario.SingleStream ? Seconds(samples - 1, d.GetDouble("result_qps_with_loadgen_overhead")) : 0;
        return new PerformanceFigures
        {
            Settings = effective,
            SutName = sutName,
            SampleCount = samples,
            QueryCount = queries,
            OverlatencyQueryCount = Int(d, "result_overlatency_query_count"),
            SampleLatency = sampleLatency,
            QueryLatency = scenario == TestScenario.MultiStream ? Stats(d, "query_latency_ns", "percentile_per_query_latency_ns") : null,
            TargetPercentileLatencyNs = (long)(summary.TargetPercentileLatencyNs ?? 0),
            MaxLatencySeconds = scenario == TestScenario.Offline
                ? Seconds(samples, d.GetDouble("result_samples_per_second"))
                : sampleLatency.MaxNs / 1e9,
            FinalQueryIssuedSeconds = issued,
            FinalQueryScheduledSeconds = scenario == TestScenario.Server ? Seconds(samples - 1, d.GetDouble("result_scheduled_samples_per_sec")) : 0,
            // SingleStream logs no completion time: its last query completes one latency after its issue.
            FinalQueryDoneSeconds = scenario == TestScenario.Server ? Seconds(samples - 1, d.GetDouble("result_completed_samples_per_sec")) : issued,
            MinDurationMet = durationMet,
            MinQueriesMet = d.GetBoolean("result_min_queries_met") ?? false,
            PerfConstraintsMet = perfMet,
            EarlyStoppingMet = d.GetBoolean("early_stopping_met") ?? false,
            MinDurationRecommendation = durationRecommendation,
            PerfConstraintsRecommendation = perfRecommendation,
            EarlyStoppingRecommendation = d.GetString("early_stopping_result") ?? "",
            EarlyStoppingLatencySs = Int(d, "early_stopping_latency_ss"),
            EarlyStoppingLatencyMs = Int(d, "early_stopping_latency_ms"),
            EarlyStoppingDiscarded = summary.EarlyStopping.Select(l => DiscardLine().Match(l)).FirstOrDefault(m => m.Success) is { } m
                ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
        };
    }

    private static LatencyStats Stats(DetailLogReader d, string plainSuffix, string percentileSuffix) => new(
        Int(d, $"result_min_{plainSuffix}"),
        Int(d, $"result_max_{plainSuffix}"),
        Int(d, $"result_mean_{plainSuffix}"),
        LatencyStats.ReportedPercentiles
            .Select(p => new PercentileLatency(p, Int(d, $"result_{(p * 100).ToString("F2", CultureInfo.InvariantCulture)}_{percentileSuffix}")))
            .ToArray());

    private static long Int(DetailLogReader d, string key) =>
        d.Contains(key) && d[key].ValueKind == JsonValueKind.Number ? (long)d[key].GetDouble() : 0;

    private static double Seconds(long count, double? rate) => rate is { } r && r > 0 && double.IsFinite(r) ? count / r : 0;

    /// <summary>The " * ..." bullets under "Recommendations:", continuation lines joined.</summary>
    private static List<string> Recommendations(string summary)
    {
        var result = new List<string>();
        var inside = false;
        foreach (var line in summary.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line == "Recommendations:") { inside = true; continue; }
            if (!inside) continue;
            if (line.StartsWith(" * ", StringComparison.Ordinal)) result.Add(line[3..].Trim());
            else if (line.StartsWith("   ", StringComparison.Ordinal) && result.Count > 0) result[^1] += "\n" + line.Trim();
            else break;
        }
        return result;
    }

    [GeneratedRegex(@"Would discard (\d+) highest latency")]
    private static partial Regex DiscardLine();
}
