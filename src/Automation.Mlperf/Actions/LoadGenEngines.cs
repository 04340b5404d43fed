using Automation.Core.Errors;
using Automation.LoadGen;

namespace Automation.Mlperf.Actions;

/// <summary>
/// The LoadGen engines a run can pick with `_loadgen-native` / `_loadgen-official`: the native engine is always there;
/// the host adds the official one (its assembly is not a dependency of this one). Immutable.
/// </summary>
public sealed class LoadGenEngines
{
    private readonly Dictionary<string, Func<IReadOnlyDictionary<string, string>, ILoadGenEngine>> Factories;

    private LoadGenEngines(Dictionary<string, Func<IReadOnlyDictionary<string, string>, ILoadGenEngine>> factories) => Factories = factories;

    public static LoadGenEngines NativeOnly { get; } = new(new(StringComparer.Ordinal) { ["native"] = _ => new NativeLoadGen() });

    public LoadGenEngines With(string name, Func<IReadOnlyDictionary<string, string>, ILoadGenEngine> factory) =>
        new(new Dictionary<string, Func<IReadOnlyDictionary<string, string>, ILoadGenEngine>>(Factories, StringComparer.Ordinal) { [name] = factory });

    public ILoadGenEngine Create(string name, IReadOnlyDictionary<string, string> env, string script) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(env)
            : throw new AutomationException($"LoadGen engine '{name}' is not available in this build", script: script,
                fix: $"Use one of: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal).Select(k => "_loadgen-" + k))}.");
}
