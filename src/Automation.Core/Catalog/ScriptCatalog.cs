using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>All script modules under the script roots, found by alias, uid or tags.</summary>
public sealed class ScriptCatalog
{
    private readonly IReadOnlyList<ScriptMeta> scripts;
    private readonly Dictionary<string, List<int>> byTag = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] tagSets;

    public ScriptCatalog(IEnumerable<ScriptMeta> scripts)
    {
        this.scripts = scripts.ToList();
        tagSets = new HashSet<string>[this.scripts.Count];
        for (var i = 0; i < this.scripts.Count; i++)
        {
            tagSets[i] = this.scripts[i].Tags.ToHashSet(StringComparer.Ordinal);
            foreach (var tag in tagSets[i])
            {
                if (!byTag.TryGetValue(tag, out var list)) byTag[tag] = list = [];
                list.Add(i);
            }
        }
    }

    public static ScriptCatalog Load(IFileSystem fileSystem, IEnumerable<string> roots)
    {
        var loader = new ScriptLoader(fileSystem);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ScriptMeta>();
        foreach (var root in roots)
        {
            if (!fileSystem.DirectoryExists(root)) continue;
            foreach (var dir in fileSystem.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var meta = loader.TryLoad(dir);
                // An earlier root shadows a later one with the same alias.
                if (meta is not null && seen.Add(meta.Alias)) result.Add(meta);
            }
        }
        return new ScriptCatalog(result);
    }

    public IReadOnlyList<ScriptMeta> All => scripts;

    public ScriptMeta? FindByAliasOrUid(string name) =>
        scripts.FirstOrDefault(s => s.Alias == name) ?? scripts.FirstOrDefault(s => s.Uid == name);

    /// <summary>Scripts having every required tag and none of the excluded ones, in catalog order; uses the tag index.</summary>
    public IReadOnlyList<ScriptMeta> Find(TagQuery query)
    {
        if (query.Required.Count == 0) return query.IsEmpty ? scripts : scripts.Where((_, i) => query.Matches(tagSets[i])).ToList();
        List<int>? narrowest = null;
        foreach (var tag in query.Required)
        {
            if (!byTag.TryGetValue(tag, out var list)) return [];
            if (narrowest is null || list.Count < narrowest.Count) narrowest = list;
        }
        return narrowest!.Where(i => query.Matches(tagSets[i])).Select(i => scripts[i]).ToList();
    }
}
