using System.Runtime.CompilerServices;
using Automation.Core.Caching;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Caching;

/// <summary>Issue 17, item 3: what an entry held at its commit is recorded, checked cheaply on reuse and fully by Verify.</summary>
public sealed class CacheIntegrityTests : IDisposable
{
    private readonly TempCache _cache = new();
    private readonly List<string> _warnings = [];

    public void Dispose() => _cache.Dispose();

    private CacheStore Store(bool verifyOnReuse = false) => _cache.Store(new CacheStoreOptions { VerifyOnReuse = verifyOnReuse, Warn = _warnings.Add });

    private static string Payload(CacheEntry e) => Path.Combine(e.Path, "payload.txt");

    /// <summary>entry.json as a JObject with its date strings left as written (JObject.Parse would turn them into dates).</summary>
    private static JObject ReadJson(string path)
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(File.ReadAllText(path))) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        return JObject.Load(reader);
    }

    [Fact]
    public async Task TheCommitRecordsEveryFileWithItsHashAndEntryJsonPointsAtTheManifest()
    {
        var entry = await Store().GetOrBuildAsync(TempCache.Key("a"), async (folder, _) =>
        {
            Directory.CreateDirectory(Path.Combine(folder, "bin"));
            await File.WriteAllTextAsync(Path.Combine(folder, "bin", "tool"), "#!/bin/sh\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "payload.txt"), "payload");
            Directory.CreateDirectory(Path.Combine(folder, "__pycache__"));
            await File.WriteAllTextAsync(Path.Combine(folder, "__pycache__", "x.cpython-311.pyc"), "volatile");
            File.CreateSymbolicLink(Path.Combine(folder, "latest"), "bin/tool");
            return new CacheEntryDraft { ScriptUid = "u", ScriptAlias = "tool" };
        });

        var manifestText = File.ReadAllText(Path.Combine(entry.Path, CacheManifest.FileName));
        var manifest = CacheManifest.Read(manifestText);
        Assert.Equal(["bin/tool", "latest", "payload.txt"], manifest.Select(f => f.Path));
        Assert.Equal("bin/tool", manifest.Single(f => f.Path == "latest").LinkTarget);
        Assert.Equal(Automation.Core.Actions.Checksums.Sha256(Payload(entry)), manifest.Single(f => f.Path == "payload.txt").Sha256);
        Assert.Equal(new EntryFiles(CacheManifest.Hash(manifestText), 3, "#!/bin/sh\n".Length + "payload".Length), entry.Files);
        Assert.Null(entry.ContentChange);
    }

    [Fact]
    public async Task AFileEditedAfterTheCommitIsNotReusedButRebuiltWithAWarning()
    {
        var calls = new StrongBox<int>(0);
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build(calls));
        File.AppendAllText(Payload(entry), " and more");

        Assert.Null(Store().TryGet(key));
        var warning = Assert.Single(_warnings);
        Assert.Contains(key, warning);
        Assert.Contains("payload.txt", warning);

        await Store().GetOrBuildAsync(key, TempCache.Build(calls));
        Assert.Equal(2, calls.Value);
        Assert.Equal("payload", File.ReadAllText(Payload(entry)));
    }

    [Fact]
    public async Task AnEntryOfManyFilesIsCheckedInParallelAndReportsTheFirstChange()
    {
        var key = TempCache.Key("many");
        var entry = await Store().GetOrBuildAsync(key, (folder, _) =>
        {
            for (var i = 0; i < 1500; i++) File.WriteAllText(Path.Combine(folder, $"f{i:D4}"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(new CacheEntryDraft { ScriptUid = "u", ScriptAlias = "dataset" });
        });
        Assert.Equal(1500, entry.Files!.Count);
        Assert.NotNull(Store().TryGet(key));

        File.Delete(Path.Combine(entry.Path, "f1400"));
        File.WriteAllText(Path.Combine(entry.Path, "f0700"), "changed");
        Assert.Null(Store().TryGet(key));
        Assert.Contains("f0700", Assert.Single(_warnings));
    }

    [Fact]
    public async Task ATouchedButUnchangedFileIsStillReused()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build());
        File.SetLastWriteTimeUtc(Payload(entry), DateTime.UtcNow.AddHours(1));

        Assert.NotNull(Store().TryGet(key));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task AnEditThatKeepsSizeAndTimeIsCaughtByVerifyAndByReuseWithVerify()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build());
        var time = File.GetLastWriteTimeUtc(Payload(entry));
        File.WriteAllText(Payload(entry), "PAYLOAD");
        File.SetLastWriteTimeUtc(Payload(entry), time);

        Assert.NotNull(Store().TryGet(key));
        var problem = Assert.Single(Store().Verify().Problems);
        Assert.Equal((key, CacheProblemKind.Modified), (problem.Key, problem.Kind));
        Assert.Contains("SHA-256", problem.Detail);

        Assert.Null(Store(verifyOnReuse: true).TryGet(key));
        Assert.Single(_warnings);
    }

    [Fact]
    public async Task AnEditedStoredEnvIsNotReused()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build());
        var json = Path.Combine(entry.Path, CacheStore.EntryFileName);
        var o = ReadJson(json);
        o["env"]!["TOOL_PATH"] = "/somewhere/else";
        File.WriteAllText(json, o.ToString());

        Assert.Equal(CacheProblemKind.Modified, Assert.Single(Store().Verify().Problems).Kind);
        Assert.Null(Store().TryGet(key));
        Assert.Contains("entry.json", Assert.Single(_warnings));
    }

    [Fact]
    public async Task ReformattingEntryJsonWithoutChangingItIsNoEdit()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build());
        var json = Path.Combine(entry.Path, CacheStore.EntryFileName);
        File.WriteAllText(json, ReadJson(json).ToString(Newtonsoft.Json.Formatting.None));

        Assert.NotNull(Store().TryGet(key));
        Assert.True(Store().Verify().IsHealthy);
    }

    [Fact]
    public async Task AnEditedOrMissingManifestIsAModification()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build());
        var manifest = Path.Combine(entry.Path, CacheManifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("payload.txt", "other.txt", StringComparison.Ordinal));
        Assert.Contains("manifest", Assert.Single(Store().Verify().Problems).Detail);

        File.Delete(manifest);
        Assert.Null(Store().TryGet(key));
        Assert.Contains("manifest", Assert.Single(_warnings));
    }

    [Fact]
    public async Task AnEntryBuiltOnAModifiedEntryIsNotReusedEither()
    {
        var (a, b) = (TempCache.Key("a"), TempCache.Key("b"));
        var entryA = await Store().GetOrBuildAsync(a, TempCache.Build(alias: "a"));
        await Store().GetOrBuildAsync(b, TempCache.Build(alias: "b", deps: [a]));
        File.WriteAllText(Payload(entryA), "corrupted");

        Assert.Null(Store().TryGet(b));
        Assert.Contains(a, Assert.Single(_warnings));
        Assert.Null(Store().TryGet(a));
    }

    [Fact]
    public async Task AValidatePathOutsideTheFolderIsRecordedAndChecked()
    {
        var outside = Path.Combine(_cache.Root, "..", "outside-" + Guid.NewGuid().ToString("N") + ".bin");
        outside = Path.GetFullPath(outside);
        File.WriteAllText(outside, "downloaded");
        try
        {
            var key = TempCache.Key("a");
            await Store().GetOrBuildAsync(key, (_, _) => Task.FromResult(new CacheEntryDraft { ScriptUid = "u", ScriptAlias = "download", ValidatePaths = [outside] }));
            Assert.NotNull(Store().TryGet(key));

            File.WriteAllText(outside, "downloaded, then cut");
            Assert.Null(Store().TryGet(key));
            Assert.Contains(outside, Assert.Single(_warnings));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task ARetargetedLinkIsAModification()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, (folder, _) =>
        {
            File.WriteAllText(Path.Combine(folder, "v1"), "1");
            File.WriteAllText(Path.Combine(folder, "v2"), "2");
            File.CreateSymbolicLink(Path.Combine(folder, "current"), "v1");
            return Task.FromResult(new CacheEntryDraft { ScriptUid = "u", ScriptAlias = "tool" });
        });
        File.Delete(Path.Combine(entry.Path, "current"));
        File.CreateSymbolicLink(Path.Combine(entry.Path, "current"), "v2");

        Assert.Null(Store().TryGet(key));
        Assert.Contains("current", Assert.Single(_warnings));
    }

    [Fact]
    public async Task PythonBytecodeWrittenIntoAnEntryLaterIsNoModification()
    {
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build());
        Directory.CreateDirectory(Path.Combine(entry.Path, "lib", "__pycache__"));
        File.WriteAllText(Path.Combine(entry.Path, "lib", "__pycache__", "m.cpython-311.pyc"), "bytecode");

        Assert.NotNull(Store().TryGet(key));
        Assert.True(Store().Verify().IsHealthy);
    }

    [Fact]
    public async Task AnEntryOfTheOlderFormatIsCorruptWithAReasonAndRebuilt()
    {
        var calls = new StrongBox<int>(0);
        var key = TempCache.Key("a");
        var entry = await Store().GetOrBuildAsync(key, TempCache.Build(calls));
        var json = Path.Combine(entry.Path, CacheStore.EntryFileName);
        var o = ReadJson(json);
        o["format"] = 1;
        File.WriteAllText(json, o.ToString());

        Assert.Contains("older cm", Assert.Single(Store().Verify().Problems, p => p.Kind == CacheProblemKind.Corrupt).Detail);
        await Store().GetOrBuildAsync(key, TempCache.Build(calls));
        Assert.Equal(2, calls.Value);
        Assert.Contains("unreadable", Assert.Single(_warnings));
    }

    [Fact]
    public void AManifestRoundTripsAndRejectsGarbage()
    {
        List<ManifestFile> files = [new("a b/ü\n.txt", 3, 638000000000000000, new string('a', 64)), new("link", 0, 0, null, "../x"), new("/abs/bin", 10, 1, new string('b', 64))];
        Assert.Equal(files, CacheManifest.Read(CacheManifest.Write(files)));
        Assert.Throws<InvalidDataException>(() => CacheManifest.Read("""{"format":1,"files":[["x","y"]]}"""));
        Assert.Throws<InvalidDataException>(() => CacheManifest.Read("""{"format":1,"files":[["x",1,2"""));
        Assert.Throws<InvalidDataException>(() => CacheManifest.Read("""{"format":7,"files":[]}"""));
    }
}
