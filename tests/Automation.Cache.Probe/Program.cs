using Automation.Core.Caching;
using Automation.Core.World;

// Usage: probe <cache-root> <key> <marker-folder> <build-milliseconds>
// Builds (or reuses) one entry. Each build invocation leaves a marker file, so the test can count builds across
// processes; "building" on stdout tells a test the build has started (the crash test kills the process then).
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: probe <cache-root> <key> <marker-folder> <build-milliseconds>");
    return 2;
}
var (root, key, markers, buildMs) = (args[0], args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
var store = new CacheStore(root, SystemClock.Instance, new CacheStoreOptions { LockTimeout = TimeSpan.FromSeconds(60) });
var entry = await store.GetOrBuildAsync(key, async (folder, ct) =>
{
    File.WriteAllText(Path.Combine(markers, $"build-{Environment.ProcessId}"), folder);
    Console.WriteLine("building");
    await File.WriteAllTextAsync(Path.Combine(folder, "partial.txt"), "half done", ct);
    await Task.Delay(buildMs, ct);
    await File.WriteAllTextAsync(Path.Combine(folder, "payload.txt"), "done", ct);
    return new CacheEntryDraft { ScriptUid = "probe", ScriptAlias = "probe", Tags = ["probe"], ValidatePaths = ["payload.txt"] };
});
Console.WriteLine($"entry {entry.Path}");
return 0;
