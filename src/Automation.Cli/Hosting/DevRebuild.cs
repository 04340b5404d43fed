using System.Diagnostics;
using Automation.Core.World;

namespace Automation.Cli.Hosting;

/// <summary>
/// The check behind the repository's ./cm wrapper. The wrapper only execs the published cm with
/// <see cref="RootVariable"/> set (walking the source tree in the shell cost ~6 ms a call); cm compares the build
/// inputs with the build here, before anything else (<see cref="BuildRecord"/>: one stat per input, under a
/// millisecond), and when one changed runs the wrapper again with <see cref="RebuildVariable"/>=1, which publishes
/// and runs the new cm. Without the variable (cm installed, or run directly) nothing is checked.
/// </summary>
public static class DevRebuild
{
    public const string RootVariable = "CM_DEV_SOURCE_ROOT";
    public const string RebuildVariable = "CM_DEV_REBUILD";
    /// <summary>Set by the wrapper right after a build: a change found now is not worth another build (a time in the future).</summary>
    public const string JustBuiltVariable = "CM_DEV_JUST_BUILT";

    /// <summary>The exit code of the rebuilt cm when the sources changed, else null: go on with this one.</summary>
    public static int? RunIfStale(IReadOnlyList<string> args)
    {
        if (Environment.GetEnvironmentVariable(RootVariable) is not { Length: > 0 } root) return null;
        var justBuilt = Environment.GetEnvironmentVariable(JustBuiltVariable) == "1";
        // The scripts cm runs, and a cm they run, are not the wrapper's call.
        Environment.SetEnvironmentVariable(RootVariable, null);
        Environment.SetEnvironmentVariable(JustBuiltVariable, null);
        root = Path.GetFullPath(root);
        string? change;
        try
        {
            change = new BuildRecord(PhysicalFileSystem.Instance, root).FirstChange();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cm: could not tell whether the sources in {root} changed since this cm was built ({e.Message}); running it as it is.");
            return null;
        }
        if (change is null) return null;
        if (justBuilt)
        {
            Console.Error.WriteLine($"cm: {change} is dated after the build that just finished (a time in the future?); running this build. `touch` the file to settle it.");
            return null;
        }
        Console.Error.WriteLine($"cm: {change} changed since cm was built.");
        // Not IProcessRunner: the new cm must get this process's terminal as it is (prompts, TTY detection), and the
        // engine is not up yet.
        var start = new ProcessStartInfo(Path.Combine(root, "cm")) { Environment = { [RebuildVariable] = "1" } };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var wrapper = Process.Start(start)!;
        wrapper.WaitForExit();
        return wrapper.ExitCode;
    }
}
