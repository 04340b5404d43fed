using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>All script modules under the script roots, found by alias, uid or tags.</summary>
public sealed class ScriptCatalog
{
    private readonly IReadOnlyList<ScriptMeta> scripts;

    public ScriptCatalog(IEnumerable<ScriptMeta> scripts) => this.scripts = scripts.ToList();

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

    public IReadOnlyList<ScriptMeta> Find(TagQuery query) =>
        query.IsEmpty ? scripts : scripts.Where(s => query.Matches(s.Tags.ToHashSet(StringComparer.Ordinal))).ToList();
}
