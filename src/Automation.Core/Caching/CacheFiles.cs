namespace Automation.Core.Caching;

/// <summary>File-system moves the cache's crash model depends on.</summary>
internal static class CacheFiles
{
    /// <summary>
    /// Readers see the old file, the new one, or none, never a partial one: the text goes to a unique temp file
    /// that is renamed over the target (rename is atomic within a directory).
    /// </summary>
    public static void WriteAtomically(string path, string text)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    public static void TryDeleteFile(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Deletes a folder tree; installers like to leave read-only files, so a second pass clears that.</summary>
    public static void DeleteTree(string dir)
    {
        if (!Directory.Exists(dir)) return;
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (UnauthorizedAccessException)
        {
            MakeWritable(dir);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void MakeWritable(string dir)
    {
        foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(dir)))
        {
            if (info.LinkTarget is not null) continue;
            info.Attributes &= ~FileAttributes.ReadOnly;
            if (!OperatingSystem.IsWindows()) info.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
    }
}
