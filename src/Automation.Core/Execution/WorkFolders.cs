using Automation.Core.Files;

namespace Automation.Core.Execution;

/// <summary>Where the executor's steps work: a fresh folder per uncached step, and a place for a failed step's log.</summary>
public interface IStepFolders
{
    /// <summary>An empty folder (created) for one uncached step of this process.</summary>
    string ForStep(string workRoot, string stepName);
    /// <summary>Where a failed step's log is kept (decided before the step runs, so its error message can name it).</summary>
    string FailedLogPath(string workRoot, string stepName, DateTimeOffset now);
    /// <summary>Copies a failed build's log out of its folder (a cached build's folder is removed) to <paramref name="keptPath"/>.</summary>
    void KeepFailedLog(string logPath, string keptPath);
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

    public string FailedLogPath(string workRoot, string stepName, DateTimeOffset now) =>
        Path.Combine(workRoot, "failed", $"{stepName}-{now:yyyyMMdd-HHmmss}.log");

    public void KeepFailedLog(string logPath, string keptPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(keptPath)!);
        File.Copy(logPath, keptPath, overwrite: true);
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
        FolderTree.PruneDead(workRoot, stepName + "-");
        var dir = Path.Combine(workRoot, FolderTree.OwnedName(stepName + "-"));
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return dir;
    }
}
