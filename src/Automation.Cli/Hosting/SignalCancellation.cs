using System.Runtime.InteropServices;
using Automation.Core.Execution;

namespace Automation.Cli.Hosting;

/// <summary>
/// Turns the first SIGINT (Ctrl-C), SIGTERM or SIGHUP into a cancellation of the run, so the running step's process
/// group is ended and the run recorded as cancelled before cm exits with 130/143/129. A second signal gets its
/// default action: cm dies at once, and the steps' watchers end their groups (SessionWrapper).
/// </summary>
public sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int received;

    public SignalCancellation()
    {
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP])
        {
            try { registrations.Add(PosixSignalRegistration.Create(signal, OnSignal)); }
            catch (PlatformNotSupportedException) { }
        }
    }

    public CancellationToken Token => source.Token;

    /// <summary>The signal that cancelled the run, or null.</summary>
    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref received, 1) == 1) return;
        Received = context.Signal;
        context.Cancel = true;
        // Off the signal thread: cancelling runs the registered callbacks, which stop process groups.
        _ = Task.Run(source.Cancel);
    }

    /// <summary>The cancellation as the CLI reports and records it, with the step it stopped.</summary>
    public RunCancelledException Describe(Exception error)
    {
        var (name, code) = Received switch
        {
            PosixSignal.SIGTERM => ("SIGTERM", 143),
            PosixSignal.SIGHUP => ("SIGHUP", 129),
            _ => ("SIGINT", 130),
        };
        return new RunCancelledException(name, code, RunCancelledException.StoppedStep(error));
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        source.Dispose();
    }
}
