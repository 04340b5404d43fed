using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Rendering;

public static class PlanJson
{
    public static JObject From(Plan plan) => new()
    {
        ["root"] = plan.Root.Id,
        ["nodes"] = new JArray(plan.Nodes.Select(n => new JObject
        {
            ["id"] = n.Id,
            ["script"] = n.Script.Alias,
            ["uid"] = n.Script.Uid,
            ["variations"] = new JArray(n.Variations),
            ["version_constraint"] = n.Version.IsEmpty ? null : n.Version.ToString(),
            ["planned_version"] = n.PlannedVersion,
            ["cached"] = n.IsCached,
            ["key"] = n.Key,
            ["customize_py"] = new JArray(n.Hooks),
            ["deps"] = new JArray(n.Deps.Select(d => new JObject
            {
                ["id"] = d.Node.Id,
                ["phase"] = d.Phase.ToString().ToLowerInvariant(),
                ["decided_at_run_time"] = d.DecidedAtRunTime,
                ["skipped"] = d.Skipped,
            })),
        })),
        ["notes"] = new JArray(plan.Notes),
    };
}
