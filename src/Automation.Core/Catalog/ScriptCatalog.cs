using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// All script modules under the script roots, found by alias, uid or tags. Metas are parsed on first use, so a run
/// that the <see cref="CatalogIndex"/> can answer parses only the scripts its plan touches. A meta that cannot be read
/// never fails the catalog: its folder is skipped with one warning (file:line:col) given when the catalog loads, from
/// the index too; what the meta reader read past in a readable meta is reported when that script is first used.
/// </summary>
public sealed class ScriptCatalog
{
    private readonly IReadOnlyList<ScriptEntry> entries;
    private readonly ScriptMeta?[] metas;
    private readonly Func<ScriptEntry, ScriptMeta> load;
    private readonly Dictionary<string, List<int>> byTag = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] tagSets;
    private readonly Action<MetaWarning>? warn;

    public ScriptCatalog(IEnumerable<ScriptMeta> scripts) : this(scripts, null) { }

    private ScriptCatalog(IEnumerable<ScriptMeta> scripts, Action<MetaWarning>? warn) : this(Loaded(scripts.ToList(), out var load), load, warn) { }

    private ScriptCatalog(IReadOnlyList<ScriptEntry> entries, Func<ScriptEntry, ScriptMeta> load, Action<MetaWarning>? warn)
    {
        this.entries = entries;
        this.load = load;
        this.warn = warn;
        metas = new ScriptMeta?[entries.Count];
        tagSets = new HashSet<string>[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            tagSets[i] = entries[i].Tags.ToHashSet(StringComparer.Ordinal);
            foreach (var tag in tagSets[i])
            {
                if (!byTag.TryGetValue(tag, out var list)) byTag[tag] = list = [];
                list.Add(i);
            }
        }
    }

    /// <summary>
    /// Loads the catalog; with an index file, from the index when no meta changed since it was written. Warnings (skipped
    /// metas, and later those of each script when first used) go to <paramref name="warn"/>.
    /// </summary>
    public static ScriptCatalog Load(IFileSystem fileSystem, IEnumerable<string> roots, string? indexFile = null, IClock? clock = null, Action<MetaWarning>? warn = null)
    {
        var rootList = roots.ToList();
        var loader = new ScriptLoader(fileSystem);
        var index = indexFile is null ? null : new CatalogIndex(fileSystem, indexFile, clock ?? SystemClock.Instance);
        if (index?.TryRead(rootList) is { } indexed)
        {
            foreach (var skipped in indexed.Skipped) warn?.Invoke(skipped);
            return new ScriptCatalog(Shadow(indexed.Scripts), e => loader.TryLoad(e.Directory)
                ?? throw new IOException($"script '{e.Alias}' vanished from '{e.Directory}' while cm was running"), warn);
        }

        var found = loader.Folders(rootList).Select(f => LoadFolder(loader, f.Root, f.Directory)).ToList();
        index?.Write(rootList, found);
        foreach (var f in found) if (f.Error is not null) warn?.Invoke(f.Error.ToWarning());
        return new ScriptCatalog(found.Where(f => f.Meta is not null).Select(f => f.Meta!).DistinctBy(m => m.Alias, StringComparer.Ordinal), warn);
    }

    private static CatalogIndex.Folder LoadFolder(ScriptLoader loader, int root, string directory)
    {
        try
        {
            return new CatalogIndex.Folder(root, directory, loader.TryLoad(directory));
        }
        catch (MetaException e)
        {
            return new CatalogIndex.Folder(root, directory, null, e);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException) && loader.FindMeta(directory) is { } meta)
        {
            // A bug of ours on one odd meta must not take the catalog down with it.
            return new CatalogIndex.Folder(root, directory, null,
                new MetaException($"could not be read: internal error ({e.GetType().Name}: {e.Message}); please report it", meta.Path));
        }
    }

    // An earlier root shadows a later one with the same alias.
    private static List<ScriptEntry> Shadow(IEnumerable<ScriptEntry> inRootOrder) => inRootOrder.DistinctBy(e => e.Alias, StringComparer.Ordinal).ToList();

    private static List<ScriptEntry> Loaded(List<ScriptMeta> scripts, out Func<ScriptEntry, ScriptMeta> load)
    {
        var byDirectory = scripts.ToDictionary(s => s.Directory, StringComparer.Ordinal);
        load = e => byDirectory[e.Directory];
        return scripts.Select(Entry).ToList();
    }

    public static ScriptEntry Entry(ScriptMeta meta) => new(meta.Alias, meta.Uid, meta.Tags, meta.Directory);

    /// <summary>Every script's meta (parses all of them: for listings, docs and error hints, not the run path).</summary>
    public IReadOnlyList<ScriptMeta> All => Enumerable.Range(0, entries.Count).Select(Meta).ToList();

    public IReadOnlyList<ScriptEntry> Entries => entries;

    public ScriptMeta? FindByAliasOrUid(string name)
    {
        for (var i = 0; i < entries.Count; i++) if (entries[i].Alias == name) return Meta(i);
        for (var i = 0; i < entries.Count; i++) if (entries[i].Uid == name) return Meta(i);
        return null;
    }

    /// <summary>Scripts having every required tag and none of the excluded ones, in catalog order; uses the tag index.</summary>
    public IReadOnlyList<ScriptMeta> Find(TagQuery query)
    {
        if (query.Required.Count == 0)
            return Enumerable.Range(0, entries.Count).Where(i => query.IsEmpty || query.Matches(tagSets[i])).Select(Meta).ToList();
        List<int>? narrowest = null;
        foreach (var tag in query.Required)
        {
            if (!byTag.TryGetValue(tag, out var list)) return [];
            if (narrowest is null || list.Count < narrowest.Count) narrowest = list;
        }
        return narrowest!.Where(i => query.Matches(tagSets[i])).Select(Meta).ToList();
    }

    private ScriptMeta Meta(int i)
    {
        // Runs are single-threaded up to planning; the dashboard loads a fresh catalog per request.
        if (metas[i] is { } meta) return meta;
        meta = metas[i] = load(entries[i]);
        if (warn is not null) foreach (var w in meta.Warnings) warn(w);
        return meta;
    }
}
