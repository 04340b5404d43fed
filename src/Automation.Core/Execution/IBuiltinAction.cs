using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>C# logic a script names with `"builtin": "NAME"` in its meta, for the steps where code is real.</summary>
public interface IBuiltinAction
{
    string Name { get; }
    Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// An action that refuses bad inputs before anything of its call runs (deps, downloads, hooks, its own step): a
/// negative target should fail in a millisecond, not after the model and dataset were fetched.
/// </summary>
public interface IChecksInputs
{
    /// <summary>Throws an AutomationException naming the flag and its valid range; <paramref name="node"/>'s env holds
    /// the call's inputs, variation env and defaults.</summary>
    void CheckInputs(PlanNode node);
}

/// <summary>
/// An action whose duration follows from its inputs rather than from history (an MLPerf run lasts min_duration,
/// whatever an earlier short test took): `--dry-run` asks it first.
/// </summary>
public interface IEstimatesDuration
{
    /// <summary>Seconds the call will take, with a short reason ("600 s min_duration + accuracy"), or null to fall back to history and meta.</summary>
    (double Seconds, string Why)? EstimateSeconds(PlanNode node);
}

/// <summary>Everything an action may use: the node, its env so far (deps merged), a work folder, a log.</summary>
public sealed record ActionContext(PlanNode Node, IReadOnlyDictionary<string, string> Env, JObject State, string WorkDir, TextWriter Log, bool Quiet);

/// <summary>One assembly's built-in actions; the host composes the registry from each assembly's module.</summary>
public interface IActionModule
{
    IEnumerable<IBuiltinAction> Actions { get; }
}

/// <summary>The one registry of built-in actions of a run, typed and immutable, composed from the assemblies' modules.</summary>
public sealed class BuiltinRegistry
{
    private readonly Dictionary<string, IBuiltinAction> byName = new(StringComparer.Ordinal);

    public BuiltinRegistry(IEnumerable<IActionModule> modules)
    {
        foreach (var action in modules.SelectMany(m => m.Actions))
            if (!byName.TryAdd(action.Name, action))
                throw new InvalidOperationException($"two built-in actions are named '{action.Name}'");
    }

    public static BuiltinRegistry Empty { get; } = new([]);

    public IBuiltinAction? Find(string name) => byName.GetValueOrDefault(name);
    public IEnumerable<string> Names => byName.Keys.Order(StringComparer.Ordinal);
}
