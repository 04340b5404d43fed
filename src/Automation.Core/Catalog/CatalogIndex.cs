using System.Globalization;
using System.Text;
using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// Alias, uid and tags of every script, with the size and time of each meta file, kept beside the cache so that a
/// run parses only the metas it needs. The index is used only when every script folder and meta file is exactly as
/// recorded, under the same roots (repositories, prefixes); otherwise the catalog is loaded in full and the index
/// rewritten. Like git's index it refuses to record a meta changed within the last seconds, whose next edit could keep
/// the same time and size. A meta that cannot be read is recorded with its warning (and stamp), so an indexed run
/// still reports it without parsing anything.
/// </summary>
public sealed class CatalogIndex(IFileSystem fileSystem, string path, IClock clock)
{
    private const string Header = "cm-catalog-index 3";
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(3);
    private readonly ScriptLoader loader = new(fileSystem);

    /// <summary>One module folder as recorded; a folder without a meta has no file, stamp or script; an unreadable one has its warning.</summary>
    private sealed record Row(int Root, string Directory, string? MetaFile, FileStamp? Stamp, ScriptEntry? Script, MetaWarning? Skipped = null);

    /// <summary>The scripts in root order, each with the index of its root, and the warnings of the metas skipped as unreadable.</summary>
    public sealed record Contents(IReadOnlyList<(int Root, ScriptEntry Entry)> Scripts, IReadOnlyList<MetaWarning> Skipped);

    /// <summary>One module folder of a full load: its script, or the error that made it unreadable, or neither (no meta).</summary>
    public sealed record Folder(int Root, string Directory, ScriptMeta? Meta, MetaException? Error = null);

    /// <summary>The catalog when the index is fresh for these roots (same folders, repositories and prefixes); null when it is missing or stale.</summary>
    public Contents? TryRead(IReadOnlyList<ScriptRoot> roots)
    {
        try
        {
            if (fileSystem.Stat(path) is null) return null;
            var rows = Parse(fileSystem.ReadAllText(path), roots);
            return rows is not null && IsFresh(rows, roots)
                ? new Contents(rows.Where(r => r.Script is not null).Select(r => (r.Root, r.Script!)).ToList(), rows.Where(r => r.Skipped is not null).Select(r => r.Skipped!).ToList())
                : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Records a full load; never fails the run (a read-only cache just means no index).</summary>
    public void Write(IReadOnlyList<ScriptRoot> roots, IReadOnlyList<Folder> found)
    {
        var now = clock.UtcNow.UtcDateTime.Ticks;
        var text = new StringBuilder(Header).Append('\n');
        foreach (var root in roots) text.Append(RootLine(root)).Append('\n');
        foreach (var (root, dir, meta, error) in found)
        {
            var file = meta?.MetaFile ?? error?.File;
            var stamp = file is null ? null : fileSystem.Stat(file);
            if (file is not null && (stamp is null || now - stamp.Value.LastWriteTicksUtc < RacyWindow.Ticks)) return;
            var at = Number(root);
            string[] fields = file is null ? ["d", at, dir, "-"]
                : meta is not null
                    ? ["d", at, dir, file, Number(stamp!.Value.Length), Number(stamp.Value.LastWriteTicksUtc), meta.Alias, meta.Uid, string.Join(',', meta.Tags)]
                    : ["b", at, dir, file, Number(stamp!.Value.Length), Number(stamp.Value.LastWriteTicksUtc), Number(error!.Line), Number(error.Column), OneLine(error.ToWarning().Message)];
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

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string OneLine(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>Everything about a root that a lookup reports: a changed repository name or prefix makes the index stale.</summary>
    private static string RootLine(ScriptRoot root) =>
        string.Join('\t', "root", root.Source switch { RootSource.ScriptPath => "path", RootSource.Registered => "repo", _ => "builtin" }, root.Repo, root.EnvPrefix ?? "-", root.RepoPath, root.RepoPrefix ?? "-", root.Path);

    /// <summary>The rows of an index written by <see cref="Write"/>; null for anything else (another version, a damaged or edited file).</summary>
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
            if (f.Length < 4 || !TryInt(f[1], out var root) || root >= roots.Count || f[2].Length == 0) return null;
            if (f.Length == 4 && f[0] == "d" && f[3] == "-") { rows.Add(new Row(root, f[2], null, null, null)); continue; }
            if (f.Length != 9 || f[3].Length == 0 || !TryLong(f[4], out var length) || !TryLong(f[5], out var ticks)) return null;
            var stamp = new FileStamp(length, ticks);
            if (f[0] == "b" && TryInt(f[6], out var atLine) && TryInt(f[7], out var column))
                rows.Add(new Row(root, f[2], f[3], stamp, null, new MetaWarning(f[3], atLine, column, f[8])));
            else if (f[0] == "d" && f[6].Length > 0 && f[7].Length > 0)
                rows.Add(new Row(root, f[2], f[3], stamp, new ScriptEntry(f[6], f[7], f[8].Split(',', StringSplitOptions.RemoveEmptyEntries), f[2], roots[root].Repo)));
            else return null;
        }
        return rows;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

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
