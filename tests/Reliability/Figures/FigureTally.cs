using Automation.Cli.Tests;
using Automation.Reliability.Tests.Input;
using Xunit;

namespace Automation.Reliability.Tests.Figures;

/// <summary>The generated-input figures run cm in-process: nothing else may run beside them (<see cref="InProcessCm"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessCollection
{
    public const string Name = "in-process cm";
}

/// <summary>
/// Runs generated cases and counts how each ended: a result (exit 0), a refusal (exit 1 with an `error:` line), or a
/// problem: an internal error (exit 70), a crash or stack trace, a hang. Each case must end within
/// <see cref="Budget"/>; one that does not is run once more (a loaded 2-core machine can stall any process) and
/// counts as too slow when it is slow again.
/// </summary>
public sealed class FigureTally(string what)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(15);
    private readonly List<string> problems = [];

    public int Cases { get; private set; }
    public int Succeeded { get; private set; }
    public int Refused { get; private set; }
    public int InternalErrors { get; private set; }
    public int Crashes { get; private set; }
    public int Hangs { get; private set; }
    public int Slow { get; private set; }
    public int SlowFirstTries { get; private set; }
    public TimeSpan Longest { get; private set; }
    public int Processes { get; private set; }
    public int ProcessProblems { get; private set; }
    public TimeSpan LongestProcess { get; private set; }

    /// <summary>One case through cm's entry point in this process.</summary>
    public void RunInProcess(string workDir, IReadOnlyList<string> args, string describe)
    {
        Cases++;
        var outcome = InProcessCm.Run(workDir, args, HangLimit);
        if (!outcome.TimedOut && outcome.Elapsed > Budget)
        {
            SlowFirstTries++;
            outcome = InProcessCm.Run(workDir, args, HangLimit);
            if (!outcome.TimedOut && outcome.Elapsed > Budget) { Slow++; Note($"slow ({outcome.Elapsed.TotalSeconds:0.0} s twice)", describe, args, outcome.Output); }
        }
        if (outcome.Elapsed > Longest) Longest = outcome.Elapsed;
        if (outcome.TimedOut) { Hangs++; Note($"hang (still running after {HangLimit.TotalSeconds} s)", describe, args, outcome.Output); return; }
        Judge(outcome.ExitCode, outcome.Output, describe, args);
    }

    /// <summary>The same case through a real `dotnet cm.dll` process.</summary>
    public void RunAsProcess(string workDir, IReadOnlyList<string> args, string describe)
    {
        Processes++;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CmResult result;
        try
        {
            result = CmProcess.Run(workDir, null, HangLimit, [.. args]);
        }
        catch (TimeoutException)
        {
            ProcessProblems++;
            Note("hang in a real process", describe, args, "");
            return;
        }
        if (clock.Elapsed > LongestProcess) LongestProcess = clock.Elapsed;
        if (Refusal.Problem(result.ExitCode, result.All) is { } problem) { ProcessProblems++; Note(problem + " (real process)", describe, args, result.All); }
    }

    private void Judge(int exitCode, string output, string describe, IReadOnlyList<string> args)
    {
        switch (Refusal.Problem(exitCode, output))
        {
            case null when exitCode == 0: Succeeded++; break;
            // cm's own errors start with `error: `; System.CommandLine's parse errors ("Unrecognized command or argument ...") do not.
            case null when output.Trim().Length > 0: Refused++; break;
            case null: Refused++; Note($"exit {exitCode} without a message", describe, args, output); break;
            case { } p when p.StartsWith("internal error", StringComparison.Ordinal): InternalErrors++; Note(p, describe, args, output); break;
            case { } p: Crashes++; Note(p, describe, args, output); break;
        }
    }

    private void Note(string problem, string describe, IReadOnlyList<string> args, string output)
    {
        if (problems.Count < 12)
            problems.Add($"{problem}: {describe}\n  cm {string.Join(' ', args.Select(a => a.Length > 80 ? a[..80] + "..." : a))}\n  {string.Join("\n  ", output.Split('\n').Take(8))}");
    }

    public bool Silent => problems.Count == 0;

    public string Figure =>
        $"{Cases:N0} {what}: {InternalErrors + Crashes} stack traces or crashes, {InternalErrors} exit-70 errors, {Hangs + Slow} hangs (each < {Budget.TotalSeconds:0} s; longest {Longest.TotalSeconds:0.00} s, " +
        $"{SlowFirstTries} slow first tries on this machine ran again); {Succeeded} ran, {Refused} refused with an error. " +
        $"Real `cm` processes: {Processes}, {ProcessProblems} problems, longest {LongestProcess.TotalSeconds:0.00} s.";

    public string Problems => string.Join("\n", problems);

    public void AssertClean()
    {
        Assert.True(InternalErrors + Crashes + Hangs + Slow + ProcessProblems == 0 && problems.Count == 0, Figure + "\n" + Problems);
        Assert.True(Succeeded > 0 && Refused > 0, $"the cases should include both results and refusals: {Figure}");
    }
}
