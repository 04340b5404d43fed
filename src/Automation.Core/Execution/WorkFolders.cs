using System.Diagnostics;

namespace Automation.Core.Execution;

/// <summary>Where the executor's steps work: a fresh folder per uncached step, and a place for a failed step's log.</summary>
public interface IStepFolders
{
    /// <summary>An empty folder (created) for one uncached step of this process.</summary>
    string ForStep(string workRoot, string stepName);
    /// <summary>Copies a failed build's log out of its folder (which is removed) and returns the copy's path.</summary>
    string KeepFailedLog(string workRoot, string logPath, string stepName, DateTimeOffset now);
}

/// <summary>The real folders: <see cref="WorkFolders"/> under the work root, failed logs in its failed/ folder.</summary>
public sealed class ProcessStepFolders : IStepFolders
{
    public static ProcessStepFolders Instance { get; } = new();

    public string ForStep(string workRoot, string stepName)
    {
        var dir = WorkFolders.ForThisProcess(workRoot, stepName);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string KeepFailedLog(string workRoot, string logPath, string stepName, DateTimeOffset now)
    {
        var kept = Path.Combine(workRoot, "failed", $"{stepName}-{now:yyyyMMdd-HHmmss}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.Copy(logPath, kept, overwrite: true);
        return kept;
    }
}

/// <summary>
/// Work folders of non-cached steps: one per step and process (`&lt;alias&gt;-&lt;id&gt;-&lt;pid&gt;`), so that parallel runs of the
/// same step never share or delete each other's folder. Folders left by processes that have ended are pruned.
/// </summary>
public static class WorkFolders
{
    public static string ForThisProcess(string workRoot, string stepName)
    {
        var pid = Environment.ProcessId;
        PruneDead(workRoot, stepName, pid);
        var dir = Path.Combine(workRoot, $"{stepName}-{pid}");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return dir;
    }

    private static void PruneDead(string workRoot, string stepName, int self)
    {
        if (!Directory.Exists(workRoot)) return;
        foreach (var dir in Directory.EnumerateDirectories(workRoot, stepName + "-*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)[(stepName.Length + 1)..], out var pid) || pid == self || IsAlive(pid)) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsAlive(int pid)
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
}
