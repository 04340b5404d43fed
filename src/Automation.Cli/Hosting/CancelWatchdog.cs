using Automation.Core.Execution;
using Automation.Core.Resolution;

namespace Automation.Cli.Hosting;

/// <summary>
/// A built-in step runs inside cm (a LoadGen run, an extraction) and may not notice a cancellation for minutes. After
/// Ctrl-C/TERM/HUP this gives the run <see cref="Grace"/> to stop by itself; if it has not, it says which step it
/// ends, records the run as cancelled and exits with the signal's code, as a second signal would but with a record.
/// Steps with processes need no watchdog: their groups end at once and the run returns well within the grace.
/// </summary>
public sealed class CancelWatchdog(SignalCancellation signals, Action<RunCancelledException> record) : IStepEvents
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private readonly Lock gate = new();
    private readonly Stack<(string Script, string WorkDir)> running = new();
    private IStepEvents? inner;
    private bool finished;

    /// <summary>Passes step events on to <paramref name="events"/> (cm serve's file) while tracking the running step.</summary>
    public IStepEvents Track(IStepEvents? events)
    {
        inner = events;
        signals.Token.Register(() => _ = Task.Delay(Grace).ContinueWith(_ => EndIfStuck(), TaskScheduler.Default));
        return this;
    }

    /// <summary>The run came back by itself: the watchdog must not exit the process after all.</summary>
    public bool TryFinish()
    {
        lock (gate)
        {
            if (finished) return false;
            finished = true;
            return true;
        }
    }

    private void EndIfStuck()
    {
        RunCancelledException cancelled;
        lock (gate)
        {
            if (finished) return;
            finished = true;
            var step = running.TryPeek(out var top)
                ? new StepCancelledException(top.Script, $"a built-in step that did not stop within {Grace.TotalSeconds:0} s; ended with cm", null, signals.Token)
                : null;
            cancelled = signals.Describe(step ?? new OperationCanceledException());
        }
        Console.Error.WriteLine($"cm: {cancelled.Message}");
        try { record(cancelled); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"cm: the run record could not be written: {e.Message}"); }
        Exit(cancelled.ExitCode);
    }

    /// <summary>
    /// Ends cm now. On Unix without the runtime's shutdown, which would tear down ONNX Runtime under its running
    /// worker threads and print their errors after the message above.
    /// </summary>
    private static void Exit(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (!OperatingSystem.IsWindows()) ImmediateExit(code);
        Environment.Exit(code);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    private static extern void ImmediateExit(int status);

    public void Started(PlanNode node, string workDir)
    {
        lock (gate) running.Push((node.Script.Alias, workDir));
        inner?.Started(node, workDir);
    }

    public void Finished(StepRecord record)
    {
        // A step served from the cache finishes without having started.
        lock (gate) if (running.TryPeek(out var top) && top.WorkDir == record.WorkDir) running.Pop();
        inner?.Finished(record);
    }

    public void Failed(PlanNode node, Exception error)
    {
        lock (gate) if (running.TryPeek(out var top) && top.Script == node.Script.Alias) running.Pop();
        inner?.Failed(node, error);
    }
}
