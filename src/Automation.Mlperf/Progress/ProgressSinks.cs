using Automation.Core.Execution;

namespace Automation.Mlperf.Progress;

/// <summary>Somewhere a run's progress is shown. Called about once a second; each sink decides how often it shows it.</summary>
public interface IProgressSink
{
    void Report(RunProgress progress);
    /// <summary>The run ended: a live line is closed so what follows starts on a line of its own.</summary>
    void End();
}

/// <summary>
/// On a terminal, one live line rewritten in place every report; otherwise (a log, CI, a pipe) one line every
/// <paramref name="every"/>, so a 10-minute run shows about 60 lines and a hung one shows that it is.
/// </summary>
public sealed class ConsoleProgressSink(TextWriter output, bool terminal, TimeSpan every) : IProgressSink
{
    private TimeSpan? _lastShown;
    private bool _live;

    public void Report(RunProgress progress)
    {
        if (terminal)
        {
            output.Write("\r\u001b[K" + progress.Line);
            output.Flush();
            _live = true;
            return;
        }
        if (_lastShown is { } last && progress.Elapsed - last < every * 0.95) return; // a timer tick a little early still counts
        _lastShown = progress.Elapsed;
        output.WriteLine(progress.Line);
    }

    public void End()
    {
        if (!_live) return;
        output.WriteLine();
        _live = false;
    }
}

/// <summary>Progress as events in the step-events file cm serve follows (AUTOMATION_STEP_EVENTS), every <paramref name="every"/>.</summary>
public sealed class EventProgressSink(JsonlStepEvents events, string script, TimeSpan every) : IProgressSink
{
    private TimeSpan? _lastShown;

    public void Report(RunProgress progress)
    {
        if (_lastShown is { } last && progress.Elapsed - last < every * 0.95) return; // a timer tick a little early still counts
        _lastShown = progress.Elapsed;
        var line = progress.ToJson();
        line["script"] = script;
        events.Write(line);
    }

    public void End() { }
}
