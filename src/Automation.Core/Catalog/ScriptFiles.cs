using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// The content of a script folder as one SHA-256: every file's path and bytes (run.sh, customize.py, the meta,
/// templates, patches ...), so that editing any of them gives the script's calls new cache keys (docs/cache.md).
/// Left out: hidden names (`.git`, editors' `.run.sh.swp`), `__pycache__` and `*.pyc` (Python writes them when
/// customize.py is imported), and `*~` backups; none of them is what the script runs.
/// </summary>
public static class ScriptFiles
{
    /// <summary>Folders nested deeper are not read: a link loop must not hang the catalog.</summary>
    public const int MaxDepth = 8;

    public static string Hash(IFileSystem fileSystem, string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(long)];
        var buffer = new byte[16 * 1024];
        foreach (var (relative, path) in Files(fileSystem, directory, "", 0))
        {
            var name = Encoding.UTF8.GetBytes(relative);
            BinaryPrimitives.WriteInt64LittleEndian(length, name.Length);
            sha.AppendData(length);
            sha.AppendData(name);
            try
            {
                using var stream = fileSystem.OpenRead(path);
                for (int read; (read = stream.Read(buffer)) > 0;) sha.AppendData(buffer, 0, read);
                BinaryPrimitives.WriteInt64LittleEndian(length, stream.Position);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable file still counts, as unreadable: the run itself will say what is wrong with it.
                BinaryPrimitives.WriteInt64LittleEndian(length, -1);
            }
            sha.AppendData(length);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Whether a file or folder name takes part in the hash.</summary>
    public static bool Counts(string name) =>
        name.Length > 0 && name[0] != '.' && name != "__pycache__" && !name.EndsWith(".pyc", StringComparison.Ordinal) && !name.EndsWith('~');

    private static IEnumerable<(string Relative, string Path)> Files(IFileSystem fileSystem, string directory, string prefix, int depth)
    {
        if (depth > MaxDepth || !fileSystem.DirectoryExists(directory)) yield break;
        foreach (var file in fileSystem.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (Counts(name)) yield return (prefix + name, file);
        }
        foreach (var sub in fileSystem.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (!Counts(name)) continue;
            foreach (var f in Files(fileSystem, sub, prefix + name + "/", depth + 1)) yield return f;
        }
    }
}
