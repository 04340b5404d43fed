using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Caching;

/// <summary>The key and the named inputs it was computed from; the inputs go into entry.json as key_inputs.</summary>
public sealed record BuiltCacheKey(string Key, IReadOnlyDictionary<string, string> Inputs);

/// <summary>
/// Computes a cache key from named parts so that the entry can record why it has this key. Names are hashed in
/// ordinal order, so the order of <c>Add</c> calls does not matter; sets and JSON are canonicalised first.
/// </summary>
public sealed class CacheKeyBuilder
{
    /// <summary>Longer values are recorded as a digest: meta content would otherwise bloat every entry.json.</summary>
    public const int MaxRecordedLength = 200;

    private readonly SortedDictionary<string, string> _parts = new(StringComparer.Ordinal);

    /// <summary>A scalar part; null and "" are the same input (both mean "not given").</summary>
    public CacheKeyBuilder Add(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_parts.TryAdd(name, value ?? ""))
            throw new ArgumentException($"Cache key part '{name}' was added twice.", nameof(name));
        return this;
    }

    /// <summary>An unordered part (variations, tags): order and duplicates do not change the key.</summary>
    public CacheKeyBuilder AddSet(string name, IEnumerable<string> values) =>
        Add(name, new JArray(values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)).ToString(Formatting.None));

    /// <summary>An ordered part (dep keys in dependency order).</summary>
    public CacheKeyBuilder AddList(string name, IEnumerable<string> values) =>
        Add(name, new JArray(values).ToString(Formatting.None));

    /// <summary>A JSON part (script meta): property order and whitespace do not change the key.</summary>
    public CacheKeyBuilder AddJson(string name, JToken? value) =>
        Add(name, value is null ? "" : Canonical(value).ToString(Formatting.None));

    public BuiltCacheKey Build()
    {
        var key = CacheKey.Compute(_parts.SelectMany(p => new[] { p.Key, p.Value }));
        var inputs = _parts.ToDictionary(p => p.Key, p => Recorded(p.Value), StringComparer.Ordinal);
        return new BuiltCacheKey(key, inputs);
    }

    private static string Recorded(string value) =>
        value.Length <= MaxRecordedLength ? value : $"sha256:{CacheKey.Compute([value])} ({value.Length} chars)";

    private static JToken Canonical(JToken token) => token switch
    {
        JObject o => new JObject(o.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new JProperty(p.Name, Canonical(p.Value)))),
        JArray a => new JArray(a.Select(Canonical)),
        _ => token.DeepClone(),
    };
}
