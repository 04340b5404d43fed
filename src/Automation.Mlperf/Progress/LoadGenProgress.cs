using System.Diagnostics;
using Automation.LoadGen;
using Automation.LoadGen.Settings;

namespace Automation.Mlperf.Progress;

/// <summary>
/// Watches one LoadGen run: the engine runs <see cref="Sut"/>, a counting wrapper of the real SUT, while a thread
/// reports <see cref="RunProgress"/> to the sinks once a <paramref name="tick"/>. Works for both LoadGen engines,
/// since both call the SUT. Disposing stops the thread and closes live lines.
/// </summary>
public sealed class LoadGenProgress : IDisposable
{
    private readonly CountingSut _sut;
    private readonly IReadOnlyList<IProgressSink> _sinks;
    private readonly string _scenario;
    private readonly string _mode;
    private readonly TimeSpan? _minDuration;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread? _reporter;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Lock _gate = new();
    private (TimeSpan At, long Samples) _last;
    private bool _ended;
    private int _disposed;

    public LoadGenProgress(ISystemUnderTest sut, TestSettings settings, IReadOnlyList<IProgressSink> sinks, TimeSpan tick)
    {
        _sut = new CountingSut(sut);
        _sinks = sinks;
        _scenario = settings.Scenario.ToString();
        _mode = settings.Mode switch { TestMode.AccuracyOnly => "accuracy", TestMode.FindPeakPerformance => "find-peak", _ => "performance" };
        _minDuration = settings.Mode == TestMode.AccuracyOnly ? null : TimeSpan.FromMilliseconds(settings.MinDurationMs);
        if (sinks.Count == 0) return;
        // A thread of its own, not a pool timer: a SUT or a busy test host that saturates the thread pool must not
        // silence the progress line of a run that is going well.
        _reporter = new Thread(() => { while (!_stop.Wait(tick)) Report(); }) { IsBackground = true, Name = "loadgen-progress" };
        _reporter.Start();
    }

    public ISystemUnderTest Sut => _sut;

    /// <summary>Where the run stands now; current speed over the time since the last snapshot.</summary>
    public RunProgress Snapshot()
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var done = _sut.SamplesCompleted;
            var seconds = (now - _last.At).TotalSeconds;
            var rate = seconds > 0 ? (done - _last.Samples) / seconds : 0;
            _last = (now, done);
            return new RunProgress(_scenario, _mode, now, _minDuration, _sut.QueriesIssued, done, rate);
        }
    }

    private void Report()
    {
        var progress = Snapshot();
        lock (_gate)
        {
            if (_ended) return;
            foreach (var sink in _sinks)
            {
                try { sink.Report(progress); }
                catch (IOException) { } // progress is advisory: a closed console or a full disk must not stop the run
                catch (ObjectDisposedException) { }
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Set();
        if (_reporter is not null && _reporter != Thread.CurrentThread) _reporter.Join();
        _stop.Dispose();
        lock (_gate)
        {
            _ended = true;
            foreach (var sink in _sinks)
            {
                try { sink.End(); }
                catch (IOException) { }
                catch (ObjectDisposedException) { }
            }
        }
    }
}
