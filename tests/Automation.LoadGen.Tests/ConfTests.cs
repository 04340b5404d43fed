using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class ConfTests
{
    private const string EmptyMlperf = "";

    private static TestSettings User(string conf, string model = "resnet50", TestScenario scenario = TestScenario.Server) =>
        TestSettings.FromConfig(EmptyMlperf, conf, model, scenario);

    [Fact]
    public void LookupPrefersModelAndScenarioThenWildcardModelThenWildcardScenario()
    {
        const string conf = """
            *.*.min_query_count = 1
            resnet50.*.min_query_count = 2
            *.Server.min_query_count = 3
            resnet50.Server.min_query_count = 4
            """;
        Assert.Equal(4UL, User(conf).MinQueryCount);
        Assert.Equal(3UL, User(conf, model: "bert").MinQueryCount);
        Assert.Equal(2UL, User(conf, scenario: TestScenario.Offline).MinQueryCount);
        Assert.Equal(1UL, User(conf, model: "bert", scenario: TestScenario.Offline).MinQueryCount);
    }

    [Fact]
    public void LastOccurrenceInAFileWins() =>
        Assert.Equal(7UL, User("*.*.min_query_count = 5\n*.*.min_query_count = 7").MinQueryCount);

    [Fact]
    public void UserConfOverridesMlperfConfButNotItsSeeds()
    {
        const string mlperf = "*.*.min_duration = 600000\n*.*.qsl_rng_seed = 42\n*.*.accuracy_log_probability = 5";
        const string user = "*.*.min_duration = 1000\n*.*.qsl_rng_seed = 7\n*.*.accuracy_log_probability = 50";
        var s = TestSettings.FromConfig(mlperf, user, "m", TestScenario.Offline);
        Assert.Equal(1000UL, s.MinDurationMs);
        Assert.Equal(42UL, s.QslRngSeed);
        Assert.Equal(0.05, s.AccuracyLogProbability, 12);
    }

    [Fact]
    public void UnitsConvertMillisecondsAndPercent()
    {
        const string conf = """
            *.Server.target_latency = 15
            *.Server.target_latency_percentile = 99.9
            *.SingleStream.target_latency = 0.5
            *.MultiStream.target_latency = 80
            *.Offline.target_qps = 1234.5
            """;
        var s = User(conf);
        Assert.Equal(15_000_000UL, s.ServerTargetLatencyNs);
        Assert.Equal(0.999, s.ServerTargetLatencyPercentile, 12);
        Assert.Equal(500_000.0, s.SingleStreamExpectedLatencyNs);
        Assert.Equal(80_000_000.0, s.MultiStreamExpectedLatencyNs);
        Assert.Equal(1234.5, s.OfflineExpectedQps);
    }

    [Fact]
    public void ScenarioSpecificKeysAreReadWhateverTheRunScenario()
    {
        var s = User("*.SingleStream.target_latency = 2", scenario: TestScenario.Offline);
        Assert.Equal(2_000_000.0, s.SingleStreamExpectedLatencyNs);
        Assert.Equal(TestScenario.Offline, s.Scenario);
    }

    [Fact]
    public void IntegerKeysReadLikeStrtoull()
    {
        // LoadGen reads target_latency as an integer, so a fractional millisecond value truncates.
        Assert.Equal(0UL, User("*.Server.target_latency = 0.5").ServerTargetLatencyNs);
        Assert.Equal(16UL, User("*.*.min_query_count = 0x10").MinQueryCount);
        Assert.Equal(8UL, User("*.*.min_query_count = 010").MinQueryCount);
    }

    [Fact]
    public void CommentTokensAndMalformedLinesFollowLoadGen()
    {
        var s = User("""
            # a comment line
            *.*.min_query_count = 9 2
            *.*.max_query_count=5
            # *.*.min_duration = 1
            """);
        Assert.Equal(2UL, s.MinQueryCount);
        Assert.Equal(0UL, s.MaxQueryCount);
        Assert.Equal(10_000UL, s.MinDurationMs);
    }

    [Theory]
    [InlineData("*.*.min_query_count = abc", "value needs to be integer or double, line=1")]
    [InlineData("\n*.*.min_query_count : 5", "expected 'key=value', line=2")]
    [InlineData("*.*.min_query_count = 5 # trailing", "value needs to be integer or double, line=1")]
    public void BadLinesAreRejected(string conf, string error)
    {
        var ex = Assert.Throws<LoadGenConfigException>(() => User(conf));
        Assert.Contains(error, ex.Errors);
    }

    [Fact]
    public void ModeKeySelectsTestMode()
    {
        Assert.Equal(TestMode.AccuracyOnly, User("*.*.mode = 1").Mode);
        Assert.Equal(TestMode.FindPeakPerformance, User("*.*.mode = 3").Mode);
        Assert.Throws<LoadGenConfigException>(() => User("*.*.mode = 9"));
    }

    [Fact]
    public void EmbeddedMlperfConfHasTheOfficialValues()
    {
        var offline = TestSettings.FromConfig(null, null, "resnet50", TestScenario.Offline);
        Assert.Equal(2085463073848966840UL, offline.QslRngSeed);
        Assert.Equal(2747215439041700203UL, offline.SampleIndexRngSeed);
        Assert.Equal(16159082839903944936UL, offline.ScheduleRngSeed);
        Assert.Equal(600_000UL, offline.MinDurationMs);
        Assert.Equal(24576UL, offline.MinQueryCount);
        Assert.Equal(1024UL, offline.PerformanceSampleCountOverride);

        var server = TestSettings.FromConfig(null, null, "resnet50", TestScenario.Server);
        Assert.Equal(15_000_000UL, server.ServerTargetLatencyNs);
        Assert.Equal(0.99, server.ServerTargetLatencyPercentile, 12);

        var multi = TestSettings.FromConfig(null, null, "retinanet", TestScenario.MultiStream);
        Assert.Equal(528_000_000.0, multi.MultiStreamExpectedLatencyNs);
        Assert.Equal(662UL, multi.MinQueryCount);
        Assert.Equal(8UL, multi.MultiStreamSamplesPerQuery);

        var llm = TestSettings.FromConfig(null, null, "llama2-70b", TestScenario.Server);
        Assert.True(llm.UseTokenLatencies);
        Assert.True(llm.SampleConcatenatePermutation);
        Assert.Equal(2_000_000_000UL, llm.ServerTtftLatency);
    }

    [Fact]
    public void AuditConfigIsReadWithWildcardModel()
    {
        var audit = ConfFile.Parse("*.*.accuracy_log_sampling_target = 4096\n*.*.accuracy_log_rng_seed = 720381539243781796\n*.*.qsl_rng_seed = 1");
        var s = ConfReader.Apply(new TestSettings(), audit, "*", "Offline", ConfSource.AuditConfig);
        Assert.Equal(4096UL, s.AccuracyLogSamplingTarget);
        Assert.Equal(720381539243781796UL, s.AccuracyLogRngSeed);
        Assert.Equal(0UL, s.QslRngSeed);
    }
}
