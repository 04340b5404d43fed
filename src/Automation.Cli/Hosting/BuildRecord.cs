using Automation.Core.World;

namespace Automation.Cli.Hosting;

/// <summary>
/// What the repository's ./cm wrapper keeps about the cm it published, in artifacts/cm/: .built-at, whose time is
/// the moment the build started, and .sources, the build inputs then (<see cref="SourceTree.List"/>), which the first
/// run after a build writes.
/// </summary>
public sealed class BuildRecord(IFileSystem fileSystem, string root)
{
    public string StampPath => Path.Combine(root, "artifacts", "cm", ".built-at");
    public string SourcesPath => Path.Combine(root, "artifacts", "cm", ".sources");

    /// <summary>The first build input changed since the build (with why), or null when the published cm is current.</summary>
    public string? FirstChange()
    {
        if (!fileSystem.FileExists(StampPath)) return "artifacts/cm/.built-at (missing)";
        var builtAt = fileSystem.GetLastWriteTimeUtc(StampPath);
        var tree = new SourceTree(fileSystem, root);
        if (fileSystem.FileExists(SourcesPath))
            return tree.FirstChangeSince(builtAt, fileSystem.ReadAllText(SourcesPath).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
        var change = tree.FirstChangeSince(builtAt, null);
        if (change is null) Record(tree.List());
        return change;
    }

    private void Record(IReadOnlyList<string> inputs)
    {
        try
        {
            fileSystem.WriteAllTextAtomically(SourcesPath, string.Join('\n', inputs) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the record the next run walks the tree again: slower, still right.
        }
    }
}
