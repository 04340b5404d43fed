using System.Text.Json;
using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Official.Tests;

/// <summary>The same small SUT through both engines, scenario by scenario: their results and logs must agree.</summary>
[Collection(OfficialCollection.Name)]
public sealed class EngineComparisonTests(OfficialLoadGenFixture build)
{
    private const int QslSize = 256;

    private static TestSettings Short(TestScenario scenario, TestMode mode = TestMode.PerformanceOnly) => new()
    {
        Scenario = scenario,
        Mode = mode,
        MinDurationMs = 200,
        MinQueryCount = 100,
        SingleStreamExpectedLatencyNs = 20_000,
        MultiStreamExpectedLatencyNs = 20_000,
        ServerTargetQps = 5_000,
        OfflineExpectedQps = 50_000,
        // mlperf.conf's seeds, so the runs use what a submission uses.
        QslRngSeed = 2085463073848966840,
        SampleIndexRngSeed = 2747215439041700203,
        ScheduleRngSeed = 16159082839903944936,
    };

    private sealed record EngineRun(LoadGenResult Result, string Dir, DetailLogReader Detail, SummaryFigures Summary);

    private static EngineRun Run(ILoadGenEngine engine, TestSettings settings, string dir)
    {
        // MultiStream needs 662 queries of 8 samples for early stopping within the short run: faster samples there.
        var latency = TimeSpan.FromMicroseconds(settings.Scenario == TestScenario.MultiStream ? 2 : 20);
        var result = engine.Run(new FixedLatencySut(latency), new InMemoryQsl(QslSize, QslSize), settings,
            new LogSettings { OutputDirectory = dir, EnableTrace = true });
        return new EngineRun(result, dir, DetailLogReader.ReadFile(Path.Combine(dir, "mlperf_log_detail.txt")),
            SummaryParser.ParseFile(Path.Combine(dir, "mlperf_log_summary.txt")));
    }

    private (EngineRun Native, EngineRun Official) RunBoth(TestSettings settings, TempDir dirs) =>
        (Run(new NativeLoadGen(), settings, Path.Combine(dirs.Path, "native")),
         Run(new OfficialLoadGen(build.ShimLibrary), settings, Path.Combine(dirs.Path, "official")));

    [OfficialTheory]
    [InlineData(TestScenario.SingleStream)]
    [InlineData(TestScenario.MultiStream)]
    [InlineData(TestScenario.Server)]
    [InlineData(TestScenario.Offline)]
    public void BothEnginesRunTheScenarioAndAgree(TestScenario scenario)
    {
        using var dirs = new TempDir();
        var settings = Short(scenario);
        var (native, official) = RunBoth(settings, dirs);

        foreach (var run in new[] { native, official })
        {
            Assert.True(run.Result.IsValid, $"{run.Result.EngineName}: {string.Join("; ", run.Result.InvalidReasons)}");
            Assert.Equal(0, run.Result.ErrorCount);
            Assert.Equal(scenario, run.Result.Scenario);
            Assert.True(run.Result.QueryCount >= (scenario == TestScenario.Offline ? 1 : 100), $"{run.Result.EngineName}: {run.Result.QueryCount} queries");
            Assert.True(run.Result.QueryCount <= run.Detail.GetInt64("generated_query_count"));
        }
        Assert.Equal("native", native.Result.EngineName);
        Assert.Equal("official", official.Result.EngineName);

        // Same seeds, same query generation: the schedule and the set sizes are the engines' shared ground truth.
        Assert.Equal(native.Detail.GetInt64("generated_query_count"), official.Detail.GetInt64("generated_query_count"));
        Assert.Equal(native.Detail.GetInt64("generated_samples_per_query"), official.Detail.GetInt64("generated_samples_per_query"));
        if (scenario is TestScenario.Server or TestScenario.Offline)
        {
            // Server issues its whole schedule and Offline one query of a fixed size, whatever the timing.
            Assert.Equal(native.Result.SampleCount, official.Result.SampleCount);
            Assert.Equal(native.Result.QueryCount, official.Result.QueryCount);
        }
        else
        {
            // Closed loops issue as fast as the SUT answers (20 µs per sample): same order of magnitude.
            var ratio = (double)native.Result.SampleCount / official.Result.SampleCount;
            Assert.InRange(ratio, 0.2, 5);
        }

        Assert.Equal(LogFiles(native.Dir), LogFiles(official.Dir));
        Assert.Equal(["mlperf_log_accuracy.json", "mlperf_log_detail.txt", "mlperf_log_summary.txt", "mlperf_log_trace.json"], LogFiles(official.Dir));

        // Summaries: both parse, and say the same about the test (the parameters block is the settings LoadGen used).
        Assert.Equal(native.Summary.SutName, official.Summary.SutName);
        Assert.Equal(native.Summary.Scenario, official.Summary.Scenario);
        Assert.Equal(native.Summary.Mode, official.Summary.Mode);
        Assert.True(official.Summary.IsValid);
        Assert.True(native.Summary.IsValid);
        Assert.Equal(native.Summary.TestParameters, official.Summary.TestParameters);
        Assert.Equal(native.Summary.Results.Keys.Order(), official.Summary.Results.Keys.Order());
        Assert.Equal(native.Summary.AdditionalStats.Keys.Order(), official.Summary.AdditionalStats.Keys.Order());

        // Detail logs: every line is MLLOG JSON; the keys a submission checker reads exist in both with equal settings.
        foreach (var key in official.Detail.Keys.Where(k => k.StartsWith("effective_", StringComparison.Ordinal) || k.StartsWith("requested_", StringComparison.Ordinal)))
        {
            Assert.True(native.Detail.Contains(key), $"native detail log lacks {key}");
            Assert.True(SameJson(official.Detail[key], native.Detail[key]), $"{key}: official {official.Detail[key]}, native {native.Detail[key]}");
        }
        var resultKeys = official.Detail.Keys.Where(k => k.StartsWith("result_", StringComparison.Ordinal) || k.StartsWith("early_stopping_", StringComparison.Ordinal));
        Assert.Equal(resultKeys.Order(), native.Detail.Keys.Where(k => k.StartsWith("result_", StringComparison.Ordinal) || k.StartsWith("early_stopping_", StringComparison.Ordinal)).Order());
        Assert.Equal("VALID", official.Detail.GetString("result_validity"));
        Assert.StartsWith("6.0.17", official.Detail.GetString("loadgen_version"));

        // The result the official engine reads back from its logs matches what the logs say.
        Assert.Equal(official.Detail.GetInt64("result_query_count"), official.Result.QueryCount);
        Assert.Equal(official.Detail.GetInt64("result_max_latency_ns"), official.Result.SampleLatency!.MaxNs);
        switch (scenario)
        {
            case TestScenario.Offline:
                Assert.Equal(official.Summary.SamplesPerSecond!.Value, official.Result.SamplesPerSecond!.Value, 0.01 * official.Summary.SamplesPerSecond!.Value);
                break;
            case TestScenario.Server:
                Assert.Equal(official.Summary.CompletedSamplesPerSecond!.Value, official.Result.CompletedSamplesPerSecond!.Value, 0.01 * official.Summary.CompletedSamplesPerSecond!.Value);
                break;
            case TestScenario.SingleStream:
                Assert.Equal(official.Summary.QpsWithLoadgenOverhead!.Value, official.Result.QpsWithLoadgenOverhead!.Value, 0.01 * official.Summary.QpsWithLoadgenOverhead!.Value);
                Assert.Equal(official.Detail.GetInt64("early_stopping_latency_ss"), official.Result.EarlyStoppingLatencyNs);
                break;
            case TestScenario.MultiStream:
                Assert.Equal(official.Detail.GetInt64("result_max_query_latency_ns"), official.Result.QueryLatency!.MaxNs);
                break;
        }
    }

    [OfficialFact]
    public void AccuracyModeLogsTheSameSamplesWithTheSameDataInBothEngines()
    {
        using var dirs = new TempDir();
        var (native, official) = RunBoth(Short(TestScenario.Offline, TestMode.AccuracyOnly) with { MinDurationMs = 0 }, dirs);

        Assert.Equal(QslSize, native.Result.AccuracyLogEntries);
        Assert.Equal(QslSize, official.Result.AccuracyLogEntries);
        Assert.True(official.Result.IsValid);
        Assert.Null(official.Result.Performance);
        Assert.Equal(AccuracyEntries(native.Dir), AccuracyEntries(official.Dir));
    }

    [OfficialFact]
    public void InvalidRunsAreReportedWithLoadGensReasons()
    {
        using var dirs = new TempDir();
        // A 2 ms latency bound that a 20 µs-per-sample SUT far over its capacity cannot meet.
        var settings = Short(TestScenario.Server) with { ServerTargetQps = 200_000, ServerTargetLatencyNs = 2_000_000 };
        var official = Run(new OfficialLoadGen(build.ShimLibrary), settings, dirs.Path);

        Assert.False(official.Result.IsValid);
        Assert.False(official.Result.Performance!.PerfConstraintsMet);
        Assert.False(official.Summary.IsValid);
        Assert.NotEmpty(official.Result.InvalidReasons);
        Assert.Contains("latency", official.Result.Performance.PerfConstraintsRecommendation, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Equal as the checker's json.loads sees them: numbers by value (50000 == 50000.000000).</summary>
    private static bool SameJson(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number ? a.GetDouble() == b.GetDouble() : a.ToString() == b.ToString();

    private static string[] LogFiles(string dir) => Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string[] AccuracyEntries(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "mlperf_log_accuracy.json")));
        return doc.RootElement.EnumerateArray()
            .Select(e => $"{e.GetProperty("seq_id").GetInt64()}:{e.GetProperty("qsl_idx").GetInt64()}:{e.GetProperty("data").GetString()}")
            .ToArray();
    }
}
