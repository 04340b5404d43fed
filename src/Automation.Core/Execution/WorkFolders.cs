using System.Diagnostics;

namespace Automation.Core.Execution;

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
