using System.Security.Cryptography;
using Automation.Core.Files;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>SHA-256 and size of files, for outputs, datasets and models in records and crates.</summary>
public static class FileDigest
{
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// One entry per file under <paramref name="root"/> (paths relative to it, '/'-separated, sorted), skipping
    /// <paramref name="exclude"/>: a name there matches a file at the root or a whole top-level folder.
    /// </summary>
    public static JArray Files(string root, ISet<string> exclude, int limit = 5000)
    {
        var list = new JArray();
        if (!Directory.Exists(root)) return list;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Select(f => (Full: f, Rel: Path.GetRelativePath(root, f).Replace('\\', '/')))
                     .Where(f => !exclude.Contains(f.Rel) && !exclude.Contains(f.Rel.Split('/')[0] + "/") && !f.Rel.Contains(AtomicFile.TempMarker, StringComparison.Ordinal))
                     .OrderBy(f => f.Rel, StringComparer.Ordinal).Take(limit))
            list.Add(Describe(file.Full, file.Rel));
        return list;
    }

    public static JObject Describe(string fullPath, string name) => new()
    {
        ["path"] = name,
        ["bytes"] = new FileInfo(fullPath).Length,
        ["sha256"] = Sha256(fullPath),
    };

    /// <summary>Total size of a folder's files (0 when it is absent).</summary>
    public static long FolderBytes(string? dir) =>
        dir is not null && Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => { try { return new FileInfo(f).Length; } catch (IOException) { return 0L; } })
            : 0;
}
