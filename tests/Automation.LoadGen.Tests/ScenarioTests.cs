using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class ScenarioTests : IDisposable
{
    private const ulong QslSeed = 2085463073848966840UL;
    private const ulong SampleSeed = 2747215439041700203UL;
    private const ulong ScheduleSeed = 16159082839903944936UL;
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(1_000_000_000);

    public void Dispose() => _dir.Dispose();

    private LoadGenResult Run(ISystemUnderTest sut, TestSettings settings, IQuerySampleLibrary? qsl = null) =>
        new NativeLoadGen(_clock).Run(sut, qsl ?? new InMemoryQsl(1024, 1024), settings, new LogSettings { OutputDirectory = _dir.Path });

    private DetailLogReader Detail() => DetailLogReader.ReadFile(Path.Combine(_dir.Path, "mlperf_log_detail.txt"));

    [Fact]
    public void SingleStreamIssuesNextQueryWhenPreviousCompletesAndStopsAtDurationAndCount()
    {
        var sut = new TimedSut(_clock, 1_000_000);
        var result = Run(sut, new TestSettings { MinDurationMs = 100, MinQueryCount = 10, SingleStreamExpectedLatencyNs = 1_000_000 });

        Assert.Equal(101, sut.Queries.Count);
        Assert.All(sut.Queries, q => Assert.Single(q));
        Assert.Equal(Enumerable.Range(0, 101).Select(i => 1_000_000_000L + i * 1_000_000L), sut.IssueTimes);
        Assert.Equal(1, sut.Flushes);
        Assert.True(result.IsValid);
        Assert.Equal(1_000_000, result.SampleLatency!.MinNs);
        Assert.Equal(1_000_000, result.SampleLatency.MaxNs);
        Assert.Equal(1000.0, result.QpsWithLoadgenOverhead!.Value, 6);
        Assert.Equal(1_000_000, result.EarlyStoppingLatencyNs);
        Assert.Equal(201, Detail().GetInt64("generated_query_count"));
    }

    [Fact]
    public void SingleStreamDrawsTheSamplesTheCppLoadGenDraws()
    {
        var sut = new TimedSut(_clock, 1_000_000);
        Run(sut, new TestSettings { MinDurationMs = 10, MinQueryCount = 6, QslRngSeed = QslSeed, SampleIndexRngSeed = SampleSeed });
        Assert.Equal([784, 618, 960, 248, 513, 635], sut.Queries.Take(6).Select(q => q[0].Index).ToArray());
    }

    [Fact]
    public void SingleStreamThatRunsOutOfGeneratedQueriesIsInvalidWithAnError()
    {
        var sut = new TimedSut(_clock, 1_000_000);
        var result = Run(sut, new TestSettings { MinDurationMs = 100, MinQueryCount = 10, SingleStreamExpectedLatencyNs = 10_000_000 });
        Assert.Equal(21, sut.Queries.Count);
        Assert.False(result.IsValid);
        Assert.False(result.Performance!.MinDurationMet);
        Assert.Equal(1, result.ErrorCount);
        Assert.Contains(result.Errors, e => e.StartsWith("Ending early: Ran out of generated queries", StringComparison.Ordinal));
    }

    [Fact]
    public void MultiStreamQueriesAreContiguousRunsOfTheLoadedSet()
    {
        var qsl = new RecordingQsl(100, 50);
        var sut = new TimedSut(_clock, 2_000_000);
        var result = Run(sut, new TestSettings { Scenario = TestScenario.MultiStream, MinDurationMs = 50, MinQueryCount = 20, MultiStreamExpectedLatencyNs = 2_000_000 }, qsl);

        var loaded = qsl.LoadedSets.Single();
        Assert.Equal(50 + 7, loaded.Length);
        Assert.Equal(loaded[..7], loaded[50..]);
        foreach (var query in sut.Queries)
        {
            Assert.Equal(8, query.Length);
            var start = FindWindow(loaded, query.Select(s => s.Index).ToArray());
            Assert.True(start is >= 0 and < 50, "each query is 8 consecutive entries of the padded set");
        }
        Assert.Equal(2_000_000, result.QueryLatency!.MaxNs);
        Assert.Equal(sut.Queries.Count * 8, result.SampleCount);
    }

    [Fact]
    public void ServerIssuesAtPoissonTimestampsFromTheScheduleSeed()
    {
        var sut = new TimedSut(_clock, 0);
        var result = Run(sut, new TestSettings { Scenario = TestScenario.Server, ServerTargetQps = 1000, MinDurationMs = 1000, MinQueryCount = 10, ScheduleRngSeed = ScheduleSeed });

        var gaps = sut.IssueTimes.Zip(sut.IssueTimes.Skip(1), (a, b) => b - a).Take(5).ToArray();
        Assert.Equal(1_000_000_000L, sut.IssueTimes[0]);
        Assert.Equal([1843654L, 457923, 1285862, 712994, 386406], gaps);
        Assert.Equal(0, result.SampleLatency!.MaxNs);
        Assert.True(result.Performance!.FinalQueryScheduledSeconds >= 1.0);
        // About 1000 queries, none over latency: early stopping at p99 needs 459.
        Assert.True(result.IsValid);
        Assert.Equal(Detail().GetInt64("generated_query_count"), sut.Queries.Count);
    }

    [Fact]
    public void ServerLatencyCountsIssueDelayAndFailsTheBound()
    {
        // Each query takes 5 ms at 1000 QPS: the issuer falls further behind the schedule with every query.
        var sut = new TimedSut(_clock, 5_000_000);
        var result = Run(sut, new TestSettings { Scenario = TestScenario.Server, ServerTargetQps = 1000, MinDurationMs = 100, MinQueryCount = 10, ServerTargetLatencyNs = 20_000_000 });
        Assert.False(result.IsValid);
        Assert.False(result.Performance!.PerfConstraintsMet);
        Assert.True(result.SampleLatency!.MaxNs > 100_000_000);
        var summary = SummaryParser.ParseFile(Path.Combine(_dir.Path, "mlperf_log_summary.txt"));
        Assert.False(summary.IsValid);
        Assert.Equal("NO", summary.Results["Performance constraints satisfied"]);
    }

    [Fact]
    public void ServerStopsAtMaxQueryCountWithAnError()
    {
        var sut = new TimedSut(_clock, 0);
        var result = Run(sut, new TestSettings { Scenario = TestScenario.Server, ServerTargetQps = 1000, MinDurationMs = 100, MaxQueryCount = 7 });
        Assert.Equal(7, sut.Queries.Count);
        Assert.Contains(result.Errors, e => e.Contains("Max query count reached", StringComparison.Ordinal));
    }

    [Fact]
    public void OfflineSendsOneQueryRepeatingTheLoadedSet()
    {
        var qsl = new RecordingQsl(100, 40);
        var sut = new TimedSut(_clock, 250_000_000);
        var result = Run(sut, new TestSettings { Scenario = TestScenario.Offline, OfflineExpectedQps = 500, MinDurationMs = 200 }, qsl);

        var query = Assert.Single(sut.Queries);
        Assert.Equal(110, query.Length);
        var loaded = qsl.LoadedSets.Single();
        Assert.Equal(Enumerable.Range(0, 110).Select(i => loaded[i % 40]), query.Select(s => s.Index));
        Assert.Equal(110 / 0.25, result.SamplesPerSecond!.Value, 6);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void AccuracyModeIssuesEverySampleOncePerLoadableSet()
    {
        var qsl = new RecordingQsl(100, 30);
        var sut = new TimedSut(_clock, 1000, s => [(byte)s.Index, 0xAB]);
        var result = Run(sut, new TestSettings { Mode = TestMode.AccuracyOnly, MinDurationMs = 10_000 }, qsl);

        Assert.Equal([30, 30, 30, 10], qsl.LoadedSets.Select(s => s.Length));
        Assert.Equal(Enumerable.Range(0, 100), sut.Queries.Select(q => q[0].Index).Order());
        Assert.Equal(100, result.AccuracyLogEntries);
        Assert.Null(result.Performance);
        Assert.True(result.IsValid);
        var log = File.ReadAllText(Path.Combine(_dir.Path, "mlperf_log_accuracy.json"));
        Assert.Contains($"\"data\" : \"{sut.Queries[0][0].Index:X2}AB\"", log);
    }

    [Fact]
    public void OfflineAccuracyIsOneQueryPerSet()
    {
        var qsl = new RecordingQsl(50, 20);
        var sut = new TimedSut(_clock, 1000);
        Run(sut, new TestSettings { Scenario = TestScenario.Offline, Mode = TestMode.AccuracyOnly }, qsl);
        Assert.Equal([20, 20, 10], sut.Queries.Select(q => q.Length));
        Assert.Equal(Enumerable.Range(0, 50), sut.Queries.SelectMany(q => q).Select(s => s.Index).Order());
    }

    [Fact]
    public void SubmissionRunDoesAccuracyThenPerformanceWithContinuingSequenceIds()
    {
        var qsl = new RecordingQsl(20, 20);
        var sut = new TimedSut(_clock, 1_000_000);
        var result = Run(sut, new TestSettings { Mode = TestMode.SubmissionRun, MinDurationMs = 100, MinQueryCount = 64, SingleStreamExpectedLatencyNs = 1_000_000 }, qsl);
        Assert.Equal(20, result.AccuracyLogEntries);
        Assert.NotNull(result.Performance);
        // The performance pass's first id follows the accuracy pass's 20 samples.
        Assert.Equal(21UL, sut.Queries[20][0].Id);
    }

    [Fact]
    public void FindPeakPerformanceSettlesBetweenPassingAndFailingRates()
    {
        var sut = new TimedSut(_clock, 1_000_000);
        var result = Run(sut, new TestSettings
        {
            Scenario = TestScenario.Server,
            Mode = TestMode.FindPeakPerformance,
            ServerTargetQps = 100,
            ServerTargetLatencyNs = 10_000_000,
            ServerFindPeakQpsDecimalsOfPrecision = 0,
            MinDurationMs = 500,
            MinQueryCount = 10,
        });
        Assert.NotNull(result.PeakTargetQps);
        Assert.InRange(result.PeakTargetQps!.Value, 100, 1000);
        Assert.True(result.Performance!.PerfConstraintsMet);
        Assert.Contains(Detail().All("generic_message"), e => e.Value.GetString()!.StartsWith("FindPeakPerformance: Found peak performance field", StringComparison.Ordinal));
    }

    [Fact]
    public void CompletionsFromOtherThreadsAreCounted()
    {
        var sut = new ThreadPoolSut();
        var engine = new NativeLoadGen();
        var log = new LogSettings { OutputDirectory = _dir.Path };
        var ss = engine.Run(sut, new InMemoryQsl(64, 64), new TestSettings { MinDurationMs = 20, MinQueryCount = 100, SingleStreamExpectedLatencyNs = 10_000 }, log);
        Assert.Equal(sut.Issued, ss.QueryCount);
        var server = engine.Run(sut, new InMemoryQsl(64, 64), new TestSettings { Scenario = TestScenario.Server, ServerTargetQps = 5000, MinDurationMs = 20, MinQueryCount = 50 }, log);
        Assert.Equal(server.QueryCount, server.SampleCount);
        Assert.True(server.QueryCount >= 50);
        Assert.Equal(0, server.ErrorCount);
    }

    private static int FindWindow(int[] haystack, int[] window)
    {
        for (var i = 0; i + window.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, window.Length).SequenceEqual(window)) return i;
        }
        return -1;
    }

    private sealed class RecordingQsl(int total, int performance) : IQuerySampleLibrary
    {
        public List<int[]> LoadedSets { get; } = [];
        public string Name => "RecordingQSL";
        public int TotalSampleCount => total;
        public int PerformanceSampleCount => performance;
        public void LoadSamplesToRam(IReadOnlyList<int> sampleIndices) => LoadedSets.Add(sampleIndices.ToArray());
        public void UnloadSamplesFromRam(IReadOnlyList<int> sampleIndices) { }
    }
}
