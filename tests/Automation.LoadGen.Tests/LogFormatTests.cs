using System.Text.Json;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class LogFormatTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(5_000_000_000);

    public void Dispose() => _dir.Dispose();

    private Results.LoadGenResult RunSingleStream(LogSettings? log = null)
    {
        var sut = new TimedSut(_clock, 1_500_000, s => [0x0A, (byte)s.Index]);
        return new NativeLoadGen(_clock).Run(sut, new Benchmark.InMemoryQsl(256, 128),
            new TestSettings { MinDurationMs = 200, MinQueryCount = 100, SingleStreamExpectedLatencyNs = 1_000_000, AccuracyLogProbability = 0.1 },
            log ?? new LogSettings { OutputDirectory = _dir.Path });
    }

    [Fact]
    public void SummaryReadsBackToTheResultsFigures()
    {
        var result = RunSingleStream();
        var summary = SummaryParser.ParseFile(Path.Combine(_dir.Path, "mlperf_log_summary.txt"));

        Assert.Equal("TimedSUT", summary.SutName);
        Assert.Equal("SingleStream", summary.Scenario);
        Assert.Equal("PerformanceOnly", summary.Mode);
        Assert.True(summary.IsValid);
        Assert.Equal(result.Performance!.TargetPercentileLatencyNs, summary.TargetPercentileLatencyNs);
        Assert.Equal(Math.Round(result.QpsWithLoadgenOverhead!.Value, 2), summary.QpsWithLoadgenOverhead);
        Assert.Equal(result.SampleLatency!.MinNs, summary.MinLatencyNs);
        Assert.Equal(result.SampleLatency.MeanNs, summary.MeanLatencyNs);
        Assert.Equal(result.SampleLatency[0.999], summary.PercentileLatencyNs(99.9));
        Assert.Equal(result.EarlyStoppingLatencyNs, summary.EarlyStoppingEstimateNs(90.0));
        Assert.Equal("1", summary.TestParameters["samples_per_query"]);
        Assert.Equal("1000", summary.TestParameters["target_qps"]);
        Assert.Equal("0.1", summary.TestParameters["accuracy_log_probability"]);
        Assert.Equal("0", summary.TestParameters["print_timestamps"]);
    }

    [Fact]
    public void SummaryHasLoadGensSectionsInOrder()
    {
        RunSingleStream();
        var text = File.ReadAllText(Path.Combine(_dir.Path, "mlperf_log_summary.txt"));
        string[] markers =
        [
            "================================================\nMLPerf Results Summary\n================================================\nSUT name : TimedSUT\n",
            "Scenario : SingleStream\nMode     : PerformanceOnly\n90.0th percentile latency (ns) : 1500000\nResult is : VALID\n",
            "  Min duration satisfied : Yes\n  Min queries satisfied : Yes\n  Early stopping satisfied: Yes\nEarly Stopping Result:\n * Processed at least 64 queries (",
            "\n\n================================================\nAdditional Stats\n================================================\nQPS w/ loadgen overhead         : ",
            "\n\nMin latency (ns)                : 1500000\n",
            "99.90 percentile latency (ns)   : 1500000\n\n================================================\nTest Parameters Used\n",
            "accuracy_sample_count : 256\n\nNo warnings encountered during test.\n\nNo errors encountered during test.\n",
        ];
        var position = 0;
        foreach (var marker in markers)
        {
            var found = text.IndexOf(marker, position, StringComparison.Ordinal);
            Assert.True(found >= 0, $"missing in order: {marker}");
            position = found + marker.Length;
        }
    }

    [Fact]
    public void EveryDetailLineIsJsonWithTheKeysTheCheckerReads()
    {
        RunSingleStream();
        var lines = File.ReadAllLines(Path.Combine(_dir.Path, "mlperf_log_detail.txt"));
        Assert.All(lines, line =>
        {
            Assert.StartsWith(":::MLLOG ", line);
            using var doc = JsonDocument.Parse(line[":::MLLOG ".Length..]);
            Assert.Equal("mlperf::logging", doc.RootElement.GetProperty("namespace").GetString());
        });

        var detail = DetailLogReader.ReadFile(Path.Combine(_dir.Path, "mlperf_log_detail.txt"));
        Assert.Contains("native", detail.GetString("loadgen_version"));
        Assert.Equal("native", detail.GetString("loadgen_engine"));
        Assert.Equal("NA", detail.GetString("loadgen_git_status_message"));
        Assert.Equal("SingleStream", detail.GetString("effective_scenario"));
        Assert.Equal(200, detail.GetInt64("effective_min_duration_ms"));
        Assert.Equal(1, detail.GetInt64("effective_samples_per_query"));
        Assert.Equal(128, detail.GetInt64("effective_performance_sample_count"));
        Assert.Equal(0, detail.GetInt64("effective_target_latency_ns"));
        Assert.Equal(0UL, detail.GetUInt64("effective_schedule_rng_seed"));
        Assert.True(detail.Contains("effective_qsl_rng_seed") && detail.Contains("effective_sample_index_rng_seed"));
        Assert.Equal("VALID", detail.GetString("result_validity"));
        Assert.True(detail.GetBoolean("early_stopping_met"));
        Assert.Equal(1_500_000, detail.GetInt64("early_stopping_latency_ss"));
        Assert.Equal(1_500_000, detail.GetInt64("result_99.90_percentile_latency_ns"));
        Assert.Equal(0, detail.GetInt64("num_errors"));
        Assert.Equal(128, detail["loaded_qsl_set"].GetArrayLength());
        Assert.Equal(0, detail.ErrorCount);
        Assert.True(detail.Contains("power_begin") && detail.Contains("power_end") && detail.Contains("test_datetime"));
    }

    [Fact]
    public void DetailDoublesAreWrittenLikeStdToString()
    {
        RunSingleStream();
        var text = File.ReadAllText(Path.Combine(_dir.Path, "mlperf_log_detail.txt"));
        Assert.Contains("\"key\": \"effective_target_qps\", \"value\": 1000.000000,", text);
        Assert.Contains("\"key\": \"requested_single_stream_target_latency_percentile\", \"value\": 0.900000,", text);
        Assert.Contains("\"key\": \"effective_print_timestamps\", \"value\": false,", text);
    }

    [Fact]
    public void PerformanceModeSamplesTheAccuracyLogAndWritesItInLoadGensFormat()
    {
        var result = RunSingleStream();
        var text = File.ReadAllText(Path.Combine(_dir.Path, "mlperf_log_accuracy.json"));
        Assert.StartsWith("[\n{ \"seq_id\" : ", text);
        Assert.EndsWith(" }\n]\n", text);
        using var doc = JsonDocument.Parse(text);
        var entries = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(result.AccuracyLogEntries, entries.Length);
        // Probability 0.1 over ~134 samples: some but not all are logged.
        Assert.InRange(entries.Length, 1, (int)result.SampleCount - 1);
        foreach (var e in entries)
        {
            var data = e.GetProperty("data").GetString()!;
            Assert.Equal($"0A{e.GetProperty("qsl_idx").GetInt32():X2}", data);
        }
    }

    [Fact]
    public void AccuracyLogFormatIsExact()
    {
        var log = new AccuracyLog();
        log.Record(11250, 4708, [0xC6, 0x08, 0x00, 0xab]);
        log.Record(2, 7, []);
        var writer = new StringWriter();
        log.WriteTo(writer);
        Assert.Equal("[\n{ \"seq_id\" : 11250, \"qsl_idx\" : 4708, \"data\" : \"C60800AB\" },\n{ \"seq_id\" : 2, \"qsl_idx\" : 7, \"data\" : \"\" }\n]\n", writer.ToString());

        var empty = new StringWriter();
        new AccuracyLog().WriteTo(empty);
        Assert.Equal("[\n]\n", empty.ToString());
    }

    [Fact]
    public void FileNamesFollowPrefixAndSuffixAndTraceIsOptional()
    {
        RunSingleStream(new LogSettings { OutputDirectory = _dir.Path, Prefix = "run_", Suffix = "_x", EnableTrace = true });
        foreach (var name in new[] { "run_summary_x.txt", "run_detail_x.txt", "run_accuracy_x.json", "run_trace_x.json" })
        {
            Assert.True(File.Exists(Path.Combine(_dir.Path, name)), name);
        }
        using var trace = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "run_trace_x.json")));
        Assert.True(trace.RootElement.GetProperty("traceEvents").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData(369.007, "369.007")]
    [InlineData(1e6, "1e+06")]
    [InlineData(2.16e7, "2.16e+07")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.23457e+06")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.0, "0")]
    public void GeneralFormatMatchesOstreamDefaults(double value, string expected) =>
        Assert.Equal(expected, CppFormat.General(value));

    [Fact]
    public void DetailReaderAcceptsLoadGensInfinity()
    {
        var reader = DetailLogReader.Parse(":::MLLOG {\"key\": \"result_qps_without_loadgen_overhead\", \"value\": Infinity, \"time_ms\": 1.000000, \"namespace\": \"mlperf::logging\", \"event_type\": \"POINT_IN_TIME\", \"metadata\": {\"is_error\": false, \"is_warning\": false, \"file\": \"results.cc\", \"line_no\": 1, \"pid\": 1, \"tid\": 1}}\n");
        Assert.Equal("Infinity", reader.GetString("result_qps_without_loadgen_overhead"));
    }
}
