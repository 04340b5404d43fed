using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>The resolved plan as records and locks store it: every node with uid, meta hash, variations, versions and cache key.</summary>
public static class PlanDocument
{
    /// <param name="version">The version each node ran with, as far as the run knows it.</param>
    public static JObject From(Plan plan, Func<PlanNode, string?> version) => new()
    {
        ["root"] = plan.Root.Id,
        ["nodes"] = new JArray(plan.Nodes.Select(n => Node(n, version(n)))),
    };

    public static JObject Node(PlanNode n, string? version) => new()
    {
        ["id"] = n.Id,
        ["script"] = n.Script.Alias,
        ["uid"] = n.Script.Uid,
        ["meta_sha256"] = n.Script.ContentHash,
        ["tags"] = new JArray(n.Script.Tags),
        ["variations"] = new JArray(n.Variations),
        ["version_constraint"] = n.Version.IsEmpty ? null : n.Version.ToString(),
        ["planned_version"] = n.PlannedVersion,
        ["version"] = version,
        ["cached"] = n.IsCached,
        ["key"] = n.Key,
        ["key_inputs"] = Json.Map(n.KeyInputs),
        ["deps"] = new JArray(n.Deps.Select(d => new JObject { ["id"] = d.Node.Id, ["phase"] = d.Phase.ToString().ToLowerInvariant() })),
    };
}
