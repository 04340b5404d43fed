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
    private readonly Every _every = new(every);
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
        if (_every.Due(progress)) output.WriteLine(progress.Line);
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
    private readonly Every _every = new(every);

    public void Report(RunProgress progress)
    {
        if (!_every.Due(progress)) return;
        var line = progress.ToJson();
        line["script"] = script;
        events.Write(line);
    }

    public void End() { }
}

/// <summary>The first report, then one each <paramref name="every"/> of run time; a tick a little early still counts.</summary>
internal sealed class Every(TimeSpan every)
{
    private TimeSpan? _last;

    public bool Due(RunProgress progress)
    {
        if (_last is { } last && progress.Elapsed - last < every * 0.95) return false;
        _last = progress.Elapsed;
        return true;
    }
}
