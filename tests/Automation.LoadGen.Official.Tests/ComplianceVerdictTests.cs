using System.Diagnostics;
using System.Text.Json;
using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Compliance;
using Automation.Mlperf.Tests.Submission;
using Xunit;

namespace Automation.LoadGen.Official.Tests;

/// <summary>
/// Issue 16's "compliance verdicts equal between native and official LoadGen on the same SUT": each engine runs the
/// SUT's submission runs (performance, accuracy) and then TEST01 and TEST04 with MLPerf's own audit.config, and MLPerf's
/// run_verification.py judges both. An honest SUT passes under both, a SUT that answers differently in performance
/// mode fails TEST01's accuracy check under both, and a SUT with a small result cache fails TEST04 under both.
/// Server runs at a fixed arrival rate, so its scores do not depend on how busy the machine is; its latency bound
/// is a generous 1 s so that a busy CI machine does not make a run INVALID (which the scripts report as FAIL).
/// </summary>
[Collection(OfficialCollection.Name)]
public sealed class ComplianceVerdictTests(OfficialLoadGenFixture build)
{
    private const string Model = "compliance-sut";
    private const string UserConf = """
        *.*.min_duration = 2000
        *.*.min_query_count = 100
        *.Server.target_qps = 2000
        *.Server.target_latency = 1000
        *.Offline.target_qps = 50000
        """;

    public enum Behaviour { Honest, WrongAnswersInPerformanceMode, SmallResultCache }

    [ComplianceEnginesTheory]
    [InlineData(Behaviour.Honest, TestScenario.Server, true, true)]
    [InlineData(Behaviour.WrongAnswersInPerformanceMode, TestScenario.Server, false, true)]
    public void TEST01_and_TEST04_verdicts_are_the_same_with_both_engines(Behaviour behaviour, TestScenario scenario, bool accuracyPasses, bool performancePasses)
    {
        using var dirs = new TempDir();
        var native = RunEngine(dirs.Path, "native", audit => new NativeLoadGen(auditConfigPath: audit), behaviour, scenario, tests: null);
        var official = RunEngine(dirs.Path, "official", audit => new OfficialLoadGen(build.ShimLibrary, audit), behaviour, scenario, tests: null);

        Assert.Equal(["TEST01", "TEST04"], native.Select(v => v.Test.Name));
        foreach (var (n, o) in native.Zip(official))
        {
            Assert.True((n.AccuracyPassed, n.PerformancePassed) == (o.AccuracyPassed, o.PerformancePassed),
                $"native {n.Describe()}, official {o.Describe()}\n{n.Output}\n{o.Output}\n{Summary(dirs.Path, "native", scenario, n.Test)}\n{Summary(dirs.Path, "official", scenario, n.Test)}");
            if (n.Test.ChecksAccuracy) Assert.Equal(accuracyPasses, n.AccuracyPassed);
            Assert.True(n.PerformancePassed == performancePasses, n.Describe() + "\n" + n.Output);
        }
        // Same seeds, same schedule, same sampling of responses into TEST01's accuracy log.
        Assert.Equal(SampledIndices(dirs.Path, "official", scenario), SampledIndices(dirs.Path, "native", scenario));
    }

    [ComplianceEnginesFact]
    public void A_SUT_that_caches_its_last_results_fails_TEST04_with_both_engines()
    {
        using var dirs = new TempDir();
        IReadOnlyList<ComplianceTest> test04 = [ComplianceTest.Test04];
        var native = Assert.Single(RunEngine(dirs.Path, "native", audit => new NativeLoadGen(auditConfigPath: audit), Behaviour.SmallResultCache, TestScenario.Offline, test04));
        var official = Assert.Single(RunEngine(dirs.Path, "official", audit => new OfficialLoadGen(build.ShimLibrary, audit), Behaviour.SmallResultCache, TestScenario.Offline, test04));

        Assert.False(native.Passed, native.Output);
        Assert.False(official.Passed, official.Output);
        Assert.Contains("TEST FAIL", File.ReadAllText(Path.Combine(native.OutputDir, ComplianceTest.VerifyPerformance)));
        Assert.Contains("TEST FAIL", File.ReadAllText(Path.Combine(official.OutputDir, ComplianceTest.VerifyPerformance)));
    }

    private static IReadOnlyList<ComplianceVerdict> RunEngine(string root, string engine, Func<string?, ILoadGenEngine> create, Behaviour behaviour,
        TestScenario scenario, IReadOnlyList<ComplianceTest>? tests)
    {
        var scenarioDir = Path.Combine(root, engine, Model, scenario.ToString());
        var sut = new ComplianceSut(TimeSpan.FromMicroseconds(20), behaviour);
        var qsl = new InMemoryQsl(256, 256);
        var settings = TestSettings.FromConfig(null, UserConf, Model, scenario);
        foreach (var (dir, mode) in new[] { (Path.Combine(scenarioDir, "performance", "run_1"), TestMode.PerformanceOnly), (Path.Combine(scenarioDir, "accuracy"), TestMode.AccuracyOnly) })
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "user.conf"), UserConf);
            var result = create(null).Run(sut, qsl, settings with { Mode = mode }, new LogSettings { OutputDirectory = dir });
            Assert.True(result.IsValid, $"{engine} {mode}: {string.Join("; ", result.InvalidReasons)}");
        }
        sut.InComplianceRun = true;
        var runner = new ComplianceRunner(OfficialCompliance.Scripts(root), OfficialCompliance.Verifier(root),
            (audit, s, dir) => create(audit).Run(sut, qsl, s, new LogSettings { OutputDirectory = dir }), _ => { });
        return runner.RunAsync(new ComplianceRequest(scenarioDir, Model, "resnet", scenario, "int32", tests)).GetAwaiter().GetResult();
    }

    private static string Summary(string root, string engine, TestScenario scenario, ComplianceTest test) =>
        File.ReadAllText(Path.Combine(test.RunDir(Path.Combine(root, engine, Model, scenario.ToString())), "mlperf_log_summary.txt"));

    private static int[] SampledIndices(string root, string engine, TestScenario scenario)
    {
        using var log = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, engine, Model, scenario.ToString(), "TEST01", "accuracy", "mlperf_log_accuracy.json")));
        return log.RootElement.EnumerateArray().Select(e => e.GetProperty("seq_id").GetInt32()).Order().ToArray();
    }

    /// <summary>
    /// Busy-waits a fixed time per sample and answers the sample's index (4 bytes). Wrong answers: in compliance runs
    /// it answers 0, as a SUT would that skipped work outside accuracy mode. Small result cache: a sample among the
    /// last 8 answered is answered at once, which a run of 256 distinct samples never hits and TEST04's single
    /// sample always does.
    /// </summary>
    private sealed class ComplianceSut(TimeSpan perSample, Behaviour behaviour) : ISystemUnderTest
    {
        private readonly long _ticks = (long)(perSample.TotalSeconds * Stopwatch.Frequency);
        private readonly Queue<int> _recent = new();
        private readonly Lock _lock = new();

        public bool InComplianceRun { get; set; }
        public string Name => "ComplianceSUT";

        public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
        {
            var one = new QuerySampleResponse[1];
            for (var i = 0; i < samples.Count; i++)
            {
                if (!Cached(samples[i].Index))
                {
                    var until = Stopwatch.GetTimestamp() + _ticks;
                    while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
                }
                var answer = behaviour == Behaviour.WrongAnswersInPerformanceMode && InComplianceRun ? 0 : samples[i].Index;
                one[0] = new QuerySampleResponse(samples[i].Id, BitConverter.GetBytes(answer));
                completer.QuerySamplesComplete(one);
            }
        }

        private bool Cached(int index)
        {
            if (behaviour != Behaviour.SmallResultCache) return false;
            lock (_lock)
            {
                if (_recent.Contains(index)) return true;
                _recent.Enqueue(index);
                if (_recent.Count > 8) _recent.Dequeue();
                return false;
            }
        }

        public void FlushQueries()
        {
        }
    }
}

/// <summary>Skipped, with the reason, where the official LoadGen cannot be built or MLPerf's compliance scripts cannot run.</summary>
public sealed class ComplianceEnginesFactAttribute : FactAttribute
{
    public ComplianceEnginesFactAttribute()
    {
        if ((TestRepo.OfficialSkipReason ?? OfficialCompliance.Unavailable) is { } reason) Skip = reason;
    }
}

public sealed class ComplianceEnginesTheoryAttribute : TheoryAttribute
{
    public ComplianceEnginesTheoryAttribute()
    {
        if ((TestRepo.OfficialSkipReason ?? OfficialCompliance.Unavailable) is { } reason) Skip = reason;
    }
}
