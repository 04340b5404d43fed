using System.Diagnostics;
using System.Globalization;
using Automation.Core.World;

namespace Automation.Core.Caching;

/// <summary>For `cm bench`: shows that lookup cost does not grow with the number of entries.</summary>
public static class CacheBenchmark
{
    /// <summary>
    /// Mean lookup time in a cache of <paramref name="large"/> entries divided by that in one of
    /// <paramref name="small"/> entries (target ≤ 1.5). Builds both caches under <paramref name="root"/>; rerunning
    /// on the same root reuses them.
    /// </summary>
    public static double LookupRatio(string root, int small, int large, int lookups = 20_000)
    {
        var smallStore = Populate(Path.Combine(root, $"entries-{small}"), small);
        var largeStore = Populate(Path.Combine(root, $"entries-{large}"), large);
        // Interleaved rounds, best of each, so that a noisy moment does not land on one side only.
        double bestSmall = double.MaxValue, bestLarge = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            bestSmall = Math.Min(bestSmall, MeanLookup(smallStore, lookups));
            bestLarge = Math.Min(bestLarge, MeanLookup(largeStore, lookups));
        }
        return bestLarge / bestSmall;
    }

    private static (CacheStore Store, string[] Keys) Populate(string root, int count)
    {
        var store = new CacheStore(root, SystemClock.Instance);
        var keys = Enumerable.Range(0, count).Select(i => CacheKey.Compute(["bench", i.ToString(CultureInfo.InvariantCulture)])).ToArray();
        foreach (var key in keys)
            store.GetOrBuildAsync(key, (folder, _) => Task.FromResult(new CacheEntryDraft
            {
                ScriptUid = "bench", ScriptAlias = "bench", Tags = ["bench"], ValidatePaths = ["."],
                Env = new Dictionary<string, string> { ["BENCH_PATH"] = folder },
            })).GetAwaiter().GetResult();
        return (store, keys);
    }

    private static double MeanLookup((CacheStore Store, string[] Keys) cache, int lookups)
    {
        var random = new Random(42);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < lookups; i++)
            _ = cache.Store.TryGet(cache.Keys[random.Next(cache.Keys.Length)]) ?? throw new InvalidOperationException("benchmark entry vanished");
        return watch.Elapsed.TotalMilliseconds / lookups;
    }
}
