using Automation.LoadGen.Logging;
using Automation.LoadGen.Scenarios;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Results;

/// <summary>LoadGen's results.cc: latency statistics, the four validity rules and early stopping.</summary>
internal static class PerformanceAnalysis
{
    private const double MultiStreamInferencePercentile = 0.99;

    public static PerformanceFigures Analyze(EffectiveSettings settings, SessionRecord record, string sutName)
    {
        var latencies = record.SampleLatenciesNs;
        Array.Sort(latencies);
        var queryLatencies = record.QueryLatenciesNs;
        Array.Sort(queryLatencies);
        var multiStream = settings.Scenario == TestScenario.MultiStream;
        var n = latencies.LongLength;

        var figures = new PerformanceFigures
        {
            Settings = settings,
            SutName = sutName,
            SampleCount = n,
            QueryCount = record.QueriesIssued,
            SampleLatency = LatencyStats.FromSorted(latencies),
            QueryLatency = multiStream ? LatencyStats.FromSorted(queryLatencies) : null,
            TargetPercentileLatencyNs = LatencyStats.At(multiStream ? queryLatencies : latencies, settings.TargetLatencyPercentile),
            OverlatencyQueryCount = settings.Scenario == TestScenario.Server ? latencies.LongCount(l => l > settings.TargetLatencyNs) : 0,
            MaxLatencySeconds = record.MaxLatencyNs / 1e9,
            FinalQueryScheduledSeconds = record.FinalQueryScheduledNs / 1e9,
            FinalQueryIssuedSeconds = record.FinalQueryIssuedNs / 1e9,
            FinalQueryDoneSeconds = record.FinalQueryDoneNs / 1e9,
            MinQueriesMet = record.QueriesIssued >= (long)settings.MinQueryCount && n >= (long)settings.MinSampleCount,
        };
        figures = WithMinDuration(figures);
        figures = WithPerfConstraints(figures);
        return settings.Scenario switch
        {
            TestScenario.SingleStream => SingleStreamEarlyStopping(figures, latencies),
            TestScenario.MultiStream => MultiStreamEarlyStopping(figures, queryLatencies),
            TestScenario.Server => ServerEarlyStopping(figures, latencies),
            _ => figures with { EarlyStoppingMet = true },
        };
    }

    private static PerformanceFigures WithMinDuration(PerformanceFigures f)
    {
        var minSeconds = f.Settings.MinDurationMs / 1000.0;
        var (met, recommendation) = f.Settings.Scenario switch
        {
            TestScenario.Offline => (f.MaxLatencySeconds >= minSeconds,
                "Increase expected QPS so the loadgen pre-generates a larger (coalesced) query."),
            TestScenario.Server => (f.FinalQueryScheduledSeconds >= minSeconds,
                "Increase the target QPS so the loadgen pre-generates more queries."),
            _ => (f.FinalQueryIssuedSeconds >= minSeconds,
                "Decrease the expected latency so the loadgen pre-generates more queries."),
        };
        return f with { MinDurationMet = met, MinDurationRecommendation = met ? "" : recommendation };
    }

    private static PerformanceFigures WithPerfConstraints(PerformanceFigures f)
    {
        var met = f.Settings.Scenario != TestScenario.Server || f.TargetPercentileLatencyNs <= f.Settings.TargetLatencyNs;
        return f with { PerfConstraintsMet = met, PerfConstraintsRecommendation = met ? "" : "Reduce target QPS to improve latency." };
    }

    private static PerformanceFigures SingleStreamEarlyStopping(PerformanceFigures f, long[] sorted)
    {
        var n = f.QueryCount;
        var percentile = f.Settings.TargetLatencyPercentile;
        if (!TryEstimate(sorted, n, percentile, out var estimate, out var minQueries, out var t))
        {
            return f with { EarlyStoppingMet = false, EarlyStoppingRecommendation = TooFewQueries(n, minQueries) };
        }
        var text = Processed(minQueries, n, t, percentile, estimate);
        long estimate99 = 0;
        if (TryEstimate(sorted, n, MultiStreamInferencePercentile, out var e99, out var min99, out _))
        {
            estimate99 = e99;
            text += $"\n * Early stopping {CppFormat.Fixed(MultiStreamInferencePercentile * 100, 1)}th percentile estimate: {e99}";
        }
        else
        {
            text += $"\n * Not enough queries processed for {CppFormat.Fixed(MultiStreamInferencePercentile * 100, 1)}th percentile\n"
                + $" early stopping estimate (would need to process at\n least {min99} total queries).";
        }
        return f with
        {
            EarlyStoppingMet = true,
            EarlyStoppingRecommendation = text,
            EarlyStoppingLatencySs = estimate,
            EarlyStoppingLatencyMs = estimate99,
            EarlyStoppingDiscarded = t - 1,
        };
    }

    private static PerformanceFigures MultiStreamEarlyStopping(PerformanceFigures f, long[] sortedQueries)
    {
        var n = f.QueryCount;
        var percentile = f.Settings.TargetLatencyPercentile;
        if (!TryEstimate(sortedQueries, n, percentile, out var estimate, out var minQueries, out var t))
        {
            return f with { EarlyStoppingMet = false, EarlyStoppingRecommendation = TooFewQueries(n, minQueries) };
        }
        return f with
        {
            EarlyStoppingMet = true,
            EarlyStoppingRecommendation = Processed(minQueries, n, t, percentile, estimate),
            EarlyStoppingLatencyMs = estimate,
            EarlyStoppingDiscarded = t - 1,
        };
    }

    private static PerformanceFigures ServerEarlyStopping(PerformanceFigures f, long[] sorted)
    {
        var n = f.QueryCount;
        var t = sorted.LongCount(l => l > f.Settings.TargetLatencyNs);
        var h = new EarlyStopping(f.Settings.TargetLatencyPercentile).MinPassingQueries(t);
        if (n >= h + t) return f with { EarlyStoppingMet = true, EarlyStoppingRecommendation = " * Run successful." };
        return f with
        {
            EarlyStoppingMet = false,
            EarlyStoppingRecommendation = $" * Run unsuccessful.\n * Processed {n} queries.\n * Would need to run at least {h + t - n} more queries,\n"
                + " with the run being successful if every additional\n query were under latency.",
        };
    }

    /// <summary>The early-stopping percentile estimate: sorted[n - t], having discarded the t - 1 highest latencies.</summary>
    private static bool TryEstimate(long[] sorted, long n, double percentile, out long estimate, out long minQueries, out long t)
    {
        var search = new EarlyStopping(percentile);
        minQueries = search.MinPassingQueries(1) + 1;
        estimate = 0;
        t = 1;
        if (n < minQueries) return false;
        t = search.LargestPassingT(n);
        estimate = sorted[n - t];
        return true;
    }

    private static string TooFewQueries(long n, long minQueries) =>
        $" * Only processed {n} queries.\n * Need to process at least {minQueries} queries for early stopping.";

    private static string Processed(long minQueries, long n, long t, double percentile, long estimate) =>
        $" * Processed at least {minQueries} queries ({n}).\n * Would discard {t - 1} highest latency queries.\n"
        + $" * Early stopping {CppFormat.Fixed(percentile * 100, 1)}th percentile estimate: {estimate}";
}
