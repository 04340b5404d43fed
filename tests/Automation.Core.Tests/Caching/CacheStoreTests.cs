using System.Runtime.CompilerServices;
using Automation.Core.Caching;
using Automation.Core.Errors;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Caching;

public sealed class CacheStoreTests : IDisposable
{
    private readonly TempCache _cache = new();

    public void Dispose() => _cache.Dispose();

    private string EntryJson(string key) => Path.Combine(_cache.Root, key, CacheStore.EntryFileName);

    [Fact]
    public async Task EntryRoundTripsThroughEntryJson()
    {
        var key = new CacheKeyBuilder().Add("uid", "u1").AddSet("variations", ["cuda"]).Build();
        var built = await _cache.Store().GetOrBuildAsync(key, (folder, _) => Task.FromResult(new CacheEntryDraft
        {
            ScriptUid = "u1", ScriptAlias = "get-cuda", Tags = ["get", "cuda"], Variations = ["cuda"], Version = "12.4",
            Env = new Dictionary<string, string> { ["CUDA_HOME"] = folder },
            State = JObject.Parse("""{"when":"2024-01-02T03:04:05Z","n":[1,2]}"""),
            Evidence = JObject.Parse("""{"command":"nvcc --version","regex":"release (\\S+)"}"""),
            ValidatePaths = ["."],
        }));

        var read = _cache.Store().TryGet(key.Key);

        Assert.NotNull(read);
        Assert.Equal(_cache.Store().EntryFolder(key.Key), read.Path);
        Assert.Equal(("u1", "get-cuda", "12.4"), (read.ScriptUid, read.ScriptAlias, read.Version));
        Assert.Equal(["get", "cuda"], read.Tags);
        Assert.Equal(["cuda"], read.Variations);
        Assert.Equal(built.Path, read.Env["CUDA_HOME"]);
        Assert.True(JToken.DeepEquals(built.State, read.State));
        Assert.Equal("2024-01-02T03:04:05Z", read.State.Value<string>("when"));
        Assert.True(JToken.DeepEquals(built.Evidence, read.Evidence));
        Assert.Equal(key.Inputs, read.KeyInputs);
        Assert.Equal(TempCache.Now, read.CreatedUtc);
    }

    [Fact]
    public async Task SecondRunReusesTheEntryWithoutBuilding()
    {
        var calls = new StrongBox<int>(0);
        var key = TempCache.Key("a");
        var first = await _cache.Store().GetOrBuildAsync(key, TempCache.Build(calls));
        var second = await _cache.Store().GetOrBuildAsync(key, TempCache.Build(calls));
        Assert.Equal(1, calls.Value);
        Assert.Equal(first.Path, second.Path);
    }

    [Fact]
    public async Task StaleEntryIsRemovedAndRebuiltInTheSameFolder()
    {
        var calls = new StrongBox<int>(0);
        var key = TempCache.Key("a");
        var store = _cache.Store();
        var entry = await store.GetOrBuildAsync(key, TempCache.Build(calls));
        File.Delete(Path.Combine(entry.Path, "payload.txt"));

        Assert.Null(store.TryGet(key));
        Assert.False(Directory.Exists(entry.Path));

        var rebuilt = await store.GetOrBuildAsync(key, TempCache.Build(calls));
        Assert.Equal(2, calls.Value);
        Assert.Equal(entry.Path, rebuilt.Path);
        Assert.NotNull(store.TryGet(key));
    }

    [Fact]
    public async Task StaleEntryInvalidatesItsDependentsTransitively()
    {
        var store = _cache.Store();
        var (a, b, c, other) = (TempCache.Key("a"), TempCache.Key("b"), TempCache.Key("c"), TempCache.Key("other"));
        var entryA = await store.GetOrBuildAsync(a, TempCache.Build(alias: "a"));
        await store.GetOrBuildAsync(b, TempCache.Build(alias: "b", deps: [a]));
        await store.GetOrBuildAsync(c, TempCache.Build(alias: "c", deps: [b]));
        await store.GetOrBuildAsync(other, TempCache.Build(alias: "other"));
        File.Delete(Path.Combine(entryA.Path, "payload.txt"));

        Assert.Null(store.TryGet(a));

        // Eagerly uncommitted, not merely failing a later lazy check.
        Assert.False(File.Exists(EntryJson(b)));
        Assert.False(File.Exists(EntryJson(c)));
        Assert.Equal(["other"], store.List().Select(e => e.ScriptAlias));
        Assert.True(store.Verify().IsHealthy);
    }

    [Fact]
    public async Task EntryWhoseDependencyVanishedIsStale()
    {
        var store = _cache.Store();
        var (a, b) = (TempCache.Key("a"), TempCache.Key("b"));
        var entryA = await store.GetOrBuildAsync(a, TempCache.Build(alias: "a"));
        await store.GetOrBuildAsync(b, TempCache.Build(alias: "b", deps: [a]));
        Directory.Delete(entryA.Path, recursive: true);

        Assert.Null(store.TryGet(b));
    }

    [Fact]
    public async Task FailedBuildLeavesNothingAndPropagatesTheSameException()
    {
        var store = _cache.Store();
        var key = TempCache.Key("a");
        var boom = new InvalidOperationException("download failed");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetOrBuildAsync(key, async (folder, _) =>
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "half.bin"), "x");
            throw boom;
        }));

        Assert.Same(boom, thrown);
        Assert.False(Directory.Exists(store.EntryFolder(key)));
        Assert.Null(store.TryGet(key));
        Assert.Empty(store.List());
        Assert.NotNull(await store.GetOrBuildAsync(key, TempCache.Build()));
    }

    [Fact]
    public async Task BuildThatDoesNotCreateItsValidatePathIsRejected()
    {
        var store = _cache.Store();
        var key = TempCache.Key("a");
        var error = await Assert.ThrowsAsync<AutomationException>(() => store.GetOrBuildAsync(key,
            (_, _) => Task.FromResult(new CacheEntryDraft { ScriptUid = "u", ScriptAlias = "get-x", ValidatePaths = ["bin/x"] })));
        Assert.Contains("get-x", error.Message);
        Assert.Contains(Path.Combine("bin", "x"), error.Message);
        Assert.False(Directory.Exists(store.EntryFolder(key)));
    }

    [Fact]
    public async Task CorruptEntryJsonIsAbsentForLookupsReportedByVerifyAndRebuilt()
    {
        var calls = new StrongBox<int>(0);
        var store = _cache.Store();
        var key = TempCache.Key("a");
        await store.GetOrBuildAsync(key, TempCache.Build(calls));
        File.WriteAllText(EntryJson(key), """{"format":1,"key":""");

        Assert.Empty(store.List());
        var report = store.Verify();
        Assert.Equal(CacheProblemKind.Corrupt, Assert.Single(report.Problems).Kind);
        // A lookup drops it (with a warning, see CacheIntegrityTests), so that it is rebuilt.
        Assert.Null(store.TryGet(key));
        Assert.False(Directory.Exists(store.EntryFolder(key)));
        await store.GetOrBuildAsync(key, TempCache.Build(calls));
        Assert.Equal(2, calls.Value);
        Assert.True(store.Verify().IsHealthy);
    }

    [Fact]
    public async Task EntryJsonInTheWrongFolderIsCorrupt()
    {
        var store = _cache.Store();
        var (a, b) = (TempCache.Key("a"), TempCache.Key("b"));
        await store.GetOrBuildAsync(a, TempCache.Build());
        Directory.CreateDirectory(store.EntryFolder(b));
        File.Copy(EntryJson(a), EntryJson(b));
        Assert.Null(store.TryGet(b));
    }

    [Fact]
    public async Task AbortedBuildFolderIsInvisibleAndWipedByTheNextBuilder()
    {
        var store = _cache.Store();
        var key = TempCache.Key("a");
        var folder = store.EntryFolder(key);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "payload.txt"), "from a crashed build");
        File.WriteAllText(Path.Combine(folder, "entry.json.tmp-1-x"), """{"format":1""");

        Assert.Null(store.TryGet(key));
        Assert.Equal(CacheProblemKind.Orphan, Assert.Single(store.Verify().Problems).Kind);

        await store.GetOrBuildAsync(key, async (dir, _) =>
        {
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
            return await TempCache.Build()(dir, default);
        });
        Assert.Equal([CacheManifest.FileName, "entry.json", "payload.txt"], Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EightConcurrentBuildersInOneProcessBuildOnce()
    {
        var calls = new StrongBox<int>(0);
        var key = TempCache.Key("a");
        var build = TempCache.Build(calls);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            _cache.Store().GetOrBuildAsync(key, async (dir, ct) =>
            {
                await Task.Delay(300, ct);
                return await build(dir, ct);
            }))));
        Assert.Equal(1, calls.Value);
        Assert.Single(results.Select(r => r.Path).Distinct());
        Assert.Single(Directory.EnumerateDirectories(_cache.Root), d => !Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task LockTimeoutNamesTheLockFileAndTheHolder()
    {
        var key = TempCache.Key("a");
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var holder = _cache.Store().GetOrBuildAsync(key, async (dir, ct) =>
        {
            started.SetResult();
            await release.Task;
            return await TempCache.Build()(dir, ct);
        });
        await started.Task;

        var waiter = _cache.Store(new CacheStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        var error = await Assert.ThrowsAsync<AutomationException>(() => waiter.GetOrBuildAsync(key, TempCache.Build()));

        Assert.Contains(Path.Combine(_cache.Root, ".locks", key + ".lock"), error.Message);
        Assert.Contains($"process {Environment.ProcessId}", error.Message);
        release.SetResult();
        await holder;
    }

    [Fact]
    public async Task CancelledBuildLeavesNothing()
    {
        var store = _cache.Store();
        var key = TempCache.Key("a");
        using var cts = new CancellationTokenSource();
        var task = store.GetOrBuildAsync(key, async (dir, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return await TempCache.Build()(dir, ct);
        }, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.False(Directory.Exists(store.EntryFolder(key)));
    }

    [Fact]
    public async Task ListFiltersByTagsExclusionsAndVariations()
    {
        var store = _cache.Store();
        await store.GetOrBuildAsync(TempCache.Key("a"), TempCache.Build(alias: "a", tags: ["get", "python"]));
        await store.GetOrBuildAsync(TempCache.Key("b"), async (dir, ct) =>
            await TempCache.Build(alias: "b", tags: ["get", "cuda"])(dir, ct) with { Variations = ["fp16"] });

        Assert.Equal(["a", "b"], store.List().Select(e => e.ScriptAlias));
        Assert.Equal(["a", "b"], store.List(["get"]).Select(e => e.ScriptAlias));
        Assert.Equal(["b"], store.List(["get", "cuda"]).Select(e => e.ScriptAlias));
        Assert.Equal(["a"], store.List(["get", "-cuda"]).Select(e => e.ScriptAlias));
        Assert.Equal(["b"], store.List(["_fp16"]).Select(e => e.ScriptAlias));
        Assert.Empty(store.List(["rocm"]));
    }

    [Fact]
    public async Task FindByPrefixResolvesShortKeysAndRejectsAmbiguity()
    {
        var store = _cache.Store();
        var keys = Enumerable.Range(0, 40).Select(i => TempCache.Key("k" + i)).ToList();
        foreach (var key in keys) await store.GetOrBuildAsync(key, TempCache.Build());
        var unique = keys.First(k => keys.Count(o => o.StartsWith(k[..4], StringComparison.Ordinal)) == 1);
        var shared = keys.Select(k => k[..1]).GroupBy(p => p).First(g => g.Count() > 1).Key;

        Assert.Equal(unique, store.FindByPrefix(unique[..4].ToUpperInvariant())?.Key);
        Assert.Equal(unique, store.FindByPrefix(unique)?.Key);
        Assert.Null(store.FindByPrefix(TempCache.Key("absent")));
        var ambiguous = Assert.Throws<AutomationException>(() => store.FindByPrefix(shared));
        Assert.Contains("ambiguous", ambiguous.Message);
        Assert.Throws<AutomationException>(() => store.FindByPrefix("../x"));
    }

    [Fact]
    public async Task RemoveTakesDependentsAlong()
    {
        var store = _cache.Store();
        var (a, b, c) = (TempCache.Key("a"), TempCache.Key("b"), TempCache.Key("c"));
        await store.GetOrBuildAsync(a, TempCache.Build(alias: "a"));
        await store.GetOrBuildAsync(b, TempCache.Build(alias: "b", deps: [a]));
        await store.GetOrBuildAsync(c, TempCache.Build(alias: "c"));

        Assert.True(store.Remove(a));
        Assert.False(store.Remove(a));
        Assert.Equal(["c"], store.List().Select(e => e.ScriptAlias));
        Assert.False(Directory.Exists(store.EntryFolder(a)));
        Assert.False(Directory.Exists(store.EntryFolder(b)));
        Assert.True(store.Verify().IsHealthy);
    }

    [Fact]
    public async Task RemoveWhereAndRemoveAll()
    {
        var store = _cache.Store();
        await store.GetOrBuildAsync(TempCache.Key("a"), TempCache.Build(alias: "a", tags: ["get", "python"]));
        await store.GetOrBuildAsync(TempCache.Key("b"), TempCache.Build(alias: "b", tags: ["get", "cuda"]));
        await store.GetOrBuildAsync(TempCache.Key("c"), TempCache.Build(alias: "c", tags: ["get", "cuda"]));
        Directory.CreateDirectory(store.EntryFolder(TempCache.Key("aborted")));

        Assert.Equal(1, store.RemoveWhere(["python"]));
        Assert.Equal(["b", "c"], store.List().Select(e => e.ScriptAlias));
        Assert.Equal(2, store.RemoveAll());
        Assert.Empty(store.List());
        Assert.DoesNotContain(Directory.EnumerateDirectories(_cache.Root), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.True(store.Verify().IsHealthy);
    }

    [Fact]
    public void InvalidKeysAreRejectedBeforeTouchingTheDisk()
    {
        var store = _cache.Store();
        Assert.Throws<AutomationException>(() => store.TryGet("../../etc"));
        Assert.Throws<AutomationException>(() => store.Remove("ABCDEF0123456789"));
    }
}
