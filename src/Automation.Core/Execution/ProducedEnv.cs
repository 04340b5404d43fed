using Automation.Core.Env;
using Automation.Core.Resolution;

namespace Automation.Core.Execution;

/// <summary>
/// What one script call itself set in its env while it was built: its deps' exports, detection, its built-in action,
/// its run script's tmp-run-env.out and its hooks' changes. What it exports is filtered with this, so that a key its
/// caller handed down unchanged never lands in its cache entry (issue 17, item 1), while a key the script wrote is
/// kept even when its value happens to equal the caller's (a detected path the caller also knew).
/// </summary>
internal sealed class ProducedEnv(char listSeparator)
{
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> listItems = new(StringComparer.Ordinal);

    /// <summary>Keys (and `+KEY` list items) a step of the call exported into its env.</summary>
    public void Record(IReadOnlyDictionary<string, string> exports)
    {
        foreach (var (key, value) in exports)
        {
            keys.Add(key);
            if (!key.StartsWith('+')) continue;
            if (!listItems.TryGetValue(key, out var items)) listItems[key] = items = new HashSet<string>(StringComparer.Ordinal);
            items.UnionWith(Items(key, value));
        }
    }

    /// <summary>What a hook changed in place: keys it added, changed or removed (a hook writing the same value is not seen).</summary>
    public void RecordChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changed = after.Where(kv => !before.TryGetValue(kv.Key, out var old) || old != kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Record(changed);
        keys.UnionWith(before.Keys.Where(k => !after.ContainsKey(k)));
    }

    /// <summary>
    /// The exports less what the caller handed down (its env and the command line's --env) and the call did not set:
    /// a key with the handed value that neither the script's meta/variation `env` nor a step of it set, and in a
    /// `+KEY` list the handed items no step added. MLCFlow keeps them; a deliberate difference (docs/cm-compatibility.md).
    /// </summary>
    public Dictionary<string, string> WithoutInherited(Dictionary<string, string> exported, PreparedCall prepared)
    {
        var handed = new Dictionary<string, string>(prepared.Request?.Env ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in prepared.Request?.EnvOverrides ?? new Dictionary<string, string>()) handed[k] = v;
        if (handed.Count == 0) return exported;
        var ownEnv = new[] { prepared.Script.Env }.Concat(prepared.ActiveVariations.Select(v => v.Body.Env)).ToList();
        foreach (var (key, value) in exported.ToList())
        {
            if (!handed.TryGetValue(key, out var given)) continue;
            if (key.StartsWith('+'))
            {
                var added = ownEnv.Where(e => e.ContainsKey(key)).SelectMany(e => Items(key, e[key])).Concat(listItems.GetValueOrDefault(key) ?? []).ToHashSet(StringComparer.Ordinal);
                var inherited = Items(key, given).Where(i => !added.Contains(i)).ToHashSet(StringComparer.Ordinal);
                var kept = Items(key, value).Where(i => !inherited.Contains(i)).ToList();
                if (kept.Count == 0) exported.Remove(key);
                else exported[key] = string.Join(EnvRules.ListKey(key, listSeparator).Separator, kept);
            }
            else if (given == value && !keys.Contains(key) && !ownEnv.Any(e => e.ContainsKey(key))) exported.Remove(key);
        }
        return exported;
    }

    private IEnumerable<string> Items(string key, string value) =>
        value.Split(EnvRules.ListKey(key, listSeparator).Separator).Where(i => i.Length > 0);
}
