using Automation.LoadGen;
using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Settings;
using Automation.Mlperf.Progress;
using Xunit;

namespace Automation.Mlperf.Tests.Progress;

/// <summary>Issue 16's progress of long runs: what the line says, how often it is shown, and that it counts what LoadGen ran.</summary>
public sealed class LoadGenProgressTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("progress-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RunProgress At(double seconds, long samples = 100) =>
        new("Offline", "performance", TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(600), 1, samples, 48_811.4);

    [Fact]
    public void The_line_names_scenario_mode_elapsed_against_the_minimum_queries_and_current_throughput()
    {
        Assert.Equal("Offline performance: 123 s / 600 s min, 1 query issued, 3,400,000 samples done, 48,811 samples/s", At(123.4, 3_400_000).Line);
        var accuracy = new RunProgress("Server", "accuracy", TimeSpan.FromSeconds(7), null, 2500, 2400, 499.6);
        Assert.Equal("Server accuracy: 7 s, 2,500 queries issued, 2,400 samples done, 500 samples/s", accuracy.Line);
        Assert.Equal(600.0, (double)At(1).ToJson()["min_duration_s"]!);
        Assert.Equal("progress", (string?)At(1).ToJson()["event"]);
    }

    [Fact]
    public void Without_a_terminal_a_line_is_shown_every_ten_seconds()
    {
        var output = new StringWriter();
        var sink = new ConsoleProgressSink(output, terminal: false, TimeSpan.FromSeconds(10));

        for (var s = 0.0; s <= 35; s += 1) sink.Report(At(s));
        sink.End();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0 s", "10 s", "20 s", "30 s"], lines.Select(l => l.Split(": ")[1].Split(" /")[0]));
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void On_a_terminal_one_live_line_is_rewritten_and_closed_at_the_end()
    {
        var output = new StringWriter();
        var sink = new ConsoleProgressSink(output, terminal: true, TimeSpan.FromSeconds(10));

        sink.Report(At(1));
        sink.Report(At(2));
        sink.End();

        Assert.Equal("\r\u001b[K" + At(1).Line + "\r\u001b[K" + At(2).Line + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void A_real_run_is_reported_while_it_runs_and_the_counts_are_what_LoadGen_ran()
    {
        var sink = new RecordingSink();
        var settings = new TestSettings { Scenario = TestScenario.Server, ServerTargetQps = 2000, MinDurationMs = 1500, MinQueryCount = 100 };
        LoadGen.Results.LoadGenResult result;
        RunProgress last;
        using (var progress = new LoadGenProgress(new NullSut(), settings, [sink], TimeSpan.FromMilliseconds(100)))
        {
            result = new NativeLoadGen().Run(progress.Sut, new InMemoryQsl(64, 64), settings, new LogSettings { OutputDirectory = _dir });
            last = progress.Snapshot();
        }

        // About 14 at a 100 ms tick; a busy 2-core CI box still gives its own thread a few.
        Assert.True(sink.Reports.Count >= 3, $"{sink.Reports.Count} reports in a 1.5 s run");
        Assert.True(sink.Ended);
        Assert.All(sink.Reports, r => Assert.Equal(("Server", "performance", TimeSpan.FromMilliseconds(1500)), (r.Scenario, r.Mode, r.MinDuration!.Value)));
        Assert.Equal(sink.Reports.OrderBy(r => r.Elapsed).Select(r => r.Elapsed), sink.Reports.Select(r => r.Elapsed));
        Assert.Contains(sink.Reports, r => r.SamplesPerSecond is > 500 and < 4000);
        Assert.Equal(result.QueryCount, last.QueriesIssued);
        Assert.Equal(result.SampleCount, last.SamplesCompleted);
        var afterEnd = sink.Reports.Count;
        Thread.Sleep(300);
        Assert.Equal(afterEnd, sink.Reports.Count);
    }

    private sealed class RecordingSink : IProgressSink
    {
        private readonly Lock _gate = new();
        private readonly List<RunProgress> _reports = [];
        public IReadOnlyList<RunProgress> Reports { get { lock (_gate) return [.. _reports]; } }
        public bool Ended { get; private set; }
        public void Report(RunProgress progress) { lock (_gate) _reports.Add(progress); }
        public void End() => Ended = true;
    }
}
