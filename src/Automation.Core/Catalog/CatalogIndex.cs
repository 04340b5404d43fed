using System.Globalization;
using System.Text;
using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// Alias, uid and tags of every script, with the size and time of each meta file, kept beside the cache so that a
/// run parses only the metas it needs. The index is used only when every script folder and meta file is exactly as
/// recorded; otherwise the catalog is loaded in full and the index rewritten. Like git's index it refuses to record
/// a meta changed within the last seconds, whose next edit could keep the same time and size.
/// </summary>
public sealed class CatalogIndex(IFileSystem fileSystem, string path, IClock clock)
{
    private const string Header = "cm-catalog-index 1";
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(3);

    public sealed record Row(int Root, string Directory, string? MetaFile, FileStamp? Stamp, ScriptEntry? Script)
    {
        public ScriptEntry Entry => Script!;
    }

    /// <summary>The scripts in root order when the index is fresh for these roots; null when it is missing or stale.</summary>
    public IReadOnlyList<Row>? TryRead(IReadOnlyList<string> roots)
    {
        try
        {
            if (fileSystem.Stat(path) is null) return null;
            var rows = Parse(fileSystem.ReadAllText(path), roots);
            return rows is not null && IsFresh(rows, roots) ? rows.Where(r => r.Script is not null).ToList() : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Records a full load; never fails the run (a read-only cache just means no index).</summary>
    public void Write(IReadOnlyList<string> roots, IReadOnlyList<(int Root, string Dir, ScriptMeta? Meta)> found)
    {
        var now = clock.UtcNow.UtcDateTime.Ticks;
        var text = new StringBuilder(Header).Append('\n').Append("roots");
        foreach (var root in roots) text.Append('\t').Append(root);
        text.Append('\n');
        foreach (var (root, dir, meta) in found)
        {
            var file = meta?.MetaFile;
            var stamp = file is null ? null : fileSystem.Stat(file);
            if (file is not null && (stamp is null || now - stamp.Value.LastWriteTicksUtc < RacyWindow.Ticks)) return;
            string[] fields = meta is null
                ? ["d", root.ToString(CultureInfo.InvariantCulture), dir, "-"]
                : ["d", root.ToString(CultureInfo.InvariantCulture), dir, file!, stamp!.Value.Length.ToString(CultureInfo.InvariantCulture),
                   stamp.Value.LastWriteTicksUtc.ToString(CultureInfo.InvariantCulture), meta.Alias, meta.Uid, string.Join(',', meta.Tags)];
            if (fields.Any(f => f.Contains('\t') || f.Contains('\n')) || meta?.Tags.Any(t => t.Contains(',')) == true) return;
            text.AppendJoin('\t', fields).Append('\n');
        }
        try
        {
            fileSystem.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = $"{path}.tmp-{Environment.ProcessId}";
            fileSystem.WriteAllText(temp, text.ToString());
            fileSystem.MoveFile(temp, path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static List<Row>? Parse(string text, IReadOnlyList<string> roots)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0] != Header || lines[1] != string.Join('\t', roots.Prepend("roots"))) return null;
        var rows = new List<Row>();
        foreach (var line in lines.Skip(2))
        {
            var f = line.Split('\t');
            if (f.Length == 4 && f[0] == "d" && f[3] == "-") rows.Add(new Row(int.Parse(f[1], CultureInfo.InvariantCulture), f[2], null, null, null));
            else if (f.Length == 9 && f[0] == "d")
                rows.Add(new Row(int.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3],
                    new FileStamp(long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture)),
                    new ScriptEntry(f[6], f[7], f[8].Split(',', StringSplitOptions.RemoveEmptyEntries), f[2])));
            else return null;
        }
        return rows;
    }

    private bool IsFresh(List<Row> rows, IReadOnlyList<string> roots)
    {
        var at = 0;
        for (var r = 0; r < roots.Count; r++)
        {
            if (!fileSystem.DirectoryExists(roots[r])) continue;
            foreach (var dir in fileSystem.EnumerateDirectories(roots[r]).Order(StringComparer.Ordinal))
            {
                if (at >= rows.Count || rows[at].Root != r || rows[at].Directory != dir || !SameMeta(rows[at])) return false;
                at++;
            }
        }
        return at == rows.Count;
    }

    // The meta the loader would pick now (JSON before YAML) must be the recorded file, unchanged.
    private bool SameMeta(Row row)
    {
        var json = fileSystem.Stat(Path.Combine(row.Directory, ScriptLoader.JsonMetaName));
        var current = json is not null ? (Path.Combine(row.Directory, ScriptLoader.JsonMetaName), json)
            : fileSystem.Stat(Path.Combine(row.Directory, ScriptLoader.YamlMetaName)) is { } yaml ? (Path.Combine(row.Directory, ScriptLoader.YamlMetaName), yaml)
            : ((string?)null, (FileStamp?)null);
        return current.Item1 == row.MetaFile && current.Item2 == row.Stamp;
    }
}
