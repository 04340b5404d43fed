using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>C# logic a script names with `"builtin": "NAME"` in its meta, for the steps where code is real.</summary>
public interface IBuiltinAction
{
    string Name { get; }
    Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>Everything an action may use: the node, its env so far (deps merged), a work folder, a log.</summary>
public sealed record ActionContext(PlanNode Node, IReadOnlyDictionary<string, string> Env, JObject State, string WorkDir, TextWriter Log, bool Quiet);

public sealed class BuiltinRegistry(IEnumerable<IBuiltinAction> actions)
{
    private readonly Dictionary<string, IBuiltinAction> byName = actions.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public IBuiltinAction? Find(string name) => byName.GetValueOrDefault(name);
    public IEnumerable<string> Names => byName.Keys.Order(StringComparer.Ordinal);
}
