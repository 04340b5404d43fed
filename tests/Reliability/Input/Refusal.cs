using System.Diagnostics;
using System.Text.RegularExpressions;
using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>
/// What issue 17 asks of every hostile input: a clear error (one `error:` paragraph, exit 1), never a crash (stack
/// overflow: 134/139), an internal error (70), a stack trace, or a hang.
/// </summary>
public static partial class Refusal
{
    /// <summary>
    /// A refusal takes about 0.2 s of a real `dotnet cm.dll` process on an idle machine (the issue asks < 1 s); the
    /// bound leaves room for a loaded 2-core box, while a hang, a 100%-CPU loop or a runaway allocation is far above it.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    /// <summary>Runs the real cm; fails on a hang.</summary>
    public static CmResult Run(string workDir, params string[] args) => Run(workDir, null, args);

    public static CmResult Run(string workDir, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        CmResult result;
        try
        {
            result = CmProcess.Run(workDir, env, TimeSpan.FromSeconds(60), args);
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"hang: {e.Message}");
        }
        Assert.True(clock.Elapsed < Budget, $"cm {string.Join(' ', args)} took {clock.Elapsed.TotalSeconds:0.0} s (more than {Budget.TotalSeconds} s)\n{result.All}");
        return result;
    }

    /// <summary>Asserts one clear error that contains each of <paramref name="expected"/>.</summary>
    public static void AssertClearError(CmResult result, params string[] expected)
    {
        AssertNoCrash(result);
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}, expected 1 (a refusal)\n{result.All}");
        var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one error paragraph, got {errors.Count}\n{result.All}");
        foreach (var text in expected) Assert.Contains(text, errors[0]);
    }

    /// <summary>No internal error, signal, stack trace or "Unhandled exception", whatever the exit code.</summary>
    public static void AssertNoCrash(CmResult result)
    {
        if (Problem(result.ExitCode, result.All) is { } problem) throw new Xunit.Sdk.XunitException($"{problem}\n{result.All}");
    }

    /// <summary>What is wrong with an outcome, or null when it is a normal success or refusal.</summary>
    public static string? Problem(int exitCode, string output)
    {
        if (exitCode == 70 || output.Contains("internal error", StringComparison.Ordinal)) return "internal error (exit 70)";
        if (exitCode is >= 128 or < 0) return $"crashed (exit {exitCode}: killed by a signal, e.g. a stack overflow)";
        if (output.Contains("Stack overflow", StringComparison.Ordinal) || output.Contains("Unhandled exception", StringComparison.Ordinal) || StackFrame().IsMatch(output))
            return "stack trace printed";
        return null;
    }

    // "   at Namespace.Type.Method(Args) in file:line 12" as .NET prints each frame.
    [GeneratedRegex(@"^\s+at [\w.`<>\[\]+|]+\(.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
