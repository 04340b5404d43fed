using Automation.LoadGen.Results;
using Automation.LoadGen.Scenarios;
using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class ResultsTests
{
    /// <summary>P(at most t of n trials fail) with failure probability q, summed in log space.</summary>
    private static double BinomialCdf(long t, long n, double q)
    {
        double total = 0;
        for (long k = 0; k <= t; k++)
        {
            var logTerm = LogChoose(n, k) + k * Math.Log(q) + (n - k) * Math.Log(1 - q);
            total += Math.Exp(logTerm);
        }
        return total;
    }

    private static double LogChoose(long n, long k)
    {
        double sum = 0;
        for (long i = 1; i <= k; i++) sum += Math.Log(n - k + i) - Math.Log(i);
        return sum;
    }

    /// <summary>Brute force: the fewest passing queries h such that h + t queries with t failures prove the percentile at 99%.</summary>
    private static long BruteForceMinPassing(long t, double percentile)
    {
        long h = 1;
        while (BinomialCdf(t, h + t, 1 - percentile) >= 0.01) h++;
        return h;
    }

    [Theory]
    [InlineData(0.90, 64)]
    [InlineData(0.99, 662)]
    public void MinimumQueriesForEarlyStoppingMatchBinomialTail(double percentile, long expected)
    {
        Assert.Equal(expected, BruteForceMinPassing(1, percentile) + 1);
        Assert.Equal(expected, new EarlyStopping(percentile).MinPassingQueries(1) + 1);
    }

    [Theory]
    [InlineData(0.90, 40)]
    [InlineData(0.99, 8)]
    public void MinPassingQueriesAgreesWithBruteForceAcrossT(double percentile, int maxT)
    {
        var search = new EarlyStopping(percentile);
        for (long t = 0; t <= maxT; t++)
        {
            Assert.Equal(BruteForceMinPassing(t, percentile), search.MinPassingQueries(t));
        }
    }

    [Fact]
    public void LargestPassingTEqualsLinearScan()
    {
        foreach (var n in new long[] { 64, 100, 1000, 5000 })
        {
            var search = new EarlyStopping(0.9);
            long linear = 1;
            for (long i = 2; i <= n; i++)
            {
                if (n < new EarlyStopping(0.9).MinPassingQueries(i) + i)
                {
                    linear = i - 1;
                    break;
                }
            }
            Assert.Equal(linear, search.LargestPassingT(n));
        }
    }

    [Fact]
    public void PercentilesIndexFloorOfNTimesP()
    {
        var sorted = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();
        var stats = LatencyStats.FromSorted(sorted);
        Assert.Equal(501, stats[0.50]);
        Assert.Equal(901, stats[0.90]);
        Assert.Equal(991, stats[0.99]);
        Assert.Equal(1000, stats[0.999]);
        Assert.Equal(500, stats.MeanNs);
        Assert.Equal(1, stats.MinNs);
        Assert.Equal(1000, stats.MaxNs);
        Assert.Equal(2, LatencyStats.At([1, 2, 3], 0.5));
    }

    private static SessionRecord Record(long[] latencies, long queries, long scheduledNs = 0, long issuedNs = 0, long doneNs = 0, long[]? queryLatencies = null) =>
        new(latencies, queryLatencies ?? [], queries, latencies.Length == 0 ? 0 : latencies.Max(), scheduledNs, issuedNs, doneNs, 0, 0, DateTimeOffset.UnixEpoch);

    private static EffectiveSettings Settings(TestScenario scenario, ulong minDurationMs = 1000, ulong minQueries = 100, ulong targetLatencyNs = 10_000_000) =>
        EffectiveSettings.Resolve(new TestSettings
        {
            Scenario = scenario,
            MinDurationMs = minDurationMs,
            MinQueryCount = minQueries,
            ServerTargetLatencyNs = targetLatencyNs,
            OfflineExpectedQps = 100,
        }, 1024, 1024);

    [Fact]
    public void ServerNeedsItsTargetPercentileUnderTheLatencyBound()
    {
        var ok = Enumerable.Repeat(1_000_000L, 1000).ToArray();
        var passing = PerformanceAnalysis.Analyze(Settings(TestScenario.Server), Record(ok, 1000, 2_000_000_000, 2_000_000_000, 2_000_000_000), "sut");
        Assert.True(passing.IsValid);
        Assert.Equal(" * Run successful.", passing.EarlyStoppingRecommendation);

        var slow = ok.Select((l, i) => i < 20 ? 50_000_000L : l).ToArray();
        var failing = PerformanceAnalysis.Analyze(Settings(TestScenario.Server), Record(slow, 1000, 2_000_000_000, 2_000_000_000, 2_000_000_000), "sut");
        Assert.False(failing.PerfConstraintsMet);
        Assert.False(failing.EarlyStoppingMet);
        Assert.Equal(20, failing.OverlatencyQueryCount);
        Assert.Contains("Reduce target QPS to improve latency.", failing.InvalidReasons);
    }

    [Fact]
    public void MinDurationUsesEachScenariosClock()
    {
        var lat = Enumerable.Repeat(1000L, 200).ToArray();
        // Server: the final query's scheduled time, not its completion.
        Assert.False(PerformanceAnalysis.Analyze(Settings(TestScenario.Server), Record(lat, 200, 999_000_000, 2_000_000_000, 2_000_000_000), "s").MinDurationMet);
        // SingleStream: the final query's issue time.
        Assert.True(PerformanceAnalysis.Analyze(Settings(TestScenario.SingleStream), Record(lat, 200, 0, 1_000_000_000, 0), "s").MinDurationMet);
        // Offline: the longest latency, i.e. the last completion.
        var offline = PerformanceAnalysis.Analyze(Settings(TestScenario.Offline), Record([5, 999_999_999], 1), "s");
        Assert.False(offline.MinDurationMet);
        Assert.Equal("Increase expected QPS so the loadgen pre-generates a larger (coalesced) query.", offline.MinDurationRecommendation);
    }

    [Fact]
    public void SingleStreamEarlyStoppingDiscardsHighestLatencies()
    {
        var latencies = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();
        var f = PerformanceAnalysis.Analyze(Settings(TestScenario.SingleStream), Record(latencies, 1000, 0, 2_000_000_000), "s");
        var t = new EarlyStopping(0.9).LargestPassingT(1000);
        Assert.True(f.EarlyStoppingMet);
        Assert.Equal(1000 - t + 1, f.EarlyStoppingLatencySs);
        Assert.Equal(t - 1, f.EarlyStoppingDiscarded);
        Assert.Contains($" * Would discard {t - 1} highest latency queries.", f.EarlyStoppingRecommendation);
        var t99 = new EarlyStopping(0.99).LargestPassingT(1000);
        Assert.Equal(1000 - t99 + 1, f.EarlyStoppingLatencyMs);
        Assert.Contains($" * Early stopping 99.0th percentile estimate: {1000 - t99 + 1}", f.EarlyStoppingRecommendation);

        var few = PerformanceAnalysis.Analyze(Settings(TestScenario.SingleStream), Record(latencies[..100], 100, 0, 2_000_000_000), "s");
        Assert.Contains("Not enough queries processed for 99.0th percentile", few.EarlyStoppingRecommendation);
    }

    [Fact]
    public void TooFewQueriesFailEarlyStoppingAndMinQueries()
    {
        var f = PerformanceAnalysis.Analyze(Settings(TestScenario.SingleStream), Record(Enumerable.Repeat(5L, 50).ToArray(), 50, 0, 2_000_000_000), "s");
        Assert.False(f.EarlyStoppingMet);
        Assert.False(f.MinQueriesMet);
        Assert.Equal(" * Only processed 50 queries.\n * Need to process at least 64 queries for early stopping.", f.EarlyStoppingRecommendation);
        Assert.False(f.IsValid);
    }
}
