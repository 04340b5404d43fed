using System.Diagnostics;
using Automation.Core.Caching;
using Xunit;

namespace Automation.Core.Tests.Caching;

/// <summary>Real child processes (tests/Automation.Cache.Probe): locks and crashes only mean something across processes.</summary>
public sealed class CacheProcessTests : IDisposable
{
    private readonly TempCache _cache = new();
    private readonly string _markers;

    public CacheProcessTests()
    {
        _markers = Path.Combine(_cache.Root, ".markers");
        Directory.CreateDirectory(_markers);
    }

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task EightProcessesBuildingOneKeyProduceOneEntryAndAllSucceed()
    {
        var key = TempCache.Key("shared");
        var probes = Enumerable.Range(0, 8).Select(_ => StartProbe(key, buildMs: 2000)).ToList();
        var outputs = await Task.WhenAll(probes.Select(Finish));

        Assert.All(outputs, o => Assert.Equal(0, o.ExitCode));
        Assert.Single(Directory.EnumerateFiles(_markers));
        Assert.Single(outputs.Select(o => o.Stdout.Split('\n').Single(l => l.StartsWith("entry ", StringComparison.Ordinal)).Trim()).Distinct());
        Assert.Single(Directory.EnumerateDirectories(_cache.Root), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.NotNull(_cache.Store().TryGet(key));
        Assert.True(_cache.Store().Verify().IsHealthy);
    }

    [Fact]
    public async Task ProcessKilledMidBuildLeavesNoValidEntryAndTheNextBuildSucceeds()
    {
        var key = TempCache.Key("crash");
        using var probe = StartProbe(key, buildMs: 60_000);
        while (await probe.StandardOutput.ReadLineAsync() is { } line && line != "building") { }
        probe.Kill(entireProcessTree: true);
        await probe.WaitForExitAsync();

        var store = _cache.Store(new CacheStoreOptions { LockTimeout = TimeSpan.FromSeconds(5) });
        Assert.True(File.Exists(Path.Combine(store.EntryFolder(key), "partial.txt")));
        Assert.Null(store.TryGet(key));
        Assert.Empty(store.List());

        // The dead process's lock went with it: this build neither waits for the timeout nor sees its leftovers.
        var entry = await store.GetOrBuildAsync(key, async (dir, ct) =>
        {
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
            return await TempCache.Build()(dir, ct);
        });
        Assert.Equal(store.EntryFolder(key), entry.Path);
        Assert.True(store.Verify().IsHealthy);
    }

    private Process StartProbe(string key, int buildMs)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "Automation.Cache.Probe.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { probe, _cache.Root, key, _markers, buildMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the cache probe");
    }

    private static async Task<(int ExitCode, string Stdout)> Finish(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"probe failed: {await stderr}");
            return (process.ExitCode, await stdout);
        }
    }
}
