using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>Loads one module folder: `_cm.json` first, then CM's `_cm.yaml`.</summary>
public sealed class ScriptLoader(IFileSystem fileSystem)
{
    public const string JsonMetaName = "_cm.json";
    public const string YamlMetaName = "_cm.yaml";

    public ScriptMeta? TryLoad(string directory)
    {
        if (FindMeta(directory) is not { } found) return null;
        var text = fileSystem.ReadAllText(found.Path);
        var meta = found.Path.EndsWith(JsonMetaName, StringComparison.Ordinal)
            ? MetaReader.Parse(text, found.Path, directory)
            : MetaReader.FromJson(YamlMeta.ToJson(text, found.Path), found.Path, directory, MetaReader.Hash(text));
        return meta with { HasCustomizePy = fileSystem.FileExists(Path.Combine(directory, "customize.py")) };
    }

    /// <summary>The meta file a module folder is read from (`_cm.json` before `_cm.yaml`) with its stamp; null when it has neither.</summary>
    public (string Path, FileStamp Stamp)? FindMeta(string directory)
    {
        foreach (var name in (ReadOnlySpan<string>)[JsonMetaName, YamlMetaName, "meta.yaml"])
        {
            var path = Path.Combine(directory, name);
            if (fileSystem.Stat(path) is { } stamp) return (path, stamp);
        }
        return null;
    }

    /// <summary>Every module folder candidate under the roots, in catalog order: roots in order, folders by name.</summary>
    public IEnumerable<(int Root, string Directory)> Folders(IReadOnlyList<string> roots)
    {
        for (var r = 0; r < roots.Count; r++)
        {
            if (!fileSystem.DirectoryExists(roots[r])) continue;
            foreach (var dir in fileSystem.EnumerateDirectories(roots[r]).Order(StringComparer.Ordinal)) yield return (r, dir);
        }
    }
}
