using Automation.Core.Errors;
using Automation.LoadGen;

namespace Automation.Mlperf.Actions;

/// <summary>Makes one engine from a run's env and, for a compliance test, the audit.config it must read (null: none).</summary>
public delegate ILoadGenEngine LoadGenEngineFactory(IReadOnlyDictionary<string, string> env, string? auditConfigPath);

/// <summary>
/// The LoadGen engines a run can pick with `_loadgen-native` / `_loadgen-official`: the native engine is always there;
/// the host adds the official one (its assembly is not a dependency of this one). Immutable.
/// </summary>
public sealed class LoadGenEngines
{
    private readonly Dictionary<string, LoadGenEngineFactory> Factories;

    private LoadGenEngines(Dictionary<string, LoadGenEngineFactory> factories) => Factories = factories;

    public static LoadGenEngines NativeOnly { get; } = new(new(StringComparer.Ordinal) { ["native"] = (_, audit) => new NativeLoadGen(auditConfigPath: audit) });

    public LoadGenEngines With(string name, LoadGenEngineFactory factory) =>
        new(new Dictionary<string, LoadGenEngineFactory>(Factories, StringComparer.Ordinal) { [name] = factory });

    /// <param name="auditConfigPath">A compliance test's audit.config, which both engines read as LoadGen's StartTest does.</param>
    public ILoadGenEngine Create(string name, IReadOnlyDictionary<string, string> env, string script, string? auditConfigPath = null) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(env, auditConfigPath)
            : throw new AutomationException($"LoadGen engine '{name}' is not available in this build", script: script,
                fix: $"Use one of: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal).Select(k => "_loadgen-" + k))}.");
}
