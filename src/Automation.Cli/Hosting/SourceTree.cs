using Automation.Core.World;

namespace Automation.Cli.Hosting;

/// <summary>
/// The build inputs of cm in a checkout: every file under src/ (bin/, obj/ and editors' swap, lock and backup files
/// aside), the repository-wide MSBuild and NuGet files, and the folders under src/, whose time moves when an entry is
/// added, removed or renamed (a file's own time cannot show that). Paths are relative, '/'-separated, folders end in '/'.
/// </summary>
public sealed class SourceTree(IFileSystem fileSystem, string root)
{
    private const string SourceFolder = "src";
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.Config"];

    // What File.GetLastWriteTimeUtc answers for a path that does not exist.
    private static readonly DateTime Missing = DateTime.FromFileTimeUtc(0);

    /// <summary>Every build input now, sorted.</summary>
    public IReadOnlyList<string> List()
    {
        var entries = RootFiles.Where(f => fileSystem.FileExists(Absolute(f))).ToList();
        if (fileSystem.DirectoryExists(Absolute(SourceFolder))) Walk(SourceFolder + "/", entries);
        entries.Sort(StringComparer.Ordinal);
        return entries;
    }

    /// <summary>
    /// The first build input changed at or after <paramref name="builtAtUtc"/> (with why), or null when none did.
    /// With <paramref name="recorded"/> (<see cref="List"/> as it was at the build) every recorded path is looked at
    /// once and only folders whose time moved are listed again; without it the whole tree is walked and only files'
    /// times count (a folder's time also moves when the build creates obj/ in it).
    /// </summary>
    public string? FirstChangeSince(DateTime builtAtUtc, IReadOnlyCollection<string>? recorded)
    {
        if (recorded is null) return List().FirstOrDefault(p => !IsFolder(p) && Time(p) >= builtAtUtc);

        foreach (var file in RootFiles)
            if (!recorded.Contains(file) && fileSystem.FileExists(Absolute(file))) return $"{file} (new)";
        foreach (var path in recorded)
        {
            var time = Time(path);
            if (time == Missing) return $"{path} (deleted)";
            if (time < builtAtUtc) continue;
            if (!IsFolder(path)) return path;
            // Editors' swap files and a new obj/ move a folder's time too: only a different set of inputs counts.
            var now = Children(path).ToHashSet(StringComparer.Ordinal);
            var then = recorded.Where(r => IsChildOf(r, path)).ToHashSet(StringComparer.Ordinal);
            if (now.Except(then).FirstOrDefault() is { } added) return $"{added} (new)";
            if (then.Except(now).FirstOrDefault() is { } removed) return $"{removed} (deleted)";
        }
        return null;
    }

    private void Walk(string folder, List<string> entries)
    {
        entries.Add(folder);
        foreach (var entry in Children(folder))
            if (IsFolder(entry)) Walk(entry, entries);
            else entries.Add(entry);
    }

    private IEnumerable<string> Children(string folder)
    {
        var path = Absolute(folder);
        foreach (var d in fileSystem.EnumerateDirectories(path))
            if (Path.GetFileName(d) is var name && name is not ("bin" or "obj") && !name.StartsWith('.')) yield return $"{folder}{name}/";
        foreach (var f in fileSystem.EnumerateFiles(path))
            if (IsInputFile(Path.GetFileName(f))) yield return folder + Path.GetFileName(f);
    }

    // vim's .x.swp, emacs' .#x and #x#, x~ backups, JetBrains' safe-write temporaries.
    private static bool IsInputFile(string name) =>
        !name.StartsWith('.') && !name.StartsWith('#') && !name.EndsWith('~') && !name.EndsWith("___jb_tmp___", StringComparison.Ordinal) && !name.EndsWith("___jb_old___", StringComparison.Ordinal);

    private static bool IsFolder(string path) => path.EndsWith('/');

    private static bool IsChildOf(string path, string folder) =>
        path.Length > folder.Length && path.StartsWith(folder, StringComparison.Ordinal) && path.IndexOf('/', folder.Length) is var slash && (slash < 0 || slash == path.Length - 1);

    private DateTime Time(string path) => fileSystem.GetLastWriteTimeUtc(Absolute(path));

    private string Absolute(string path) => Path.Combine(root, path.TrimEnd('/'));
}
