using Automation.Core.Catalog;
using Automation.Core.Meta;

namespace Automation.Core.Tests.Resolution;

/// <summary>Script modules held in memory: the resolver is tested without touching the disk.</summary>
public sealed class FixtureCatalog
{
    private readonly List<ScriptMeta> scripts = [];

    public FixtureCatalog Add(string json, string repo = "", string? directory = null, string envPrefix = "CM_")
    {
        var alias = Newtonsoft.Json.Linq.JObject.Parse(json).Value<string>("alias")!;
        var dir = directory ?? $"/virtual/scripts/{alias}";
        scripts.Add(MetaReader.Parse(json, $"{dir}/_cm.json", dir) with { Repo = repo, EnvPrefix = envPrefix });
        return this;
    }

    public IReadOnlyList<ScriptMeta> Scripts => scripts;

    public ScriptCatalog Build() => new(scripts);
}
