namespace Automation.Core.World;

/// <summary>The file system as the engine sees it; tests substitute an in-memory one.</summary>
public interface IFileSystem
{
    bool FileExists(string path);
    bool DirectoryExists(string path);
    string ReadAllText(string path);
    /// <summary>The file's bytes as a stream (hashing files that need not be text).</summary>
    Stream OpenRead(string path);
    void WriteAllText(string path, string contents);
    IEnumerable<string> EnumerateDirectories(string path);
    IEnumerable<string> EnumerateFiles(string path, string searchPattern = "*");
    void CreateDirectory(string path);
    /// <summary>Replaces a file so that readers see the old text or the new, never a part (temp file + rename).</summary>
    void WriteAllTextAtomically(string path, string contents);
    DateTime GetLastWriteTimeUtc(string path);
    /// <summary>Size and modification time of a file in one stat; null when it does not exist.</summary>
    FileStamp? Stat(string path);
    /// <summary>True when the file may be run: on Unix some execute bit is set; on Windows any existing file.</summary>
    bool IsExecutable(string path);
    /// <summary>The absolute path with every symbolic link (in any component) resolved, like realpath(3).</summary>
    string GetRealPath(string path);
    /// <summary>Removes a file; nothing happens when it does not exist.</summary>
    void DeleteFile(string path);
    void CopyFile(string source, string destination, bool overwrite);
    /// <summary>A writer appending to the file (created when missing); dispose it to flush.</summary>
    TextWriter AppendText(string path);
}

/// <summary>What tells a changed file from an unchanged one without reading it.</summary>
public readonly record struct FileStamp(long Length, long LastWriteTicksUtc);

public sealed class PhysicalFileSystem : IFileSystem
{
    public static PhysicalFileSystem Instance { get; } = new();

    public bool FileExists(string path) => File.Exists(path);
    public bool DirectoryExists(string path) => Directory.Exists(path);
    public string ReadAllText(string path) => File.ReadAllText(path);
    public Stream OpenRead(string path) => File.OpenRead(path);
    public void WriteAllText(string path, string contents) => File.WriteAllText(path, contents);
    public IEnumerable<string> EnumerateDirectories(string path) => Directory.EnumerateDirectories(path);
    public IEnumerable<string> EnumerateFiles(string path, string searchPattern = "*") => Directory.EnumerateFiles(path, searchPattern);
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);
    public void WriteAllTextAtomically(string path, string contents) => Files.AtomicFile.WriteAllText(path, contents);
    public DateTime GetLastWriteTimeUtc(string path) => File.GetLastWriteTimeUtc(path);
    public void DeleteFile(string path) => File.Delete(path);
    public void CopyFile(string source, string destination, bool overwrite) => File.Copy(source, destination, overwrite);
    public TextWriter AppendText(string path) => new StreamWriter(path, append: true);

    public FileStamp? Stat(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }

    public string GetRealPath(string path)
    {
        // Resolving only the last component misses linked folders (/bin -> usr/bin on merged-/usr systems),
        // so walk component by component and restart after each link, as realpath(3) does.
        var current = Path.GetFullPath(path);
        for (var hops = 0; hops < 64; hops++)
        {
            var resolved = ResolveFirstLink(current);
            if (resolved is null) return current;
            current = resolved;
        }
        throw new IOException($"Too many levels of symbolic links while resolving '{path}'.");
    }

    private static string? ResolveFirstLink(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var prefix = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(prefix, parts[i]);
            var target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                var rest = parts.Skip(i + 1).Prepend(Path.Combine(prefix, target));
                return Path.GetFullPath(Path.Combine(rest.ToArray()));
            }
            prefix = next;
        }
        return null;
    }
}
