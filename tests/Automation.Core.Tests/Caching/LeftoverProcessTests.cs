using System.Diagnostics;
using Automation.Core.Caching;
using Automation.Core.Errors;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Caching;

/// <summary>
/// A build killed with its cm leaves an uncommitted folder whose processes may still be ending; they hold its busy
/// file (SessionWrapper) until the last is gone, and the next build of the key waits for that before wiping it.
/// </summary>
public sealed class LeftoverProcessTests : IDisposable
{
    private readonly TempCache cache = new();

    public void Dispose() => cache.Dispose();

    /// <summary>What a dead build's straggler holds: a shared flock on the busy file in the entry's folder.</summary>
    private FileStream Straggler(string key)
    {
        var folder = cache.Store().EntryFolder(key);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "half-written.txt"), "from the killed build");
        return new FileStream(Path.Combine(folder, SessionWrapper.BusyFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
    }

    [Fact]
    public async Task The_next_build_waits_until_the_killed_builds_processes_are_gone_then_starts_clean()
    {
        var key = TempCache.Key("killed");
        var straggler = Straggler(key);
        _ = Task.Run(async () => { await Task.Delay(400); straggler.Dispose(); });
        var waited = Stopwatch.StartNew();
        var entry = await cache.Store().GetOrBuildAsync(key, TempCache.Build());
        Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(350), $"built after {waited.Elapsed}, before the straggler let go");
        Assert.False(File.Exists(Path.Combine(entry.Path, "half-written.txt")));
        Assert.False(File.Exists(Path.Combine(entry.Path, SessionWrapper.BusyFileName)));
    }

    [Fact]
    public async Task A_straggler_that_never_ends_is_a_clear_error_naming_the_folder()
    {
        var key = TempCache.Key("stuck");
        using var straggler = Straggler(key);
        var store = cache.Store(new CacheStoreOptions { LeftoverProcessTimeout = TimeSpan.FromMilliseconds(300) });
        var e = await Assert.ThrowsAsync<AutomationException>(() => store.GetOrBuildAsync(key, TempCache.Build()));
        Assert.Contains("earlier, stopped build still use", e.Message);
        Assert.Contains(store.EntryFolder(key), e.Message);
        Assert.Contains("fuser -v", e.Message);
    }

    [Fact]
    public async Task A_busy_file_nobody_holds_costs_no_wait()
    {
        var key = TempCache.Key("dead");
        Straggler(key).Dispose();
        var entry = await cache.Store().GetOrBuildAsync(key, TempCache.Build());
        Assert.False(File.Exists(Path.Combine(entry.Path, "half-written.txt")));
    }
}
