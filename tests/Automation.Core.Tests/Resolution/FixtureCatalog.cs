using Automation.Core.Catalog;
using Automation.Core.Meta;

namespace Automation.Core.Tests.Resolution;

/// <summary>Script modules held in memory: the resolver is tested without touching the disk.</summary>
public sealed class FixtureCatalog
{
    private readonly List<ScriptMeta> scripts = [];

    public FixtureCatalog Add(string json)
    {
        var alias = Newtonsoft.Json.Linq.JObject.Parse(json).Value<string>("alias")!;
        var dir = $"/virtual/scripts/{alias}";
        scripts.Add(MetaReader.Parse(json, $"{dir}/_cm.json", dir));
        return this;
    }

    public ScriptCatalog Build() => new(scripts);
}
