using Newtonsoft.Json.Linq;

namespace Automation.Core.Env;

/// <summary>CM's env as JSON, as Python hooks and nested runs hold it: strings, and `+KEY` values as lists.</summary>
public static class EnvJson
{
    public static JObject From(IReadOnlyDictionary<string, string> env)
    {
        var o = new JObject();
        foreach (var (k, v) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            o[k] = k.StartsWith('+') ? new JArray(v.Split(EnvRules.ListKey(k, Path.PathSeparator).Separator, StringSplitOptions.RemoveEmptyEntries)) : v;
        return o;
    }

    /// <summary>An env value as the shell gets it: lists joined (a `+KEY` list with its separator), scalars as Python's str().</summary>
    public static string? Value(string key, JToken value) => value switch
    {
        JArray a => string.Join(key.StartsWith('+') ? EnvRules.ListKey(key, Path.PathSeparator).Separator : Path.PathSeparator, a.Select(t => Text(t) ?? "")),
        _ => Text(value),
    };

    /// <summary>A value as CM's Python sees it after str() (see <see cref="Meta.PythonText"/>); null for null; JSON text for the rest.</summary>
    public static string? Text(JToken? t) => t is null || t.Type is JTokenType.Null or JTokenType.Undefined
        ? null
        : Meta.PythonText.Str(t) ?? t.ToString(Newtonsoft.Json.Formatting.None);

}
