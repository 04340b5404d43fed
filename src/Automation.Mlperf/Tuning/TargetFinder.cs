using Automation.LoadGen;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.Mlperf.Tuning;

/// <summary>One short LoadGen run of the search: its settings and a label for its log folder.</summary>
public delegate LoadGenResult ShortRun(TestSettings settings, string label);

/// <summary>What find-performance found, and what it cost.</summary>
public sealed record FoundTarget(double? TargetQps, double? TargetLatencyMs, int Runs, double Seconds, string How);

/// <summary>
/// CM's `_find-performance`: short runs that estimate the target a full run needs, so that a submitter never guesses.
/// Offline: throughput of a short run (re-run once or twice until the run is long enough to measure), times
/// <see cref="OfflineMargin"/>, because LoadGen issues 1.1 × target × min_duration samples and a run shorter than
/// min_duration is INVALID. Server: the highest arrival rate whose latency bound holds, by bisection between 0 and the
/// Offline capacity in at most <see cref="MaxServerProbes"/> short runs, times <see cref="ServerMargin"/>.
/// SingleStream/MultiStream: the measured p90/p99 latency (it only sizes the query count, so no margin is needed).
/// </summary>
public sealed class TargetFinder(ShortRun run, ulong shortDurationMs)
{
    public const double OfflineMargin = 1.1;
    /// <summary>
    /// Short probes overrate what a 600 s run sustains: here 5 s probes met the bound at 49,000 QPS, 60 s runs failed it
    /// at 44,000 (p99 1.1 s) and 35,000 (p99 42 ms) and met it at 28,000 (p99 0.75 ms), and a 600 s run at 44,000 fell
    /// so far behind that it had not ended after 25 min. Past capacity the backlog only grows, so a margin that
    /// lands under it costs a little QPS while one above it costs re-runs of 10 minutes or more each.
    /// </summary>
    public const double ServerMargin = 0.6;
    public const int MaxServerProbes = 6;
    private const int MaxCapacityRuns = 4;

    public FoundTarget Find(TestSettings settings)
    {
        var started = DateTimeOffset.UtcNow;
        var (qps, latencyMs, runs, how) = settings.Scenario switch
        {
            TestScenario.Offline => OfflineTarget(settings),
            TestScenario.Server => ServerTarget(settings),
            _ => LatencyTarget(settings),
        };
        return new FoundTarget(qps, latencyMs, runs, (DateTimeOffset.UtcNow - started).TotalSeconds, how);
    }

    private (double?, double?, int, string) OfflineTarget(TestSettings settings)
    {
        var (capacity, runs) = Capacity(settings);
        var target = capacity * OfflineMargin;
        return (target, null, runs, $"Offline throughput {StoredTarget.Format(capacity)} samples/s × {OfflineMargin}");
    }

    private (double?, double?, int, string) ServerTarget(TestSettings settings)
    {
        var (capacity, runs) = Capacity(settings with { Scenario = TestScenario.Offline });
        double low = 0, high = capacity;
        var best = 0.0;
        for (var probe = 0; probe < MaxServerProbes; probe++)
        {
            var qps = probe == 0 ? capacity * 0.5 : (low + high) / 2;
            var result = run(Short(settings) with { ServerTargetQps = qps }, $"server_{probe + 1}");
            runs++;
            if (result.Performance is { PerfConstraintsMet: true }) { best = qps; low = qps; }
            else high = qps;
        }
        if (best == 0) best = low > 0 ? low : capacity * 0.05;
        var target = best * ServerMargin;
        return (target, null, runs, $"highest Server rate meeting the latency bound {StoredTarget.Format(best)} QPS × {ServerMargin} ({MaxServerProbes} probes under an Offline capacity of {StoredTarget.Format(capacity)})");
    }

    private (double?, double?, int, string) LatencyTarget(TestSettings settings)
    {
        var result = run(Short(settings), "latency_1");
        var percentile = settings.Scenario == TestScenario.MultiStream ? 0.99 : 0.90;
        var stats = settings.Scenario == TestScenario.MultiStream ? result.QueryLatency ?? result.SampleLatency : result.SampleLatency;
        var ns = stats is null ? 0 : stats[percentile];
        var ms = Math.Max(ns / 1e6, 0.001);
        return (null, ms, 1, $"p{percentile * 100:0} latency of a short run");
    }

    /// <summary>Offline throughput, re-measured with the first estimate when the first run was too short to time.</summary>
    private (double Capacity, int Runs) Capacity(TestSettings settings)
    {
        // A first query of ~1000 samples per second of run: small runs under-measure (warm-up, partial batches), so
        // each next guess is the measured rate scaled up by how short the run fell, at most 1.8× the measured rate
        // (a run of at most ~2× the short duration if the measurement was right).
        var guess = Math.Max(settings.OfflineExpectedQps, 1000);
        double measured = 0;
        var runs = 0;
        while (runs < MaxCapacityRuns)
        {
            var result = run(Short(settings) with { Scenario = TestScenario.Offline, OfflineExpectedQps = guess }, $"offline_{runs + 1}");
            runs++;
            measured = result.Performance?.SamplesPerSecond is { } s && double.IsFinite(s) && s > 0 ? s : measured;
            // Long enough to be a measurement: at least half the short duration.
            var seconds = result.DurationSeconds;
            if (seconds * 1000 >= shortDurationMs / 2.0 || measured <= 0) break;
            guess = measured * Math.Clamp(shortDurationMs / 1000.0 / Math.Max(seconds, 1e-6), 1, 1.8);
        }
        return (Math.Max(measured, 0.001), runs);
    }

    private TestSettings Short(TestSettings settings) => settings with
    {
        Mode = TestMode.PerformanceOnly,
        MinDurationMs = shortDurationMs,
        MaxDurationMs = 0,
        MinQueryCount = 1,
        MaxQueryCount = 0,
    };
}
