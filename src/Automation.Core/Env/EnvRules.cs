using System.Text.RegularExpressions;

namespace Automation.Core.Env;

/// <summary>
/// How env flows between scripts (docs/env-rules.md): what a dep inherits, what comes back up, and CM's
/// `+KEY` list keys and `&lt;&lt;&lt;KEY&gt;&gt;&gt;` references.
/// </summary>
public static partial class EnvRules
{
    /// <summary>Keys CM keeps local to one script call unless a dep's force_env_keys lets them through (CM_ libraries).</summary>
    public static IReadOnlyList<string> LocalKeyPatterns => EngineKeys.Cm.LocalKeyPatterns;

    /// <summary>CM's local keys for a library's env prefix (`CM_` or `MLC_`): versions, inputs, tmp and git keys.</summary>
    public static IReadOnlyList<string> LocalKeys(string prefix) => EngineKeys.For(prefix).LocalKeyPatterns;

    /// <summary>The version keys a dep with `reuse_version` takes over from its caller.</summary>
    public static string[] VersionKeys(string prefix) => [prefix + "VERSION*"];

    public static bool MatchesAny(string key, IEnumerable<string> patterns) => patterns.Any(p => Glob(p, key));

    /// <summary>fnmatch-style: '*' any run, '?' one character.</summary>
    public static bool Glob(string pattern, string key)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?')) return pattern == key;
        return GlobCache.GetOrAdd(pattern, p => new Regex("^" + Regex.Escape(p).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant)).IsMatch(key);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> GlobCache = new();

    /// <summary>
    /// The env a dep starts from: the parent's, less the local keys and values still holding an unresolved
    /// `&lt;&lt;&lt;KEY&gt;&gt;&gt;` (unless forced), plus the dep's own env.
    /// </summary>
    public static Dictionary<string, string> ForDep(IReadOnlyDictionary<string, string> parent, IReadOnlyList<string> forceEnvKeys, IReadOnlyDictionary<string, string> depEnv,
        IReadOnlyList<string>? localKeys = null)
    {
        var local = localKeys ?? LocalKeyPatterns;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in parent)
            if ((!MatchesAny(k, local) && !HasUnresolvedReference(v)) || MatchesAny(k, forceEnvKeys))
                result[k] = v;
        foreach (var (k, v) in depEnv) result[k] = Expand(v, parent);
        return result;
    }

    /// <summary>Replaces `&lt;&lt;&lt;KEY&gt;&gt;&gt;` with env[KEY] when it is set; leaves it otherwise so the caller can withhold it.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> env) =>
        !value.Contains("<<<", StringComparison.Ordinal) ? value : Reference().Replace(value, m => env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    public static bool HasUnresolvedReference(string value) => Reference().IsMatch(value);

    /// <summary>
    /// The keys a script exports: those matching new_env_keys (wildcards allowed; `&lt;&lt;&lt;VAR&gt;&gt;&gt;` names the key held in env[VAR]).
    /// `+KEY` entries (lists such as +PATH) are exported as `+KEY` for the parent to prepend.
    /// </summary>
    public static Dictionary<string, string> Export(IReadOnlyDictionary<string, string> env, IReadOnlyList<string> newEnvKeys)
    {
        var patterns = newEnvKeys.Select(p => Expand(p, env)).Where(p => !HasUnresolvedReference(p)).ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in env)
            if (MatchesAny(k, patterns) && !HasUnresolvedReference(v))
                result[k] = v;
        return result;
    }

    /// <summary>
    /// Merges exported env into a target as CM's merge_dicts does: a `+KEY` list gains the new items after its own
    /// (unique), others are overwritten.
    /// </summary>
    public static void MergeInto(IDictionary<string, string> target, IReadOnlyDictionary<string, string> exported, char listSeparator)
    {
        foreach (var (k, v) in exported)
        {
            if (k.StartsWith('+'))
            {
                target.TryGetValue(k, out var existing);
                target[k] = Join(existing ?? "", v, ListKey(k, listSeparator).Separator);
            }
            else target[k] = v;
        }
    }

    /// <summary>Applies `+KEY` list entries onto the real variable (e.g. +PATH onto PATH) for a process environment.</summary>
    public static Dictionary<string, string> ForProcess(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> host, char listSeparator)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in env) if (!k.StartsWith('+')) result[k] = v;
        foreach (var (k, v) in env.Where(kv => kv.Key.StartsWith('+')))
        {
            var (name, separator) = ListKey(k, listSeparator);
            var current = result.TryGetValue(name, out var r) ? r : host.TryGetValue(name, out var h) ? h : null;
            result[name] = Join(v, current, separator);
        }
        return result;
    }

    /// <summary>
    /// The variable a `+KEY` list key names and the separator of its items, as MLCFlow's convert_env_to_script reads
    /// it: a character after `+` that is not a letter or digit is the separator (`+ CXXFLAGS` joins with spaces, `+,X`
    /// with commas); otherwise the path-list separator.
    /// </summary>
    public static (string Name, char Separator) ListKey(string key, char pathListSeparator)
    {
        var name = key.StartsWith('+') ? key[1..] : key;
        return key.StartsWith('+') && name.Length > 1 && !char.IsLetterOrDigit(name[0]) ? (name[1..], name[0]) : (name, pathListSeparator);
    }

    private static string Join(string first, string? rest, char separator)
    {
        if (string.IsNullOrEmpty(rest)) return first;
        var parts = first.Split(separator).Concat(rest.Split(separator)).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal);
        return string.Join(separator, parts);
    }

    [GeneratedRegex("<<<([A-Za-z0-9_]+)>>>")]
    private static partial Regex Reference();
}
