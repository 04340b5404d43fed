using System.Text;
using Automation.Core.Resolution;

namespace Automation.Cli.Rendering;

/// <summary>
/// Prints a plan as a tree: script, variations, version constraint, cache state, the customize.py hooks a step runs,
/// and for a prediction the deps that are decided at run time.
/// </summary>
public static class PlanRenderer
{
    public static string Render(Plan plan, Func<PlanNode, string> cacheState)
    {
        var sb = new StringBuilder();
        var printed = new HashSet<string>(StringComparer.Ordinal);
        Write(plan.Root, "", true, true, null);
        return sb.ToString();

        void Write(PlanNode node, string indent, bool last, bool isRoot, PlanEdge? via)
        {
            var branch = isRoot ? "" : last ? "└── " : "├── ";
            var phase = via is null || via.Phase == Core.Meta.DepPhase.Deps ? "" : $" [{via.Phase.ToString().ToLowerInvariant()}]";
            var version = node.Version.IsEmpty && node.PlannedVersion is null ? "" : $" version {(node.PlannedVersion is { } pv ? pv : node.Version.ToString())}";
            var repeated = !printed.Add(node.Id);
            var hooks = node.Hooks.Count > 0 ? $" [customize.py: {string.Join(", ", node.Hooks)}]" : "";
            var decided = via?.DecidedAtRunTime is { } why ? $" [{why}{(via.Skipped ? "; skipped with the env known now" : "")}]" : "";
            sb.Append(indent).Append(branch).Append(node.Display).Append(version).Append(phase).Append(hooks).Append(decided)
              .Append(" (").Append(via?.Skipped == true ? "not planned" : cacheState(node)).Append(')').Append(repeated && node.Deps.Count > 0 ? " (deps shown above)" : "").Append('\n');
            if (repeated) return;
            var childIndent = isRoot ? "" : indent + (last ? "    " : "│   ");
            for (var i = 0; i < node.Deps.Count; i++)
                Write(node.Deps[i].Node, childIndent, i == node.Deps.Count - 1, false, node.Deps[i]);
        }
    }

    /// <summary>What the prediction could not settle, one line each; empty when it settled everything.</summary>
    public static string Notes(Plan plan) =>
        plan.Notes.Count == 0 ? "" : "notes:\n" + string.Concat(plan.Notes.Select(n => "  - " + n + "\n"));
}
