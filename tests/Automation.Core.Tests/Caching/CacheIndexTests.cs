using Automation.Core.Caching;
using Xunit;

namespace Automation.Core.Tests.Caching;

public sealed class CacheIndexTests : IDisposable
{
    private readonly TempCache _cache = new();

    public void Dispose() => _cache.Dispose();

    private string IndexFile => Path.Combine(_cache.Root, "index.jsonl");

    [Fact]
    public async Task TornLastLineFromACrashedWriterIsSkippedAndTerminatedByTheNextWriter()
    {
        var store = _cache.Store();
        await store.GetOrBuildAsync(TempCache.Key("a"), TempCache.Build(alias: "a"));
        File.AppendAllText(IndexFile, """{"op":"add","key":"00000000deadbeef","uid":"x","ali""");

        Assert.Equal(["a"], _cache.Store().List().Select(e => e.ScriptAlias));
        await _cache.Store().GetOrBuildAsync(TempCache.Key("b"), TempCache.Build(alias: "b"));

        Assert.Equal(["a", "b"], _cache.Store().List().Select(e => e.ScriptAlias));
        Assert.Equal(["a", "b"], store.List().Select(e => e.ScriptAlias));
        Assert.Contains("\"ali\n{", File.ReadAllText(IndexFile));
    }

    [Fact]
    public async Task GarbageLinesAreSkipped()
    {
        var store = _cache.Store();
        await store.GetOrBuildAsync(TempCache.Key("a"), TempCache.Build(alias: "a"));
        File.AppendAllText(IndexFile, "not json\n[1,2]\n{\"op\":\"add\",\"key\":\"../../x\"}\n{\"op\":\"add\",\"key\":\"0123456789abcdef\",\"tags\":5}\n");
        await store.GetOrBuildAsync(TempCache.Key("b"), TempCache.Build(alias: "b"));

        Assert.Equal(["a", "b"], _cache.Store().List().Select(e => e.ScriptAlias));
    }

    [Fact]
    public async Task AnotherStoreSeesAppendsAndRewritesIncrementally()
    {
        var reader = _cache.Store();
        var writer = _cache.Store();
        Assert.Empty(reader.List());
        await writer.GetOrBuildAsync(TempCache.Key("a"), TempCache.Build(alias: "a"));
        Assert.Equal(["a"], reader.List().Select(e => e.ScriptAlias));
        writer.Verify(repair: true);
        await writer.GetOrBuildAsync(TempCache.Key("b"), TempCache.Build(alias: "b"));
        Assert.Equal(["a", "b"], reader.List().Select(e => e.ScriptAlias));
        writer.Remove(TempCache.Key("a"));
        Assert.Equal(["b"], reader.List().Select(e => e.ScriptAlias));
    }

    [Fact]
    public async Task JournalIsCompactedOnceRemovalsPileUp()
    {
        var store = _cache.Store(new CacheStoreOptions { CompactionSlack = 10 });
        var keep = TempCache.Key("keep");
        await store.GetOrBuildAsync(keep, TempCache.Build(alias: "keep"));
        for (var i = 0; i < 30; i++)
        {
            await store.GetOrBuildAsync(TempCache.Key("tmp"), TempCache.Build(alias: "tmp"));
            store.Remove(TempCache.Key("tmp"));
        }

        Assert.InRange(File.ReadAllLines(IndexFile).Length, 2, 1 + 2 * 1 + 10 + 1);
        Assert.Equal(["keep"], _cache.Store().List().Select(e => e.ScriptAlias));
    }

    [Fact]
    public async Task LookupsNeverScanFoldersAndDoNotNeedTheIndex()
    {
        var store = _cache.Store();
        var keys = Enumerable.Range(0, 20).Select(i => TempCache.Key("k" + i)).ToList();
        foreach (var key in keys) await store.GetOrBuildAsync(key, TempCache.Build());
        File.Delete(IndexFile);
        _cache.Scans.Clear();

        var fresh = _cache.Store();
        foreach (var key in keys)
        {
            Assert.NotNull(fresh.TryGet(key));
            await fresh.GetOrBuildAsync(key, (_, _) => throw new InvalidOperationException("must reuse"));
        }
        Assert.Null(fresh.TryGet(TempCache.Key("absent")));
        await fresh.GetOrBuildAsync(TempCache.Key("new"), TempCache.Build());
        fresh.List(["tool"]);
        fresh.FindByPrefix(keys[0][..6]);
        Assert.Empty(_cache.Scans);

        // The seam is real: the operations that must look at every folder do go through it.
        fresh.Verify();
        Assert.Equal([_cache.Root], _cache.Scans);
    }

    [Fact]
    public async Task VerifyFindsEveryKindOfProblemAndRepairFixesThem()
    {
        var store = _cache.Store();
        var (stale, dependent, corrupt, unindexed, good) =
            (TempCache.Key("stale"), TempCache.Key("dependent"), TempCache.Key("corrupt"), TempCache.Key("unindexed"), TempCache.Key("good"));
        await store.GetOrBuildAsync(stale, TempCache.Build(alias: "stale"));
        await store.GetOrBuildAsync(dependent, TempCache.Build(alias: "dependent", deps: [stale]));
        await store.GetOrBuildAsync(corrupt, TempCache.Build(alias: "corrupt"));
        await store.GetOrBuildAsync(good, TempCache.Build(alias: "good"));
        File.Delete(Path.Combine(store.EntryFolder(stale), "payload.txt"));
        File.WriteAllText(Path.Combine(store.EntryFolder(corrupt), CacheStore.EntryFileName), "{}");
        var orphan = TempCache.Key("orphan");
        Directory.CreateDirectory(store.EntryFolder(orphan));
        var dangling = TempCache.Key("dangling");
        await store.GetOrBuildAsync(dangling, TempCache.Build(alias: "dangling"));
        Directory.Delete(store.EntryFolder(dangling), recursive: true);
        await store.GetOrBuildAsync(unindexed, TempCache.Build(alias: "unindexed"));
        var lines = File.ReadAllLines(Path.Combine(_cache.Root, "index.jsonl"));
        File.WriteAllLines(Path.Combine(_cache.Root, "index.jsonl"), lines.Where(l => !l.Contains(unindexed)));

        var report = _cache.Store().Verify();

        Assert.Equal(
            new[]
            {
                (stale, CacheProblemKind.Stale), (dependent, CacheProblemKind.Stale), (corrupt, CacheProblemKind.Corrupt),
                (orphan, CacheProblemKind.Orphan), (dangling, CacheProblemKind.IndexWithoutEntry), (unindexed, CacheProblemKind.MissingFromIndex),
            }.Order(),
            report.Problems.Select(p => (p.Key, p.Kind)).Order());
        Assert.Contains("payload.txt", report.Problems.Single(p => p.Key == stale).Detail);
        Assert.Contains(stale, report.Problems.Single(p => p.Key == dependent).Detail);
        Assert.Equal((5, 2), (report.Checked, report.Valid));

        var repaired = _cache.Store().Verify(repair: true);
        Assert.True(repaired.Repaired);
        Assert.True(_cache.Store().Verify().IsHealthy);
        Assert.Equal(["good", "unindexed"], _cache.Store().List().Select(e => e.ScriptAlias));
        Assert.False(Directory.Exists(store.EntryFolder(orphan)));
        Assert.False(Directory.Exists(store.EntryFolder(corrupt)));
    }

    [Fact]
    public void BenchmarkReportsAPositiveRatio()
    {
        var ratio = CacheBenchmark.LookupRatio(_cache.Root, 2, 20, lookups: 200);
        Assert.True(double.IsFinite(ratio) && ratio > 0, $"ratio {ratio}");
    }
}
