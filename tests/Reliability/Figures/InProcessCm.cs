using System.Diagnostics;
using Automation.Cli;

namespace Automation.Reliability.Tests.Figures;

/// <summary>One command line run through cm's own entry point, and how it ended.</summary>
public sealed record InProcessOutcome(int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut);

/// <summary>
/// Runs cm's entry point (<see cref="Program.Main"/>, what the `cm` binary runs) inside the test process: thousands of
/// cases in the time a few hundred `dotnet cm.dll` starts would take on 2 cores. What the process would hold for one
/// command is set per call (working folder, console, the env cm reads), so calls run one at a time (the
/// "in-process cm" collection is not run in parallel with anything). The command runs on its own thread with the
/// 8 MiB stack a process's main thread has; one that is still running after the timeout is reported and left behind.
/// </summary>
public static class InProcessCm
{
    private const int MainThreadStack = 8 << 20;
    private static readonly string[] Cleared = ["CM_SCRIPT_PATH", "CM_CACHE_DIR", "CM_DEV_SOURCE_ROOT", "CM_DEV_REBUILD"];

    public static InProcessOutcome Run(string workDir, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var output = new StringWriter();
        var synced = TextWriter.Synchronized(output);
        var (stdout, stderr, stdin, cwd) = (Console.Out, Console.Error, Console.In, Environment.CurrentDirectory);
        var saved = Cleared.Append("CM_REPOS").ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var exit = -1;
        Exception? escaped = null;
        var clock = Stopwatch.StartNew();
        try
        {
            Console.SetOut(synced);
            Console.SetError(synced);
            Console.SetIn(TextReader.Null);
            Environment.CurrentDirectory = workDir;
            foreach (var key in Cleared) Environment.SetEnvironmentVariable(key, null);
            Environment.SetEnvironmentVariable("CM_REPOS", Path.Combine(workDir, ".no-repos"));
            var thread = new Thread(() =>
            {
                try { exit = Program.Main([.. args]); }
                catch (Exception e) { escaped = e; }
            }, MainThreadStack) { IsBackground = true, Name = "cm " + string.Join(' ', args.Take(3)) };
            thread.Start();
            var finished = thread.Join(timeout);
            clock.Stop();
            if (escaped is not null) synced.WriteLine($"Unhandled exception. {escaped}");
            return new InProcessOutcome(finished ? exit : -1, output.ToString(), clock.Elapsed, !finished);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Console.SetIn(stdin);
            Environment.CurrentDirectory = cwd;
            foreach (var (key, value) in saved) Environment.SetEnvironmentVariable(key, value);
        }
    }
}
