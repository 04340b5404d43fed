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
        var json = Path.Combine(directory, JsonMetaName);
        ScriptMeta? meta = null;
        if (fileSystem.FileExists(json))
            meta = MetaReader.Parse(fileSystem.ReadAllText(json), json, directory);
        else
        {
            var yaml = Path.Combine(directory, YamlMetaName);
            if (fileSystem.FileExists(yaml))
                meta = MetaReader.FromJson(YamlMeta.ToJson(fileSystem.ReadAllText(yaml), yaml), yaml, directory, MetaReader.Hash(fileSystem.ReadAllText(yaml)));
        }
        return meta is null ? null : meta with { HasCustomizePy = fileSystem.FileExists(Path.Combine(directory, "customize.py")) };
    }
}
