using System.Diagnostics;

namespace Automation.Core.Files;

/// <summary>Removing folder trees, and the folders a process names after itself so that others can tell when they are left over.</summary>
public static class FolderTree
{
    /// <summary>Deletes a folder tree; installers like to leave read-only files, so a second pass clears that.</summary>
    public static void Delete(string dir)
    {
        if (!Directory.Exists(dir)) return;
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (UnauthorizedAccessException)
        {
            MakeWritable(dir);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary><see cref="Delete"/>, where a tree that cannot be removed now is left for a later try.</summary>
    public static bool TryDelete(string dir)
    {
        try
        {
            Delete(dir);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The name of a folder owned by this process: <paramref name="prefix"/>, the process id, then <paramref name="suffix"/> after a '-'.</summary>
    public static string OwnedName(string prefix, string? suffix = null) =>
        suffix is null ? $"{prefix}{Environment.ProcessId}" : $"{prefix}{Environment.ProcessId}-{suffix}";

    /// <summary>
    /// Removes the folders in <paramref name="parent"/> named by <see cref="OwnedName"/> with <paramref name="prefix"/> whose
    /// process has ended: what a killed run (kill -9, a power cut) could not clean up itself. Never this process's own.
    /// </summary>
    public static void PruneDead(string parent, string prefix)
    {
        if (!Directory.Exists(parent)) return;
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            var rest = Path.GetFileName(dir)[prefix.Length..];
            var dash = rest.IndexOf('-');
            if (!int.TryParse(dash < 0 ? rest : rest[..dash], out var pid) || pid == self || IsAlive(pid)) continue;
            TryDelete(dir);
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void MakeWritable(string dir)
    {
        foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(dir)))
        {
            if (info.LinkTarget is not null) continue;
            info.Attributes &= ~FileAttributes.ReadOnly;
            if (!OperatingSystem.IsWindows()) info.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
    }
}
