using System.Security.Cryptography;
using System.Text;
using Automation.Core.Actions;
using Newtonsoft.Json;

namespace Automation.Core.Caching;

/// <summary>One recorded file: a regular file with its size, time and SHA-256, or a symbolic link with its target.</summary>
/// <param name="Path">Relative to the entry folder ('/' separated), or absolute for a validate path outside it.</param>
public sealed record ManifestFile(string Path, long Size, long WriteTicksUtc, string? Sha256, string? LinkTarget = null)
{
    public bool IsLink => LinkTarget is not null;
}

/// <summary>
/// What an entry held when it was committed (docs/cache.md#integrity): every file under its folder, and every file
/// validate_paths names outside it (a detected binary, a download kept elsewhere), with size, modification time and
/// SHA-256; symbolic links inside the folder by their target, never followed. Kept in <see cref="FileName"/> in the
/// entry folder, whose own SHA-256 entry.json records. Reuse compares sizes and times (a file whose time alone moved is
/// hashed, so `touch` costs a hash, not a rebuild); a full check hashes every file.
/// </summary>
public static class CacheManifest
{
    public const string FileName = "entry.files.json";

    /// <summary>Names under the entry folder that the store owns (entry.json, its temp files, this manifest).</summary>
    public const string ReservedPrefix = "entry.";

    /// <summary>
    /// Left out anywhere in the tree: Python writes `__pycache__`/`*.pyc` beside any module it imports from an entry,
    /// and git rewrites `.git/index` on a mere `git status`; neither is the result.
    /// </summary>
    public static bool IsVolatile(string name) => name is "__pycache__" or ".git" || name.EndsWith(".pyc", StringComparison.Ordinal);

    /// <summary>Records the folder's files (hashing each) and the files among <paramref name="outside"/> that exist.</summary>
    public static List<ManifestFile> Scan(string folder, IEnumerable<string> outside)
    {
        var files = new List<ManifestFile>();
        ScanFolder(new DirectoryInfo(folder), "", files);
        foreach (var path in outside.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            try
            {
                var info = new FileInfo(path);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target) info = target;
                if (info.Exists) files.Add(new ManifestFile(path, info.Length, info.LastWriteTimeUtc.Ticks, Checksums.Sha256(info.FullName)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A validate path we may not read is still checked for existence, as before.
            }
        }
        return files;
    }

    private static void ScanFolder(DirectoryInfo dir, string prefix, List<ManifestFile> files)
    {
        foreach (var info in dir.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (IsVolatile(info.Name) || (prefix.Length == 0 && info.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))) continue;
            var relative = prefix + info.Name;
            if (info.LinkTarget is { } target) files.Add(new ManifestFile(relative, 0, 0, null, target));
            else if (info is DirectoryInfo sub) ScanFolder(sub, relative + "/", files);
            else if (info is FileInfo file) files.Add(new ManifestFile(relative, file.Length, file.LastWriteTimeUtc.Ticks, Checksums.Sha256(file.FullName)));
        }
    }

    /// <summary>
    /// The first difference between the files now and as recorded, or null when they match. Without
    /// <paramref name="hashAll"/> a file is read only when its time moved but its size did not.
    /// </summary>
    public static string? FindChange(string folder, IReadOnlyList<ManifestFile> recorded, bool hashAll)
    {
        if (recorded.Count < ParallelFrom) return Enumerable.Range(0, recorded.Count).Select(i => Check(folder, recorded[i], hashAll)).FirstOrDefault(c => c is not null);
        // A large entry (a dataset, a toolchain) is checked on every core; Break still lets every lower index finish,
        // so the change reported is the first in the manifest's order, as in the sequential case.
        var changes = new string?[recorded.Count];
        Parallel.For(0, recorded.Count, (i, loop) =>
        {
            if ((changes[i] = Check(folder, recorded[i], hashAll)) is not null) loop.Break();
        });
        return changes.FirstOrDefault(c => c is not null);
    }

    /// <summary>Below this many files one thread checks them: starting the others would cost more than it saves.</summary>
    private const int ParallelFrom = 512;

    private static string? Check(string folder, ManifestFile r, bool hashAll)
    {
        var outside = System.IO.Path.IsPathRooted(r.Path);
        var full = outside ? r.Path : System.IO.Path.Combine(folder, r.Path);
        try
        {
            return Change(r, full, outside, hashAll);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{full} cannot be read: {e.Message}";
        }
    }

    private static string? Change(ManifestFile r, string full, bool outside, bool hashAll)
    {
        // One lstat answers existence, size, time and "is a link" for the usual case, a regular file.
        var file = new FileInfo(full);
        var isLink = file.Exists || Directory.Exists(full) ? (file.Attributes & FileAttributes.ReparsePoint) != 0 : file.LinkTarget is not null;
        if (r.LinkTarget is { } target)
            return isLink && file.LinkTarget == target ? null
                : isLink ? $"{full} links to {file.LinkTarget}, {target} when the entry was built"
                : $"{full} (a link to {target}) is gone";
        if (isLink)
        {
            if (!outside) return $"{full} became a symbolic link";
            file = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
        }
        if (!file.Exists) return $"{full} is gone";
        if (file.Length != r.Size) return $"{full} has {file.Length} bytes, {r.Size} when the entry was built";
        if ((hashAll || file.LastWriteTimeUtc.Ticks != r.WriteTicksUtc) && Checksums.Sha256(file.FullName) != r.Sha256)
            return $"{full} was modified after the entry was built (its SHA-256 differs)";
        return null;
    }

    public static string Write(IReadOnlyList<ManifestFile> files)
    {
        var text = new StringWriter();
        using (var w = new JsonTextWriter(text))
        {
            w.WriteStartObject();
            w.WritePropertyName("format");
            w.WriteValue(1);
            w.WritePropertyName("files");
            w.WriteStartArray();
            foreach (var f in files)
            {
                w.WriteStartArray();
                w.WriteValue(f.Path);
                if (f.LinkTarget is { } target)
                {
                    w.WriteValue("link");
                    w.WriteValue(target);
                }
                else
                {
                    w.WriteValue(f.Size);
                    w.WriteValue(f.WriteTicksUtc);
                    w.WriteValue(f.Sha256);
                }
                w.WriteEndArray();
                text.Write('\n');
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return text.ToString();
    }

    /// <summary>Parses a manifest; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static List<ManifestFile> Read(string text)
    {
        var files = new List<ManifestFile>();
        try
        {
            using var r = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
            Expect(r, JsonToken.StartObject);
            while (Next(r) == JsonToken.PropertyName)
            {
                var name = (string)r.Value!;
                if (name == "format")
                {
                    if (r.ReadAsInt32() != 1) throw new InvalidDataException("unknown manifest format");
                }
                else if (name == "files")
                {
                    Expect(r, JsonToken.StartArray);
                    while (Next(r) == JsonToken.StartArray) files.Add(ReadFile(r));
                    if (r.TokenType != JsonToken.EndArray) throw new InvalidDataException("'files' is not a list of lists");
                }
                else r.Skip();
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the file manifest is not valid JSON: {e.Message}", e);
        }
        return files;
    }

    /// <summary>SHA-256 of the manifest's text, which entry.json records.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static ManifestFile ReadFile(JsonTextReader r)
    {
        var path = r.ReadAsString() ?? throw new InvalidDataException("a manifest row has no path");
        Next(r);
        ManifestFile file;
        if (r.TokenType == JsonToken.String && (string?)r.Value == "link")
            file = new ManifestFile(path, 0, 0, null, r.ReadAsString() ?? throw new InvalidDataException($"link {path} has no target"));
        else if (r.TokenType == JsonToken.Integer)
        {
            var size = Convert.ToInt64(r.Value, System.Globalization.CultureInfo.InvariantCulture);
            Next(r);
            var ticks = r.TokenType == JsonToken.Integer ? Convert.ToInt64(r.Value, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidDataException($"{path} has no time");
            file = new ManifestFile(path, size, ticks, r.ReadAsString() ?? throw new InvalidDataException($"{path} has no SHA-256"));
        }
        else throw new InvalidDataException($"manifest row {path} is neither a file nor a link");
        if (Next(r) != JsonToken.EndArray) throw new InvalidDataException($"manifest row {path} is too long");
        return file;
    }

    private static JsonToken Next(JsonTextReader r) => r.Read() ? r.TokenType : throw new InvalidDataException("the file manifest ends early");

    private static void Expect(JsonTextReader r, JsonToken token)
    {
        if (Next(r) != token) throw new InvalidDataException($"the file manifest has {r.TokenType} where {token} belongs");
    }
}
