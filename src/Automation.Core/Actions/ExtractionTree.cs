namespace Automation.Core.Actions;

/// <summary>
/// The staging directory an archive is unpacked into, and the gatekeeper for every entry. Rules:
/// entry names are normalised ('\' counts as '/'); absolute paths, drive letters and '..' that climbs above the root
/// are refused; nothing is ever written through a link from the archive; symbolic links must be relative and stay
/// inside the root after following the archive's other links (they are created last, once all are known); hard links
/// must name a regular file extracted earlier and are materialised as copies. The files written may add up to
/// <paramref name="maxBytes"/> at most: the copy stops at the limit, so an archive bomb never fills the disk.
/// </summary>
internal sealed class ExtractionTree(string root, string archive, int stripComponents, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
{
    private const int MaxLinkDepth = 40;
    private readonly Dictionary<string, (string Name, string Target)> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly List<string> _entries = [];

    /// <summary>Relative paths ('/'-separated) of the files and links written, in archive order.</summary>
    public IReadOnlyList<string> Entries => _entries;
    public long Bytes { get; private set; }

    public void AddDirectory(string name, UnixFileMode? mode)
    {
        if (Place(name) is not { } relative) return;
        _links.Remove(relative);
        var full = FullPath(relative);
        Directory.CreateDirectory(full);
        SetMode(full, mode, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void AddFile(string name, Stream data, UnixFileMode? mode)
    {
        if (Place(name) is not { } relative) return;
        _links.Remove(relative);
        var full = PrepareFile(relative);
        using (var output = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = data.Read(buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Count(name, read);
                output.Write(buffer, 0, read);
            }
        }
        SetMode(full, mode, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _files.Add(relative);
    }

    public void AddSymbolicLink(string name, string target)
    {
        if (Place(name) is not { } relative) return;
        if (IsRooted(target)) throw Unsafe(name, $"is a link to the absolute path '{target}'");
        var full = PrepareFile(relative);
        if (File.Exists(full)) File.Delete(full);
        _files.Remove(relative);
        _links[relative] = (name, target);
    }

    public void AddHardLink(string name, string target)
    {
        if (Place(name) is not { } relative) return;
        var source = TrySegments(target, out _) is { } segments && segments.Count > stripComponents
            ? string.Join('/', segments.Skip(stripComponents))
            : null;
        if (source is null || !_files.Contains(source))
            throw Unsafe(name, $"is a hard link to '{target}', which is not a file extracted before it");
        Count(name, new FileInfo(FullPath(source)).Length);
        var full = PrepareFile(relative);
        File.Copy(FullPath(source), full, overwrite: true);
        _files.Add(relative);
    }

    /// <summary>Checks every symbolic link against the complete link set, then creates them.</summary>
    public void Complete()
    {
        foreach (var (relative, (name, target)) in _links)
        {
            var directory = relative.Split('/').SkipLast(1).ToList();
            if (Resolve(directory, target, 0) is null)
                throw Unsafe(name, $"is a link to '{target}', which points outside the target directory (or loops)");
        }
        foreach (var (relative, (_, target)) in _links)
            File.CreateSymbolicLink(FullPath(relative), target);
    }

    public UnsafeArchiveEntryException Unsafe(string entry, string reason) => new(archive, entry, reason);

    private void Count(string entry, long bytes)
    {
        if (Bytes + bytes > maxBytes) throw new ArchiveTooLargeException(archive, entry, maxBytes);
        Bytes += bytes;
    }

    private string PrepareFile(string relative)
    {
        var full = FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (!_entries.Contains(relative)) _entries.Add(relative);
        return full;
    }

    /// <summary>The entry's relative path, or null when --strip-components removes it entirely.</summary>
    private string? Place(string name)
    {
        var segments = TrySegments(name, out var problem) ?? throw Unsafe(name, problem!);
        if (segments.Count <= stripComponents) return null;
        segments = segments.Skip(stripComponents).ToList();
        for (var i = 1; i < segments.Count; i++)
        {
            var prefix = string.Join('/', segments.Take(i));
            if (_links.ContainsKey(prefix)) throw Unsafe(name, $"would be written through the link '{prefix}'");
        }
        var relative = string.Join('/', segments);
        var full = FullPath(relative);
        // Belt and braces: the lexical rules above should make this impossible.
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Unsafe(name, "resolves outside the target directory");
        return relative;
    }

    private string FullPath(string relative) => Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));

    private static List<string>? TrySegments(string name, out string? problem)
    {
        problem = null;
        var text = name.Replace('\\', '/');
        if (IsRooted(text))
        {
            problem = text.StartsWith('/') ? "has an absolute path" : "starts with a drive letter";
            return null;
        }
        var segments = new List<string>();
        foreach (var part in text.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part != "..") segments.Add(part);
            else if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
            else
            {
                problem = "climbs out of the target directory with '..'";
                return null;
            }
        }
        return segments;
    }

    /// <summary>Follows <paramref name="target"/> from <paramref name="start"/> through the archive's links; null if it leaves the root.</summary>
    private List<string>? Resolve(List<string> start, string target, int depth)
    {
        if (depth > MaxLinkDepth || IsRooted(target)) return null;
        var segments = new List<string>(start);
        foreach (var part in target.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (segments.Count == 0) return null;
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(part);
            if (!_links.TryGetValue(string.Join('/', segments), out var link)) continue;
            segments.RemoveAt(segments.Count - 1);
            if (Resolve(segments, link.Target, depth + 1) is not { } resolved) return null;
            segments = resolved;
        }
        return segments;
    }

    private static bool IsRooted(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');

    private static void SetMode(string path, UnixFileMode? mode, UnixFileMode ownerNeeds)
    {
        if (OperatingSystem.IsWindows() || mode is not { } value || value == UnixFileMode.None) return;
        // Permission bits only (no setuid/setgid/sticky), and never lock ourselves out of what we must move or delete.
        const UnixFileMode permissions = (UnixFileMode)0x1FF;
        File.SetUnixFileMode(path, (value & permissions) | ownerNeeds);
    }
}
