using Newtonsoft.Json.Linq;

namespace Automation.Core.Caching;

/// <summary>How a cache entry is shown to users: `cm cache list/show -j` and the dashboard print the same JSON.</summary>
public static class CacheEntryView
{
    public static JObject Summary(CacheEntry e) => new()
    {
        ["key"] = e.Key,
        ["script"] = e.ScriptAlias,
        ["uid"] = e.ScriptUid,
        ["tags"] = new JArray(e.Tags),
        ["variations"] = new JArray(e.Variations),
        ["version"] = e.Version,
        ["created"] = e.CreatedUtc.ToString("O"),
        ["path"] = e.Path,
    };

    /// <summary>The summary plus env, state, detection evidence, dep keys, validate paths and key inputs.</summary>
    public static JObject Details(CacheEntry e)
    {
        var json = Summary(e);
        json["env"] = SortedMap(e.Env);
        json["state"] = e.State;
        json["evidence"] = e.Evidence;
        json["dep_keys"] = new JArray(e.DepKeys);
        json["validate_paths"] = new JArray(e.ValidatePaths);
        json["key_inputs"] = SortedMap(e.KeyInputs);
        if (e.Files is { } files) json["files"] = new JObject { ["count"] = files.Count, ["bytes"] = files.Bytes, ["manifest_sha256"] = files.ManifestSha256 };
        return json;
    }

    private static JObject SortedMap(IReadOnlyDictionary<string, string> map)
    {
        var o = new JObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
