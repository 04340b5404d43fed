using Automation.Core.Errors;
using Automation.Core.Files;
using Automation.Core.World;
using Newtonsoft.Json;

namespace Automation.Core.Caching;

/// <summary>
/// Cached script results on disk, one folder per key (see docs/cache.md). An entry exists exactly when
/// <c>&lt;root&gt;/&lt;key&gt;/entry.json</c> exists: it is written last, atomically, under the key's lock, so crashed
/// or failed builds leave only folders that lookups ignore and the next builder wipes. Safe to share between
/// processes; lookups by key touch only that key's files.
/// </summary>
public sealed class CacheStore
{
    public const string EntryFileName = "entry.json";

    private readonly IClock _clock;
    private readonly CacheStoreOptions _options;
    private readonly CacheIndex _index;

    public CacheStore(string root, IClock clock, CacheStoreOptions? options = null)
    {
        Root = Path.GetFullPath(root);
        _clock = clock;
        _options = options ?? CacheStoreOptions.Default;
        _index = new CacheIndex(Path.Combine(Root, "index.jsonl"), Path.Combine(LocksFolder, "index.lock"), _options);
    }

    public string Root { get; }

    public static string DefaultRoot(string workspace) => Path.Combine(workspace, "cache");

    private string LocksFolder => Path.Combine(Root, ".locks");

    /// <summary>The folder an entry with this key has, or will have once built.</summary>
    public string EntryFolder(string key) => Path.Combine(Root, CheckKey(key));

    /// <summary>
    /// The committed entry, or null when there is none, or it may not be reused: it went stale, it or an entry it was
    /// built on was changed after its commit (checked cheaply, or fully with <see cref="CacheStoreOptions.VerifyOnReuse"/>),
    /// or it is unreadable. Such an entry is removed, with every entry built on it; a changed or unreadable one with a
    /// warning, since its rebuild is then a surprise.
    /// </summary>
    public CacheEntry? TryGet(string key) => TryGet(CheckKey(key), []);

    private CacheEntry? TryGet(string key, HashSet<string> checking)
    {
        if (_checked.TryGetValue(key, out var known) && File.Exists(EntryFile(key))) return known;
        var entry = ReadCommitted(key, out var unreadable);
        if (entry is null)
        {
            if (unreadable is null) return null;
            _options.Warn?.Invoke($"cache entry {key} is unreadable ({unreadable}); it is rebuilt");
            Purge(Invalidate(key));
            return null;
        }
        if (!checking.Add(key)) return entry;
        if (FindProblem(entry, _options.VerifyOnReuse, dep => TryGet(dep, checking) is not null) is not { } problem)
        {
            _checked[key] = entry;
            return entry;
        }
        if (problem.Kind == CacheProblemKind.Modified)
            _options.Warn?.Invoke($"cache entry {key} ({ScriptName(entry)}) was changed after it was built: {problem.Detail}; it is rebuilt");
        Purge(Invalidate(key));
        return null;
    }

    /// <summary>
    /// Entries this store found reusable, so that an entry several calls (and the dry-run, the run record) reach is read
    /// and checked once per store; dropped when the entry is invalidated or rebuilt.
    /// </summary>
    private readonly Dictionary<string, CacheEntry> _checked = new(StringComparer.Ordinal);

    /// <summary>Like the other overload, and records the key's named inputs in the entry unless the build did.</summary>
    public Task<CacheEntry> GetOrBuildAsync(BuiltCacheKey key, Func<string, CancellationToken, Task<CacheEntryDraft>> build, CancellationToken ct = default) =>
        GetOrBuildAsync(key.Key, async (folder, token) =>
        {
            var draft = await build(folder, token).ConfigureAwait(false);
            return draft.KeyInputs.Count == 0 ? draft with { KeyInputs = key.Inputs } : draft;
        }, ct);

    /// <summary>
    /// The valid entry for <paramref name="key"/>, building it first when needed. At most one build per key runs at
    /// a time across processes; the others wait and then reuse its result. A build gets an empty folder; when it
    /// throws, the folder is removed and the exception propagates unchanged.
    /// </summary>
    public async Task<CacheEntry> GetOrBuildAsync(string key, Func<string, CancellationToken, Task<CacheEntryDraft>> build, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (TryGet(key) is { } cached) return cached;
        using var held = await FileLock.AcquireAsync(LockFile(key), _options.LockTimeout, ct).ConfigureAwait(false);
        if (TryGet(key) is { } builtMeanwhile) return builtMeanwhile;
        var folder = EntryFolder(key);
        _checked.Remove(key);
        await WaitForLeftoverProcessesAsync(folder, ct).ConfigureAwait(false);
        FolderTree.Delete(folder);
        Directory.CreateDirectory(folder);
        try
        {
            var draft = await build(folder, ct).ConfigureAwait(false);
            var entry = CacheEntry.FromDraft(key, folder, draft, _clock.UtcNow);
            if (entry.DepKeys.FirstOrDefault(k => !CacheKey.IsValid(k)) is { } badDep)
                throw new AutomationException($"Cache entry {key} names '{badDep}' as a dependency key, which is not a cache key", script: ScriptName(entry));
            if (FindProblem(entry, hashAll: false, dep => File.Exists(EntryFile(dep))) is { } problem)
                throw new AutomationException($"The build of cache entry {key} finished, but {problem.Detail}", script: ScriptName(entry),
                    fix: "A cached script must create every path it declares in validate_paths, and its cached deps must exist.");
            entry = entry with { Files = RecordFiles(entry) };
            var json = CacheEntryJson.Write(entry);
            _index.Add(IndexRecord.Of(entry));
            AtomicFile.WriteAllText(EntryFile(key), json);
            // What later runs will read, so the first run cannot see values (dates in State, say) they would not.
            return CacheEntryJson.Read(json, key, folder);
        }
        catch
        {
            FolderTree.TryDelete(folder);
            throw;
        }
    }

    /// <summary>Committed entries whose tags match (CM rules: all tags, "-tag" excludes, "_v" is variation v).</summary>
    public IReadOnlyList<CacheEntry> List(IReadOnlyCollection<string>? tags = null) =>
        _index.Snapshot().Where(r => r.Matches(tags))
            .Select(r => ReadCommitted(r.Key, out _)).OfType<CacheEntry>()
            .OrderBy(e => e.ScriptAlias, StringComparer.Ordinal).ThenBy(e => e.CreatedUtc).ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>The entry whose key is or starts with <paramref name="keyPrefix"/>; null when none.</summary>
    /// <exception cref="AutomationException">The prefix is not hex, or several entries match.</exception>
    public CacheEntry? FindByPrefix(string keyPrefix)
    {
        var prefix = keyPrefix.Trim().ToLowerInvariant();
        if (prefix.Length is 0 or > 64 || !CacheKey.IsHex(prefix))
            throw new AutomationException($"'{keyPrefix}' is not a cache key or the start of one", fix: "Use a key as printed by 'cm cache list'.");
        if (CacheKey.IsValid(prefix) && ReadCommitted(prefix, out _) is { } exact) return exact;
        var matches = _index.Snapshot().Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => ReadCommitted(r.Key, out _)).OfType<CacheEntry>().ToList();
        return matches.Count <= 1 ? matches.FirstOrDefault()
            : throw new AutomationException($"Cache key prefix '{prefix}' is ambiguous: it matches {string.Join(", ", matches.Select(m => m.Key).Order(StringComparer.Ordinal))}",
                fix: "Give more characters of the key.");
    }

    /// <summary>Removes the entry and every entry built on it; true when the entry existed.</summary>
    public bool Remove(string key)
    {
        using var held = FileLock.Acquire(LockFile(CheckKey(key)), _options.LockTimeout);
        var existed = File.Exists(EntryFile(key));
        var doomed = Invalidate(key);
        FolderTree.Delete(EntryFolder(key));
        Purge(doomed.Skip(1));
        return existed;
    }

    /// <summary>Removes the entries matching <paramref name="tags"/> (and those built on them); returns how many matched.</summary>
    public int RemoveWhere(IReadOnlyCollection<string> tags)
    {
        var keys = List(tags).Select(e => e.Key).ToList();
        foreach (var key in keys) Remove(key);
        return keys.Count;
    }

    /// <summary>Removes every entry and aborted build; returns how many committed entries there were.</summary>
    public int RemoveAll()
    {
        var removed = 0;
        foreach (var key in EntryFolderKeys())
        {
            using var held = FileLock.Acquire(LockFile(key), _options.LockTimeout);
            if (File.Exists(EntryFile(key))) removed++;
            AtomicFile.TryDelete(EntryFile(key));
            FolderTree.Delete(EntryFolder(key));
        }
        if (Directory.Exists(Root)) _index.Rewrite([]);
        return removed;
    }

    /// <summary>
    /// Checks every entry folder and the index, hashing every recorded file. With <paramref name="repair"/>, removes
    /// stale, modified, corrupt and orphan entries (skipping any a build holds right now) and rewrites the index from
    /// the surviving entries.
    /// </summary>
    public CacheVerifyReport Verify(bool repair = false)
    {
        var problems = new List<CacheProblem>();
        var entries = new Dictionary<string, CacheEntry>(StringComparer.Ordinal);
        var bad = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in EntryFolderKeys())
        {
            if (!File.Exists(EntryFile(key)))
            {
                using var building = FileLock.TryAcquire(LockFile(key));
                if (building is null || File.Exists(EntryFile(key))) continue;
                problems.Add(new(key, CacheProblemKind.Orphan, $"folder {EntryFolder(key)} has no {EntryFileName} (an aborted build)"));
                if (repair) FolderTree.TryDelete(EntryFolder(key));
            }
            else if (ReadCommitted(key, out var error) is { } entry) entries[key] = entry;
            else
            {
                problems.Add(new(key, CacheProblemKind.Corrupt, error ?? "entry.json vanished while verifying"));
                bad.Add(key);
            }
        }
        foreach (var entry in entries.Values)
            if (FindProblem(entry, hashAll: true, dep => entries.ContainsKey(dep)) is { } problem && bad.Add(entry.Key))
                problems.Add(new(entry.Key, problem.Kind, problem.Detail));
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var entry in entries.Values.Where(e => !bad.Contains(e.Key)))
                if (entry.DepKeys.FirstOrDefault(bad.Contains) is { } dep && bad.Add(entry.Key))
                {
                    problems.Add(new(entry.Key, CacheProblemKind.Stale, $"it was built on invalid entry {dep}"));
                    changed = true;
                }
        }

        var valid = entries.Values.Where(e => !bad.Contains(e.Key)).ToList();
        var indexed = _index.Snapshot().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(indexed.Where(k => !entries.ContainsKey(k) && !bad.Contains(k))
            .Select(k => new CacheProblem(k, CacheProblemKind.IndexWithoutEntry, "the index lists it but there is no committed entry")));
        problems.AddRange(valid.Where(e => !indexed.Contains(e.Key))
            .Select(e => new CacheProblem(e.Key, CacheProblemKind.MissingFromIndex, "committed but missing from the index, so 'list' cannot see it")));

        if (repair)
        {
            foreach (var key in bad)
            {
                using var held = FileLock.TryAcquire(LockFile(key));
                if (held is null) continue;
                AtomicFile.TryDelete(EntryFile(key));
                FolderTree.TryDelete(EntryFolder(key));
            }
            if (Directory.Exists(Root)) _index.Rewrite(valid.Select(IndexRecord.Of));
        }
        return new CacheVerifyReport(entries.Count + bad.Count(k => !entries.ContainsKey(k)), valid.Count,
            problems.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Kind).ToList(), repair);
    }

    private string EntryFile(string key) => Path.Combine(Root, key, EntryFileName);

    private string LockFile(string key) => Path.Combine(LocksFolder, key + ".lock");

    private IEnumerable<string> EntryFolderKeys() =>
        Directory.Exists(Root) ? _options.ListFolders(Root).Select(Path.GetFileName).Where(CacheKey.IsValid).Cast<string>().ToList() : [];

    /// <summary>Null when absent; also null when unreadable or corrupt, with the reason in <paramref name="error"/>.</summary>
    private CacheEntry? ReadCommitted(string key, out string? error)
    {
        error = null;
        var file = EntryFile(key);
        if (!File.Exists(file)) return null;
        try
        {
            return CacheEntryJson.Read(File.ReadAllText(file), key, Path.Combine(Root, key));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or FormatException or InvalidCastException or OverflowException)
        {
            error = $"{file}: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// Why the entry may not be reused, or null: expired, a validate path missing, entry.json or a recorded file
    /// changed since the commit (sizes and times, or every SHA-256 with <paramref name="hashAll"/>; docs/cache.md),
    /// or an entry it was built on not <paramref name="depUsable"/>.
    /// </summary>
    private (CacheProblemKind Kind, string Detail)? FindProblem(CacheEntry entry, bool hashAll, Func<string, bool> depUsable)
    {
        if (entry.ExpiresUtc is { } expires && _clock.UtcNow >= expires) return (CacheProblemKind.Stale, $"it expired at {expires:u} (cache_expiration)");
        if (entry.ContentChange is { } edited) return (CacheProblemKind.Modified, edited);
        foreach (var path in entry.ValidatePaths)
        {
            var full = entry.Resolve(path);
            if (!File.Exists(full) && !Directory.Exists(full)) return (CacheProblemKind.Stale, $"its validate path {full} is missing");
        }
        if (entry.Files is { } files && FindFileChange(entry, files, hashAll) is { } changed) return (CacheProblemKind.Modified, changed);
        foreach (var dep in entry.DepKeys)
            if (!CacheKey.IsValid(dep) || !depUsable(dep)) return (CacheProblemKind.Stale, $"the entry it was built on, {dep}, is gone or no longer valid");
        return null;
    }

    /// <summary>Records the entry's files (and validate paths outside its folder) in its manifest, written before the commit.</summary>
    private static EntryFiles RecordFiles(CacheEntry entry)
    {
        var inside = entry.Path + System.IO.Path.DirectorySeparatorChar;
        var outside = entry.ValidatePaths.Select(entry.Resolve).Where(p => !p.StartsWith(inside, StringComparison.Ordinal) && p != entry.Path);
        var files = CacheManifest.Scan(entry.Path, outside);
        var text = CacheManifest.Write(files);
        File.WriteAllText(System.IO.Path.Combine(entry.Path, CacheManifest.FileName), text);
        return new EntryFiles(CacheManifest.Hash(text), files.Count, files.Sum(f => f.Size));
    }

    private static string? FindFileChange(CacheEntry entry, EntryFiles files, bool hashAll)
    {
        var manifest = System.IO.Path.Combine(entry.Path, CacheManifest.FileName);
        string text;
        try
        {
            text = File.ReadAllText(manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"its file manifest {manifest} cannot be read ({e.Message})";
        }
        if (CacheManifest.Hash(text) != files.ManifestSha256) return $"its file manifest {manifest} was edited";
        try
        {
            return CacheManifest.FindChange(entry.Path, CacheManifest.Read(text), hashAll);
        }
        catch (InvalidDataException e)
        {
            return $"its file manifest {manifest} is unreadable ({e.Message})";
        }
    }

    /// <summary>
    /// Uncommits the entry and, transitively, every entry whose dep_keys lead to it, by deleting their entry.json:
    /// atomic and idempotent, so it needs no lock. Their folders become aborted builds; returns the keys, self first.
    /// </summary>
    private List<string> Invalidate(string key)
    {
        var dependents = _index.Snapshot().SelectMany(r => r.DepKeys.Select(d => (Dep: d, r.Key))).ToLookup(p => p.Dep, p => p.Key, StringComparer.Ordinal);
        var doomed = new List<string> { key };
        var seen = new HashSet<string>(doomed, StringComparer.Ordinal);
        for (var i = 0; i < doomed.Count; i++) doomed.AddRange(dependents[doomed[i]].Where(seen.Add));
        foreach (var k in doomed) AtomicFile.TryDelete(EntryFile(k));
        foreach (var k in doomed) _checked.Remove(k);
        _index.Remove(doomed);
        return doomed;
    }

    /// <summary>Deletes uncommitted folders nobody is building; a held lock means a builder will wipe it anyway.</summary>
    private void Purge(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            using var held = FileLock.TryAcquire(LockFile(key));
            if (held is not null && !File.Exists(EntryFile(key))) FolderTree.TryDelete(EntryFolder(key));
        }
    }

    /// <summary>
    /// An uncommitted folder may be what a killed run left (kill -9 of cm: its lock went with it). Its processes are
    /// being ended by their watcher; until the last is gone they hold the folder's busy file (SessionWrapper), and
    /// wiping the folder before then would let them write into this build.
    /// </summary>
    private async Task WaitForLeftoverProcessesAsync(string folder, CancellationToken ct)
    {
        var busy = Path.Combine(folder, SessionWrapper.BusyFileName);
        if (!File.Exists(busy)) return;
        try
        {
            using var free = await FileLock.AcquireAsync(busy, _options.LeftoverProcessTimeout, ct).ConfigureAwait(false);
        }
        catch (AutomationException e) when (e.File == busy)
        {
            throw new AutomationException(
                $"Processes of an earlier, stopped build still use {folder} after {_options.LeftoverProcessTimeout.TotalSeconds:0} s, so it cannot be rebuilt",
                file: busy, fix: $"Find them with `fuser -v {busy}` and stop them, then run again.", inner: e);
        }
    }

    private static string CheckKey(string key) => CacheKey.IsValid(key) ? key
        : throw new AutomationException($"'{key}' is not a cache key: expected 8 to 64 lowercase hex characters",
            fix: "Compute keys with CacheKey.Compute or CacheKeyBuilder.");

    private static string ScriptName(CacheEntry e) => e.ScriptAlias.Length > 0 ? e.ScriptAlias : e.ScriptUid;
}
