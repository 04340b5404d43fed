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
    private const string Header = "cm-catalog-index 2";
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(3);
    private readonly ScriptLoader loader = new(fileSystem);

    /// <summary>One module folder as recorded; a folder without a meta has no file, stamp or script; one with an unreadable meta no script.</summary>
    private sealed record Row(int Root, string Directory, string? MetaFile, FileStamp? Stamp, ScriptEntry? Script);

    /// <summary>
    /// The scripts in root order, each with the index of its root, when the index is fresh for these roots (same
    /// folders, repositories and prefixes); null when it is missing or stale.
    /// </summary>
    public IReadOnlyList<(int Root, ScriptEntry Entry)>? TryRead(IReadOnlyList<ScriptRoot> roots)
    {
        try
        {
            if (fileSystem.Stat(path) is null) return null;
            var rows = Parse(fileSystem.ReadAllText(path), roots);
            return rows is not null && IsFresh(rows, roots) ? rows.Where(r => r.Script is not null).Select(r => (r.Root, r.Script!)).ToList() : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (FormatException) { return null; }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    /// <summary>Records a full load; never fails the run (a read-only cache just means no index).</summary>
    public void Write(IReadOnlyList<ScriptRoot> roots, IReadOnlyList<(int Root, string Dir, ScriptMeta? Meta)> found)
    {
        var now = clock.UtcNow.UtcDateTime.Ticks;
        var text = new StringBuilder(Header).Append('\n');
        foreach (var root in roots) text.Append(RootLine(root)).Append('\n');
        foreach (var (root, dir, meta) in found)
        {
            // A folder whose meta exists but could not be read is recorded with that meta's stamp (and no script),
            // so the index stays valid until someone fixes the file.
            var file = meta?.MetaFile ?? loader.FindMeta(dir)?.Path;
            var stamp = file is null ? null : fileSystem.Stat(file);
            if (file is not null && (stamp is null || now - stamp.Value.LastWriteTicksUtc < RacyWindow.Ticks)) return;
            var at = root.ToString(CultureInfo.InvariantCulture);
            string[] fields = file is null ? ["d", at, dir, "-"]
                : meta is null ? ["b", at, dir, file, Stamp(stamp!.Value.Length), Stamp(stamp.Value.LastWriteTicksUtc)]
                : ["d", at, dir, file, Stamp(stamp!.Value.Length), Stamp(stamp.Value.LastWriteTicksUtc), meta.Alias, meta.Uid, string.Join(',', meta.Tags)];
            if (fields.Any(f => f.Contains('\t') || f.Contains('\n')) || meta?.Tags.Any(t => t.Contains(',')) == true) return;
            text.AppendJoin('\t', fields).Append('\n');
        }
        try
        {
            fileSystem.CreateDirectory(Path.GetDirectoryName(path)!);
            fileSystem.WriteAllTextAtomically(path, text.ToString());
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string Stamp(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Everything about a root that a lookup reports: a changed repository name or prefix makes the index stale.</summary>
    private static string RootLine(ScriptRoot root) =>
        string.Join('\t', "root", root.Source switch { RootSource.ScriptPath => "path", RootSource.Registered => "repo", _ => "builtin" }, root.Repo, root.EnvPrefix ?? "-", root.RepoPath, root.RepoPrefix ?? "-", root.Path);

    private static List<Row>? Parse(string text, IReadOnlyList<ScriptRoot> roots)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 1 + roots.Count || lines[0] != Header) return null;
        for (var r = 0; r < roots.Count; r++)
            if (lines[1 + r] != RootLine(roots[r])) return null;
        var rows = new List<Row>();
        foreach (var line in lines.Skip(1 + roots.Count))
        {
            var f = line.Split('\t');
            if (f.Length == 4 && f[0] == "d" && f[3] == "-") rows.Add(new Row(int.Parse(f[1], CultureInfo.InvariantCulture), f[2], null, null, null));
            else if (f.Length == 6 && f[0] == "b")
                rows.Add(new Row(int.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3],
                    new FileStamp(long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture)), null));
            else if (f.Length == 9 && f[0] == "d")
                rows.Add(new Row(int.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3],
                    new FileStamp(long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture)),
                    new ScriptEntry(f[6], f[7], f[8].Split(',', StringSplitOptions.RemoveEmptyEntries), f[2], roots[int.Parse(f[1], CultureInfo.InvariantCulture)].Repo)));
            else return null;
        }
        return rows;
    }

    /// <summary>The same folders in the same order, each read from the same meta file, unchanged.</summary>
    private bool IsFresh(List<Row> rows, IReadOnlyList<ScriptRoot> roots)
    {
        var at = 0;
        foreach (var (root, dir) in loader.Folders(roots.Select(r => r.Path).ToList()))
        {
            if (at >= rows.Count || rows[at].Root != root || rows[at].Directory != dir) return false;
            var meta = loader.FindMeta(dir);
            if (meta?.Path != rows[at].MetaFile || meta?.Stamp != rows[at].Stamp) return false;
            at++;
        }
        return at == rows.Count;
    }
}
