using System.Globalization;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official.Benchmark;

/// <summary>
/// The settings the side-by-side benchmark gives both engines. The defaults keep a full run (4 scenarios, Server
/// search, 2 engines, one process per run) to a few minutes on 2 cores: SingleStream and MultiStream pre-generate
/// enough queries that the native engine (the faster one) does not run out before the minimum duration, so both
/// engines' runs can be VALID. Offline's query (11M samples) is smaller than the native engine can finish in 1 s
/// (that would take ~4e7 and 3 GiB in the C++ LoadGen), so its native run is INVALID on duration alone.
/// </summary>
public sealed record BenchmarkProfile
{
    public ulong MinDurationMs { get; init; } = 1000;
    /// <summary>Offline's query is 1.1 × duration × this many samples.</summary>
    public double OfflineExpectedQps { get; init; } = 10_000_000;
    /// <summary>Sizes SingleStream's pre-generated queries: 2 × duration / this.</summary>
    public double SingleStreamExpectedLatencyNs { get; init; } = 300;
    public double MultiStreamExpectedLatencyNs { get; init; } = 500;
    /// <summary>Server targets tried in ascending order; the search stops at the first INVALID one.</summary>
    public IReadOnlyList<double> ServerTargets { get; init; } = [100_000, 200_000, 400_000, 600_000, 800_000, 1_000_000, 1_500_000, 2_000_000];
    public int QslSize { get; init; } = 1024;

    public TestSettings SettingsFor(TestScenario scenario, double? serverTargetQps = null) => new()
    {
        Scenario = scenario,
        Mode = TestMode.PerformanceOnly,
        MinDurationMs = MinDurationMs,
        OfflineExpectedQps = OfflineExpectedQps,
        SingleStreamExpectedLatencyNs = SingleStreamExpectedLatencyNs,
        MultiStreamExpectedLatencyNs = MultiStreamExpectedLatencyNs,
        ServerTargetQps = serverTargetQps ?? ServerTargets.FirstOrDefault(1),
    };

    /// <summary>"100000,200000,4e5" → ascending targets.</summary>
    public static IReadOnlyList<double> ParseTargets(string text)
    {
        var targets = new List<double>();
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var qps) || !(qps > 0) || double.IsInfinity(qps))
                throw new FormatException($"'{part}' is not a positive number of queries per second");
            targets.Add(qps);
        }
        if (targets.Count == 0) throw new FormatException("no Server targets given");
        return targets.Distinct().Order().ToList();
    }
}
