using System.Runtime.InteropServices;

namespace Automation.Core.World;

/// <summary>
/// Whole process groups on Unix: a step runs as the leader of its own session (<see cref="SessionWrapper"/>), so its
/// group id is the pid we started, and everything the step started shares that group unless it left on purpose.
/// Ending a group is TERM to every member, a short grace, then KILL to whatever is left.
/// </summary>
public static class ProcessGroups
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int NoSuchProcess = 3; // ESRCH, the same on Linux and macOS

    /// <summary>How long members get after TERM before KILL: enough for a trap to remove a temporary file.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// True while any process of the group runs. Zombies have exited and do not count: members whose parent died
    /// wait for init to reap them, which a container's init may do late or never.
    /// </summary>
    public static bool IsAlive(int group)
    {
        if (Kill(-group, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess) return false;
        return !Directory.Exists("/proc/self") || Members(group).Any(m => m.State is not ('Z' or 'X'));
    }

    /// <summary>The group's processes with their state letter, from /proc (Linux); empty elsewhere.</summary>
    public static IReadOnlyList<(int Pid, char State)> Members(int group)
    {
        var members = new List<(int, char)>();
        string[] folders;
        try { folders = Directory.GetDirectories("/proc"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return members; }
        foreach (var folder in folders)
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(folder, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so fields count from its last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 2 && int.TryParse(fields[2], out var pgrp) && pgrp == group) members.Add((pid, fields[0][0]));
        }
        return members;
    }

    /// <summary>
    /// TERM to the group, then KILL after <paramref name="grace"/> when any member is left; returns once none is, or
    /// after a further second (a member in uninterruptible sleep dies when its I/O ends). True when the group is gone.
    /// </summary>
    public static async Task<bool> StopAsync(int group, TimeSpan grace)
    {
        if (group <= 1) throw new ArgumentOutOfRangeException(nameof(group), group, "not a process group of ours");
        Kill(-group, SigTerm);
        if (await GoneWithinAsync(group, grace)) return true;
        Kill(-group, SigKill);
        return await GoneWithinAsync(group, TimeSpan.FromSeconds(1));
    }

    private static async Task<bool> GoneWithinAsync(int group, TimeSpan time)
    {
        var deadline = DateTime.UtcNow + time;
        var delay = 2;
        while (IsAlive(group))
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(delay).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 50);
        }
        return true;
    }
}
