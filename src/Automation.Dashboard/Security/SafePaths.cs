namespace Automation.Dashboard.Security;

/// <summary>Maps a user-given relative path onto a file or folder inside one root, or refuses: no "..", no rooted paths, no links out.</summary>
public static class SafePaths
{
    /// <returns>The full path inside <paramref name="root"/>, or null when the path is unsafe or points outside.</returns>
    public static string? Resolve(string root, string? relative)
    {
        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        relative ??= "";
        if (relative.Contains('\0') || relative.Contains('\\') || Path.IsPathRooted(relative)) return null;
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or "..")) return null;
        var full = Path.GetFullPath(Path.Combine([fullRoot, .. parts]));
        if (!IsInside(fullRoot, full)) return null;
        // Each existing component must stay inside the root once links are followed.
        var current = fullRoot;
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (!info.Exists) break;
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target && !IsInside(fullRoot, target.FullName)) return null;
        }
        return full;
    }

    public static bool IsInside(string root, string path)
    {
        var r = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var p = Path.GetFullPath(path);
        return p == r || p.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The path relative to the root with forward slashes, for links in the page.</summary>
    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
