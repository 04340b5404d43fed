using Newtonsoft.Json.Linq;

namespace Automation.Core.Caching;

/// <summary>
/// A committed cache entry: the recorded result of one cached script run. <see cref="Path"/> is the entry's folder,
/// which never moves after the build because env values point into it.
/// </summary>
public sealed record CacheEntry(
    string Key,
    string ScriptUid,
    string ScriptAlias,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Variations,
    string? Version,
    IReadOnlyDictionary<string, string> Env,
    JObject State,
    JObject? Evidence,
    IReadOnlyList<string> DepKeys,
    IReadOnlyList<string> ValidatePaths,
    IReadOnlyDictionary<string, string> KeyInputs,
    DateTimeOffset CreatedUtc,
    string Path)
{
    /// <summary>When the entry stops being valid (CM's `cache_expiration`); null when it never expires.</summary>
    public DateTimeOffset? ExpiresUtc { get; init; }

    /// <summary>What the entry folder held at commit: the manifest's SHA-256, its file count and bytes.</summary>
    public EntryFiles? Files { get; init; }

    /// <summary>Set when entry.json's content no longer matches the SHA-256 recorded in it: it was edited.</summary>
    public string? ContentChange { get; init; }

    /// <summary>A validate path as an absolute path: relative ones are relative to the entry folder.</summary>
    public string Resolve(string validatePath) => System.IO.Path.GetFullPath(validatePath, Path);

    internal static CacheEntry FromDraft(string key, string path, CacheEntryDraft d, DateTimeOffset createdUtc) =>
        new(key, d.ScriptUid, d.ScriptAlias, d.Tags, d.Variations, d.Version, d.Env, d.State, d.Evidence, d.DepKeys,
            d.ValidatePaths, d.KeyInputs, createdUtc, path)
        {
            ExpiresUtc = d.Expiration is { } after ? createdUtc + after : null,
        };
}

/// <summary>The files an entry recorded at commit (<see cref="CacheManifest"/>).</summary>
public sealed record EntryFiles(string ManifestSha256, int Count, long Bytes);

/// <summary>What a build returns; the store adds the key, folder and creation time.</summary>
public sealed record CacheEntryDraft
{
    public required string ScriptUid { get; init; }
    public string ScriptAlias { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Variations { get; init; } = [];
    public string? Version { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public JObject State { get; init; } = new();
    /// <summary>How the result was detected (command, output, regex, chosen path), for "why this binary?".</summary>
    public JObject? Evidence { get; init; }
    /// <summary>Keys of the cache entries this one was built on; invalidating one of them invalidates this one.</summary>
    public IReadOnlyList<string> DepKeys { get; init; } = [];
    /// <summary>Files or folders that must still exist for the entry to be reused (absolute or entry-relative).</summary>
    public IReadOnlyList<string> ValidatePaths { get; init; } = [];
    public IReadOnlyDictionary<string, string> KeyInputs { get; init; } = new Dictionary<string, string>();
    /// <summary>How long the entry stays valid after it is committed (CM's `cache_expiration`); null for ever.</summary>
    public TimeSpan? Expiration { get; init; }
}
