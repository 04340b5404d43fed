using Automation.Core.Errors;
using Automation.LoadGen;

namespace Automation.Mlperf.Actions;

/// <summary>
/// The LoadGen engines a run can pick with `_loadgen-native` / `_loadgen-official`. The native engine is always here;
/// the official one is registered by the host when its shim library is available.
/// </summary>
public static class LoadGenEngines
{
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, string>, ILoadGenEngine>> Factories = new(StringComparer.Ordinal)
    {
        ["native"] = _ => new NativeLoadGen(),
    };

    public static void Register(string name, Func<IReadOnlyDictionary<string, string>, ILoadGenEngine> factory) => Factories[name] = factory;

    public static ILoadGenEngine Create(string name, IReadOnlyDictionary<string, string> env, string script) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(env)
            : throw new AutomationException($"LoadGen engine '{name}' is not available in this build", script: script,
                fix: $"Use one of: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal).Select(k => "_loadgen-" + k))}.");
}
