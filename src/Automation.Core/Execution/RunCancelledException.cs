namespace Automation.Core.Execution;

/// <summary>
/// A whole run cancelled by a signal (Ctrl-C, TERM, a closed terminal): what the CLI reports, records as status
/// "cancelled" and exits with (128 + the signal's number, as a shell reports a process a signal ended).
/// </summary>
public sealed class RunCancelledException(string signal, int exitCode, StepCancelledException? stopped)
    : OperationCanceledException($"cancelled by {signal}: " + (stopped?.Message ?? "no script was running"))
{
    public string Signal { get; } = signal;
    public int ExitCode { get; } = exitCode;
    public StepCancelledException? Stopped { get; } = stopped;

    /// <summary>The step the cancellation stopped, wherever it sits among <paramref name="error"/>'s inner exceptions.</summary>
    public static StepCancelledException? StoppedStep(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is StepCancelledException step) return step;
        return null;
    }
}
