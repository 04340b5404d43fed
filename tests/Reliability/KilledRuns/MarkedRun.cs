using System.Diagnostics;
using System.Runtime.InteropServices;
using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.KilledRuns;

/// <summary>
/// One cm run started in the background with a unique marker in its environment, which every process it starts
/// inherits (the wrapper, run.sh and its children, the customize.py host and what its hooks start): so what is left
/// of the run after a kill is every live process whose environment holds the marker, read from /proc.
/// </summary>
public sealed class MarkedRun : IDisposable
{
    public const string MarkerVariable = "CM_KILL_TEST_MARKER";
    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private readonly Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint SetDisposition(int signal, nint handler);

    /// <summary>
    /// A test host started in the background (`cmd &amp;` in a script, as CI runners do) ignores SIGINT, and every cm
    /// it starts would inherit that, as background jobs do: the signal would never arrive. A user's foreground cm
    /// starts with the default disposition, so the host gets it back (only when it was ignored) before starting cm.
    /// </summary>
    static MarkedRun()
    {
        const nint ignored = 1, byDefault = 0;
        var before = SetDisposition(SigInt, byDefault);
        if (before != ignored) SetDisposition(SigInt, before);
    }

    public MarkedRun(string workDir, params string[] args)
    {
        Marker = Guid.NewGuid().ToString("N");
        process = Process.Start(CmProcess.StartInfo(workDir, args, new Dictionary<string, string> { [MarkerVariable] = Marker }))!;
        process.StandardInput.Close();
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public string Marker { get; }
    public int Pid => process.Id;

    public void Signal(int signal) => Assert.Equal(0, Kill(process.Id, signal));

    /// <summary>True once cm has exited; false while it still runs after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    public CmResult Result(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) throw new TimeoutException($"cm did not exit within {timeout.TotalSeconds} s");
        return new CmResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Waits until a process of the run shows up (true), or <paramref name="timeout"/> passes.</summary>
    public bool WaitForProcess(Func<string, bool> commandLine, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (LiveProcesses.WithMarker(Marker).Any(p => commandLine(p.CommandLine))) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>The run's live processes other than cm itself, once none is left or <paramref name="within"/> has passed.</summary>
    public IReadOnlyList<LiveProcess> LeftAfter(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var left = LiveProcesses.WithMarker(Marker).Where(p => p.Pid != process.Id).ToList();
            if (left.Count == 0 || DateTime.UtcNow >= deadline) return left;
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        // A failed test must not leave its run behind either.
        if (!process.HasExited) Kill(process.Id, SigKill);
        foreach (var p in LiveProcesses.WithMarker(Marker)) Kill(p.Pid, SigKill);
        process.Dispose();
    }
}

public sealed record LiveProcess(int Pid, string CommandLine)
{
    public override string ToString() => $"{Pid}: {CommandLine}";
}

public static class LiveProcesses
{
    /// <summary>Processes that have not exited (zombies are dead: only their parent's wait is missing) whose environment holds the marker.</summary>
    public static IReadOnlyList<LiveProcess> WithMarker(string marker)
    {
        var needle = $"{MarkedRun.MarkerVariable}={marker}";
        var found = new List<LiveProcess>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) continue;
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (!environ.Split('\0').Contains(needle)) continue;
                found.Add(new LiveProcess(pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return found;
    }
}

/// <summary>Tests that start and kill real process trees; they need Linux's /proc and util-linux's setsid.</summary>
public sealed class LinuxProcessFactAttribute : FactAttribute
{
    public LinuxProcessFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self")) Skip = "needs Linux (/proc) to see which processes of a run are left";
        else if (!Automation.Core.World.SessionWrapper.Available) Skip = "needs util-linux's setsid (apt-get install util-linux)";
    }

    private bool needsPython;

    /// <summary>The test runs a customize.py hook: skipped where python3 is not on PATH.</summary>
    public bool NeedsPython
    {
        get => needsPython;
        set
        {
            needsPython = value;
            if (value && Skip is null && Automation.Core.World.Executables.FindOnPath("python3", Environment.GetEnvironmentVariable("PATH")) is null)
                Skip = "needs python3 on PATH for the customize.py host";
        }
    }
}
