using System.Globalization;
using Automation.LoadGen.Logging;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;

namespace Automation.LoadGen.Scenarios;

/// <summary>The passes of one test (LoadGen's RunAccuracyMode / RunPerformanceMode), sharing logs and sequence ids.</summary>
internal sealed class TestRun(
    ISystemUnderTest sut, IQuerySampleLibrary qsl, DetailLog detail, AccuracyLog accuracy, TraceLog trace,
    ILoadGenClock clock, TimeProvider wallClock)
{
    private readonly SequenceState _sequence = new();

    public DetailLog Detail => detail;
    public AccuracyLog Accuracy => accuracy;
    public TraceLog Trace => trace;

    /// <summary>Every sample of the accuracy set once, one loadable set at a time.</summary>
    public void RunAccuracy(EffectiveSettings settings)
    {
        detail.Log("generic_message", "Starting accuracy mode");
        foreach (var set in LoadableSets.Generate(settings, qsl.TotalSampleCount, (long)settings.AccuracySampleCount))
        {
            Pass(settings, set, accuracyMode: true);
        }
    }

    /// <summary>One performance pass over the first loadable set, analysed.</summary>
    public PerformanceFigures RunPerformance(EffectiveSettings settings, bool announce = true)
    {
        if (announce) detail.Log("generic_message", "Starting performance mode");
        var set = LoadableSets.Generate(settings, qsl.TotalSampleCount, (long)settings.PerformanceSampleCount)[0];
        var record = Pass(settings, set, accuracyMode: false);
        var analysisStart = clock.NowNs();
        var figures = PerformanceAnalysis.Analyze(settings, record, sut.Name);
        trace.Span("Results", analysisStart, clock.NowNs());
        return figures;
    }

    private SessionRecord Pass(EffectiveSettings settings, LoadableSet set, bool accuracyMode)
    {
        var loadStart = clock.NowNs();
        detail.Log("loaded_qsl_set", set.Samples);
        qsl.LoadSamplesToRam(set.Samples);
        trace.Span("LoadSamples", loadStart, clock.NowNs());

        var session = new IssueSession(sut, settings, set, accuracyMode, clock, detail, accuracy, _sequence, wallClock);
        var issueStart = clock.NowNs();
        var record = session.Run();
        trace.Span(accuracyMode ? "AccuracyPass" : "PerformancePass", issueStart, clock.NowNs());
        if (!accuracyMode) LogPower(record);

        var unloadStart = clock.NowNs();
        qsl.UnloadSamplesFromRam(set.Samples);
        trace.Span("UnloadSamples", unloadStart, clock.NowNs());
        return record;
    }

    /// <summary>power_begin/power_end bracket the time the SUT was busy, for the power checker.</summary>
    private void LogPower(SessionRecord record)
    {
        const string format = "MM-dd-yyyy HH:mm:ss.fff";
        var active = TimeSpan.FromTicks(Math.Max(0, record.MaxCompletionNs - record.StartNs) / 100);
        detail.Log("power_begin", record.StartWallClock.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
        detail.Log("power_end", (record.StartWallClock + active).UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
    }
}
