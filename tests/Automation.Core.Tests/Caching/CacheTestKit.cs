using System.Runtime.CompilerServices;
using Automation.Core.Caching;
using Automation.Core.World;

namespace Automation.Core.Tests.Caching;

internal sealed class FixedClock(DateTimeOffset now) : IClock
{
    public DateTimeOffset UtcNow { get; set; } = now;
}

/// <summary>A real temporary cache root, deleted afterwards: the store is about real file-system behaviour.</summary>
internal sealed class TempCache : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TempCache() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cache-tests", Guid.NewGuid().ToString("N"));
    public FixedClock Clock { get; } = new(Now);
    public List<string> Scans { get; } = [];

    public CacheStore Store(CacheStoreOptions? options = null) => new(Root, Clock, (options ?? new CacheStoreOptions()) with
    {
        ListFolders = dir =>
        {
            lock (Scans) Scans.Add(dir);
            return Directory.EnumerateDirectories(dir);
        },
    });

    public static string Key(string name) => CacheKey.Compute(["test", name]);

    /// <summary>A build that creates payload.txt, declares it as its validate path, and counts its calls.</summary>
    public static Func<string, CancellationToken, Task<CacheEntryDraft>> Build(
        StrongBox<int>? calls = null, string alias = "tool", IReadOnlyList<string>? tags = null, IReadOnlyList<string>? deps = null) =>
        async (folder, ct) =>
        {
            if (calls is not null) Interlocked.Increment(ref calls.Value);
            await File.WriteAllTextAsync(Path.Combine(folder, "payload.txt"), "payload", ct);
            return new CacheEntryDraft
            {
                ScriptUid = "uid-" + alias, ScriptAlias = alias, Tags = tags ?? [alias], DepKeys = deps ?? [],
                ValidatePaths = ["payload.txt"], Env = new Dictionary<string, string> { ["TOOL_PATH"] = Path.Combine(folder, "payload.txt") },
            };
        };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
