using Automation.Core.Meta;
using Automation.Core.World;

namespace Automation.Core.Catalog;

/// <summary>
/// Loads one module folder from the first meta file it has, in this order: `_cm.json` (ours and CM's), `_cm.yaml`
/// (CM), `meta.yaml` then `meta.json` (MLC; MLCFlow reads meta.yaml before meta.json). CM's names come first so that
/// the `_cm.json` that `cm import` writes next to a library's YAML is the one read.
/// </summary>
public sealed class ScriptLoader(IFileSystem fileSystem)
{
    public const string JsonMetaName = "_cm.json";
    public const string YamlMetaName = "_cm.yaml";
    public const string MlcYamlMetaName = "meta.yaml";
    public const string MlcJsonMetaName = "meta.json";

    /// <summary>The meta file names a folder is read from, first found wins.</summary>
    public static readonly string[] MetaNames = [JsonMetaName, YamlMetaName, MlcYamlMetaName, MlcJsonMetaName];

    /// <summary>The folder's script; null when it has no meta. A meta that cannot be read at all throws <see cref="MetaException"/>.</summary>
    public ScriptMeta? TryLoad(string directory)
    {
        if (FindMeta(directory) is not { } found) return null;
        MetaLimits.CheckSize(found.Stamp.Length, found.Path);
        var text = fileSystem.ReadAllText(found.Path);
        return Read(text, found.Path, directory) with
        {
            HasCustomizePy = fileSystem.FileExists(Path.Combine(directory, "customize.py")),
            FilesHashSource = new Lazy<string>(() => ScriptFiles.Hash(fileSystem, directory)),
        };
    }

    /// <summary>Reads a meta's text by its file name (YAML as PyYAML reads it, JSON as json.load does); the YAML reader's warnings come first.</summary>
    public static ScriptMeta Read(string text, string metaFile, string directory)
    {
        if (!IsYaml(metaFile)) return MetaReader.Parse(text, metaFile, directory);
        var warnings = new List<MetaWarning>();
        var meta = MetaReader.FromJson(YamlMeta.ToJson(text, metaFile, warnings.Add), metaFile, directory, MetaReader.Hash(text));
        return warnings.Count == 0 ? meta : meta with { Warnings = [.. warnings, .. meta.Warnings] };
    }

    public static bool IsYaml(string metaFile) => metaFile.EndsWith(".yaml", StringComparison.Ordinal);

    /// <summary>The meta file a module folder is read from, with its stamp; null when it has none.</summary>
    public (string Path, FileStamp Stamp)? FindMeta(string directory)
    {
        foreach (var name in MetaNames)
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
