using System.Text;

namespace Automation.Core.World;

/// <summary>
/// A file system held in memory, for tests of the engine (executor, resolver, loaders) that should need no disk.
/// Paths are compared as given after normalisation with <see cref="Path.GetFullPath(string)"/>; folders exist
/// when created or when a file below them exists. Thread-safe.
/// </summary>
public sealed class InMemoryFileSystem(IClock? clock = null) : IFileSystem
{
    private readonly Dictionary<string, (string Text, DateTime Written, bool Executable)> files = new(StringComparer.Ordinal);
    private readonly HashSet<string> folders = new(StringComparer.Ordinal);
    private readonly IClock clock = clock ?? SystemClock.Instance;
    private readonly Lock gate = new();

    private static string Full(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar) is { Length: > 0 } p ? p : "/";

    public IReadOnlyCollection<string> Files { get { lock (gate) return files.Keys.Order(StringComparer.Ordinal).ToList(); } }

    public bool FileExists(string path) { lock (gate) return files.ContainsKey(Full(path)); }

    public bool DirectoryExists(string path)
    {
        var full = Full(path);
        lock (gate) return folders.Contains(full) || files.Keys.Any(f => f.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    public string ReadAllText(string path)
    {
        lock (gate) return files.TryGetValue(Full(path), out var f) ? f.Text : throw new FileNotFoundException($"Could not find file '{path}'.", path);
    }

    public Stream OpenRead(string path) => new MemoryStream(Encoding.UTF8.GetBytes(ReadAllText(path)), writable: false);

    public void WriteAllText(string path, string contents)
    {
        var full = Full(path);
        lock (gate)
        {
            if (!DirectoryExistsLocked(Path.GetDirectoryName(full)!)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            files[full] = (contents, clock.UtcNow.UtcDateTime, files.TryGetValue(full, out var old) && old.Executable);
        }
    }

    /// <summary>Creates the file and its folders in one call (a test's arrange step).</summary>
    public InMemoryFileSystem With(string path, string contents, bool executable = false)
    {
        var full = Full(path);
        CreateDirectory(Path.GetDirectoryName(full)!);
        lock (gate) files[full] = (contents, clock.UtcNow.UtcDateTime, executable);
        return this;
    }

    public IEnumerable<string> EnumerateDirectories(string path)
    {
        var full = Full(path);
        lock (gate)
        {
            if (!DirectoryExistsLocked(full)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            return folders.Concat(files.Keys.Select(f => Path.GetDirectoryName(f)!))
                .Where(d => Path.GetDirectoryName(d) == full).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
    }

    public IEnumerable<string> EnumerateFiles(string path, string searchPattern = "*")
    {
        var full = Full(path);
        lock (gate)
            return files.Keys.Where(f => Path.GetDirectoryName(f) == full && Env.EnvRules.Glob(searchPattern, Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList();
    }

    public void CreateDirectory(string path)
    {
        lock (gate)
            for (var d = Full(path); !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d)!)
                if (!folders.Add(d)) break;
    }

    public void WriteAllTextAtomically(string path, string contents) => WriteAllText(path, contents);

    public DateTime GetLastWriteTimeUtc(string path)
    {
        lock (gate) return files.TryGetValue(Full(path), out var f) ? f.Written : DateTime.FromFileTimeUtc(0);
    }

    public FileStamp? Stat(string path)
    {
        lock (gate) return files.TryGetValue(Full(path), out var f) ? new FileStamp(Encoding.UTF8.GetByteCount(f.Text), f.Written.Ticks) : null;
    }

    public bool IsExecutable(string path) { lock (gate) return files.TryGetValue(Full(path), out var f) && f.Executable; }

    public string GetRealPath(string path) => Full(path);

    public void DeleteFile(string path) { lock (gate) files.Remove(Full(path)); }

    public void CopyFile(string source, string destination, bool overwrite)
    {
        var text = ReadAllText(source);
        if (!overwrite && FileExists(destination)) throw new IOException($"The file '{destination}' already exists.");
        WriteAllText(destination, text);
    }

    public TextWriter AppendText(string path) => new Appender(this, Full(path));

    private bool DirectoryExistsLocked(string full) =>
        full == "/" || folders.Contains(full) || files.Keys.Any(f => f.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    /// <summary>Buffers what is written and appends it to the file when flushed or disposed.</summary>
    private sealed class Appender(InMemoryFileSystem fs, string path) : StringWriter
    {
        public override void Flush()
        {
            var text = ToString();
            GetStringBuilder().Clear();
            lock (fs.gate)
            {
                fs.files.TryGetValue(path, out var old);
                fs.files[path] = ((old.Text ?? "") + text, fs.clock.UtcNow.UtcDateTime, old.Executable);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Flush();
            base.Dispose(disposing);
        }
    }
}
