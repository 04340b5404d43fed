using System.Globalization;
using System.Text.Json;
using Automation.LoadGen.Official.Benchmark;
using Xunit;

namespace Automation.LoadGen.Official.Tests;

/// <summary>`cm run script --tags=benchmark,mlperf,loadgen,...` end to end, with tiny sizing (no timing is asserted).</summary>
[Collection(OfficialCollection.Name)]
public sealed class BenchmarkScriptTests(OfficialLoadGenFixture build)
{
    private static readonly string[] TinySizing =
    [
        "--min_duration_ms=100", "--server_targets=2000,4000", "--offline_expected_qps=100000",
        "--singlestream_expected_latency_ns=10000", "--multistream_expected_latency_ns=20000", "--qsl_size=64",
    ];

    [OfficialFact]
    public void BothEnginesInEveryScenarioProduceTheResultsFolderAndTheRatioTable()
    {
        _ = build.ShimLibrary;
        using var results = new TempDir();
        var output = Cm.RunScriptJson(build.CacheDir, TimeSpan.FromMinutes(5),
            ["--tags=benchmark,mlperf,loadgen,_null-sut", $"--results_dir={results.Path}", $"--env.CM_MLPERF_LOADGEN_SOURCE={TestRepo.LoadGenArchivePath}", .. TinySizing]);
        var env = output.GetProperty("new_env");

        Assert.Equal(results.Path, env.GetProperty("CM_MLPERF_LOADGEN_BENCHMARK_RESULTS_DIR").GetString());
        // The official build came from the fixture's cache entry, not a second build.
        var loadgenStep = output.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("script").GetString() == "get-mlperf-inference-loadgen");
        Assert.True(loadgenStep.GetProperty("from_cache").GetBoolean());

        foreach (var scenario in new[] { "Offline", "SingleStream", "MultiStream" })
            foreach (var engine in new[] { "native", "official" })
                Assert.True(File.Exists(Path.Combine(results.Path, engine, scenario, "mlperf_log_summary.txt")), $"{engine}/{scenario}");
        foreach (var engine in new[] { "native", "official" })
            Assert.True(File.Exists(Path.Combine(results.Path, engine, "Server-2000", "mlperf_log_detail.txt")), $"{engine}/Server-2000");

        var table = File.ReadAllText(Path.Combine(results.Path, "benchmark.md"));
        Assert.Contains("| native ÷ official |", table);
        foreach (var scenario in new[] { "Offline", "Server", "SingleStream", "MultiStream" })
        {
            Assert.Contains($"| {scenario} | peak RSS |", table);
            var ratio = env.GetProperty($"CM_MLPERF_LOADGEN_BENCHMARK_RATIO_{scenario.ToUpperInvariant()}_PEAK_RSS").GetString()!;
            Assert.True(double.Parse(ratio, CultureInfo.InvariantCulture) > 0);
            Assert.True(double.Parse(env.GetProperty($"CM_MLPERF_LOADGEN_BENCHMARK_OFFICIAL_{scenario.ToUpperInvariant()}_PEAK_RSS_MIB").GetString()!, CultureInfo.InvariantCulture) > 0);
        }

        using var reports = JsonDocument.Parse(File.ReadAllText(Path.Combine(results.Path, "benchmark.json")));
        var runs = reports.RootElement.EnumerateArray().Select(r => EngineRunReport.FromJson(r.GetRawText())).ToList();
        Assert.Equal(["native", "official"], runs.Select(r => r.Engine).Distinct().Order());
        Assert.All(runs, r => Assert.True(r.PeakRssBytes >= r.StartRssBytes && r.StartRssBytes > 0));
        Assert.All(runs, r => Assert.True(r.QueryCount > 0, $"{r.Engine} {r.Scenario}: no queries"));
    }

    [Fact]
    public void TheNativeVariationNeedsNoOfficialBuildAndPrintsOneColumn()
    {
        using var results = new TempDir();
        using var cache = new TempDir();
        var output = Cm.RunScriptJson(cache.Path, TimeSpan.FromMinutes(3),
            ["--tags=benchmark,mlperf,loadgen,_null-sut,_offline,_loadgen-native", $"--results_dir={results.Path}", .. TinySizing]);

        Assert.DoesNotContain(output.GetProperty("steps").EnumerateArray(), s => s.GetProperty("script").GetString() == "get-mlperf-inference-loadgen");
        var table = File.ReadAllText(Path.Combine(results.Path, "benchmark.md"));
        Assert.Contains("| scenario | figure | native |", table);
        Assert.DoesNotContain("official", table);
        Assert.True(File.Exists(Path.Combine(results.Path, "native", "Offline", "mlperf_log_detail.txt")));
        Assert.False(output.GetProperty("new_env").TryGetProperty("CM_MLPERF_LOADGEN_BENCHMARK_RATIO_OFFLINE_THROUGHPUT", out _));
    }

    [Fact]
    public void ABadServerTargetListIsAOneParagraphErrorNamingTheScriptAndTheFix()
    {
        using var cache = new TempDir();
        var result = Cm.Run(["run", "script", "--tags=benchmark,mlperf,loadgen,_server,_loadgen-native", "--server_targets=fast", "--cache-dir", cache.Path], TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("benchmark-mlperf-loadgen", result.Stderr);
        Assert.Contains("--server_targets=", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
