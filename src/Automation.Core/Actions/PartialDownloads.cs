using Automation.Core.Execution;
using Automation.Core.Files;

namespace Automation.Core.Actions;

/// <summary>
/// Where a built-in action downloading into its step's own folder keeps the unfinished <c>.part</c>
/// (<see cref="DownloadRequest.PartialPath"/>): that folder (a cache entry) is
/// deleted when the step fails, so the part waits beside it, in <c>.partial/</c> of the folder holding the step
/// folders (the cache root, or .work for uncached steps), named after the step's cache key and the file, and the
/// next run of the same step resumes it. Parts nobody came back for within <see cref="MaxAge"/> are removed.
/// </summary>
public static class PartialDownloads
{
    public const string FolderName = ".partial";
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public static string PathFor(ActionContext context, string fileName)
    {
        var folder = Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(context.WorkDir))!, FolderName);
        Directory.CreateDirectory(folder);
        PruneOld(folder);
        return Path.Combine(folder, $"{context.Node.Key}-{fileName}.part");
    }

    private static void PruneOld(string folder)
    {
        var cutoff = DateTime.UtcNow - MaxAge;
        foreach (var file in Directory.EnumerateFiles(folder))
            if (File.GetLastWriteTimeUtc(file) < cutoff) AtomicFile.TryDelete(file);
    }
}
