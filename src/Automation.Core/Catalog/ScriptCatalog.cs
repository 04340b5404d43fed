using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// All script modules under the script roots, found by alias, uid or tags. Metas are parsed on first use, so a run
/// that the <see cref="CatalogIndex"/> can answer parses only the scripts its plan touches.
/// Scripts are kept in precedence order (CM_SCRIPT_PATH, registered repositories, builtin last). A script whose
/// alias an earlier root already has is shadowed: plain alias and tag lookups skip it, and `repo:alias`
/// (e.g. `builtin:detect-os`) still reaches it. A meta that cannot be read never fails the
/// catalog: its folder is skipped with one warning (file:line:col) given when the catalog loads, from the index too;
/// what the meta reader read past in a readable meta is reported when that script is first used.
/// </summary>
public sealed class ScriptCatalog
{
    public const char QualifierSeparator = ':';

    private readonly IReadOnlyList<ScriptEntry> all;
    private readonly bool[] shadowed;
    private readonly Dictionary<string, int> winnerByAlias = new(StringComparer.Ordinal);
    private readonly ScriptMeta?[] metas;
    private readonly Func<ScriptEntry, ScriptMeta> load;
    private readonly Dictionary<string, List<int>> byTag = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] tagSets;
    private readonly Action<MetaWarning>? warn;

    public ScriptCatalog(IEnumerable<ScriptMeta> scripts) : this(scripts, null) { }

    private ScriptCatalog(IEnumerable<ScriptMeta> scripts, Action<MetaWarning>? warn) : this(Loaded(scripts.ToList(), out var load), load, warn) { }

    private ScriptCatalog(IReadOnlyList<ScriptEntry> entries, Func<ScriptEntry, ScriptMeta> load, Action<MetaWarning>? warn)
    {
        all = entries;
        this.load = load;
        this.warn = warn;
        metas = new ScriptMeta?[entries.Count];
        tagSets = new HashSet<string>[entries.Count];
        shadowed = new bool[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            shadowed[i] = !winnerByAlias.TryAdd(entries[i].Alias, i);
            tagSets[i] = entries[i].Tags.ToHashSet(StringComparer.Ordinal);
            foreach (var tag in tagSets[i])
            {
                if (!byTag.TryGetValue(tag, out var list)) byTag[tag] = list = [];
                list.Add(i);
            }
        }
        Entries = Enumerable.Range(0, all.Count).Where(i => !shadowed[i]).Select(i => all[i]).ToList();
    }

    /// <summary>
    /// Loads the catalog; with an index file, from the index when no meta changed since it was written. Warnings (skipped
    /// metas, and later those of each script when first used) go to <paramref name="warn"/>.
    /// </summary>
    public static ScriptCatalog Load(IFileSystem fileSystem, IEnumerable<ScriptRoot> roots, string? indexFile = null, IClock? clock = null, Action<MetaWarning>? warn = null)
    {
        var rootList = roots.ToList();
        var loader = new ScriptLoader(fileSystem);
        var byDirectory = new Dictionary<string, ScriptRoot>(StringComparer.Ordinal);
        ScriptMeta? LoadIn(ScriptRoot root, string directory) => loader.TryLoad(directory) is { } meta ? WithRepo(meta, root) : null;
        var index = indexFile is null ? null : new CatalogIndex(fileSystem, indexFile, clock ?? SystemClock.Instance);
        if (index?.TryRead(rootList) is { } indexed)
        {
            foreach (var skipped in indexed.Skipped) warn?.Invoke(skipped);
            foreach (var (root, entry) in indexed.Scripts) byDirectory[entry.Directory] = rootList[root];
            return new ScriptCatalog(indexed.Scripts.Select(x => x.Entry).ToList(), e => LoadIn(byDirectory[e.Directory], e.Directory)
                ?? throw new IOException($"script '{e.Alias}' vanished from '{e.Directory}' while cm was running"), warn);
        }

        var found = loader.Folders(rootList.Select(r => r.Path).ToList()).Select(f => LoadFolder(f.Root, f.Directory)).ToList();
        index?.Write(rootList, found);
        foreach (var folder in found) if (folder.Error is not null) warn?.Invoke(folder.Error.ToWarning());
        return new ScriptCatalog(found.Where(f => f.Meta is not null).Select(f => f.Meta!), warn);

        CatalogIndex.Folder LoadFolder(int root, string directory)
        {
            try
            {
                return new CatalogIndex.Folder(root, directory, LoadIn(rootList[root], directory));
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
    }

    /// <summary>Plain folders of script folders (tests, docs, tools): each root is its own repository named after the folder.</summary>
    public static ScriptCatalog Load(IFileSystem fileSystem, IEnumerable<string> roots, string? indexFile = null, IClock? clock = null, Action<MetaWarning>? warn = null) =>
        Load(fileSystem, roots.Select(r => ScriptRoot.Plain(r)), indexFile, clock, warn);

    private static ScriptMeta WithRepo(ScriptMeta meta, ScriptRoot root) => meta with
    {
        Repo = root.Repo,
        EnvPrefix = root.EnvPrefixFor(meta.MetaFile),
        RepoPath = root.RepoPath,
        RepoPathWithPrefix = root.RepoPathWithPrefix,
    };

    private static List<ScriptEntry> Loaded(List<ScriptMeta> scripts, out Func<ScriptEntry, ScriptMeta> load)
    {
        var byDirectory = scripts.DistinctBy(s => s.Directory, StringComparer.Ordinal).ToDictionary(s => s.Directory, StringComparer.Ordinal);
        load = e => byDirectory[e.Directory];
        return scripts.Select(Entry).ToList();
    }

    public static ScriptEntry Entry(ScriptMeta meta) => new(meta.Alias, meta.Uid, meta.Tags, meta.Directory, meta.Repo);

    /// <summary>Every visible script's meta (parses all of them: for listings, docs and error hints, not the run path).</summary>
    public IReadOnlyList<ScriptMeta> All => Visible().Select(Meta).ToList();

    /// <summary>The scripts plain lookups see, in precedence order (shadowed ones left out).</summary>
    public IReadOnlyList<ScriptEntry> Entries { get; }

    /// <summary>Every script including shadowed ones, in precedence order.</summary>
    public IReadOnlyList<ScriptEntry> AllEntries => all;

    /// <summary>The script that hides this one (an entry of this catalog) behind the same alias; null when it is not shadowed.</summary>
    public ScriptEntry? ShadowedBy(ScriptEntry entry) =>
        winnerByAlias.TryGetValue(entry.Alias, out var winner) && !ReferenceEquals(all[winner], entry) && all[winner] != entry ? all[winner] : null;

    /// <summary>
    /// A script by alias or uid; `repo:name` looks only in that repository (by its alias) and reaches
    /// shadowed scripts too.
    /// </summary>
    public ScriptMeta? FindByAliasOrUid(string name) => IndexOfName(name) is var i and >= 0 ? Meta(i) : null;

    /// <summary>The entry <see cref="FindByAliasOrUid"/> would return, without parsing its meta.</summary>
    public ScriptEntry? FindEntry(string name) => IndexOfName(name) is var i and >= 0 ? all[i] : null;

    /// <summary>Scripts having every required tag and none of the excluded ones, in precedence order; uses the tag index.</summary>
    public IReadOnlyList<ScriptMeta> Find(TagQuery query) => Matching(query, includeShadowed: false).Select(Meta).ToList();

    /// <summary>Like <see cref="Find"/> without parsing metas; shadowed scripts only when asked for.</summary>
    public IReadOnlyList<ScriptEntry> FindEntries(TagQuery query, bool includeShadowed = false) =>
        Matching(query, includeShadowed).Select(i => all[i]).ToList();

    private IEnumerable<int> Matching(TagQuery query, bool includeShadowed)
    {
        IEnumerable<int> candidates;
        if (query.Required.Count == 0)
            candidates = Enumerable.Range(0, all.Count).Where(i => query.IsEmpty || query.Matches(tagSets[i]));
        else
        {
            List<int>? narrowest = null;
            foreach (var tag in query.Required)
            {
                if (!byTag.TryGetValue(tag, out var list)) return [];
                if (narrowest is null || list.Count < narrowest.Count) narrowest = list;
            }
            candidates = narrowest!.Where(i => query.Matches(tagSets[i]));
        }
        return candidates.Where(i => includeShadowed || !shadowed[i]);
    }

    private IEnumerable<int> Visible() => Enumerable.Range(0, all.Count).Where(i => !shadowed[i]);

    private int IndexOfName(string name)
    {
        var at = name.IndexOf(QualifierSeparator);
        var repo = at > 0 ? name[..at] : null;
        var local = at > 0 ? name[(at + 1)..] : name;
        bool InScope(int i) => repo is null ? !shadowed[i] : all[i].Repo == repo;
        for (var i = 0; i < all.Count; i++) if (InScope(i) && all[i].Alias == local) return i;
        for (var i = 0; i < all.Count; i++) if (InScope(i) && all[i].Uid == local) return i;
        return -1;
    }

    private ScriptMeta Meta(int i)
    {
        // Runs are single-threaded up to planning; the dashboard loads a fresh catalog per request.
        if (metas[i] is { } meta) return meta;
        meta = metas[i] = load(all[i]);
        if (warn is not null) foreach (var w in meta.Warnings) warn(w);
        return meta;
    }
}
