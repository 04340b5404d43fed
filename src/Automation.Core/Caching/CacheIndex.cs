using System.Text;
using Automation.Core.Files;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Caching;

/// <summary>What the index knows about an entry: enough to list and filter without opening entry folders.</summary>
internal sealed record IndexRecord(
    string Key, string ScriptUid, string ScriptAlias, IReadOnlyList<string> Tags, IReadOnlyList<string> Variations,
    string? Version, IReadOnlyList<string> DepKeys)
{
    public static IndexRecord Of(CacheEntry e) => new(e.Key, e.ScriptUid, e.ScriptAlias, e.Tags, e.Variations, e.Version, e.DepKeys);

    /// <summary>CM tag rules: every tag present, "-tag" absent, "_v" matches variation v.</summary>
    public bool Matches(IReadOnlyCollection<string>? tags) =>
        tags is null || tags.All(t => t.StartsWith('-') ? !Has(t[1..]) : Has(t));

    private bool Has(string tag) =>
        Tags.Contains(tag, StringComparer.Ordinal) || tag.StartsWith('_') && Variations.Contains(tag[1..], StringComparer.Ordinal);
}

/// <summary>
/// index.jsonl: an append-only journal of add/remove records that maps keys to tags for listing. It is derived
/// data: entry.json files are the truth and <see cref="CacheStore.Verify"/> rebuilds the journal from them.
/// Appends and rewrites happen under index.lock; readers take no lock and consume only complete lines, so a line
/// torn by a crash is skipped (the next writer terminates it first). The first line is a header whose generation
/// changes on every rewrite, which tells incremental readers to start over.
/// </summary>
internal sealed class CacheIndex(string path, string lockPath, CacheStoreOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IndexRecord> _live = new(StringComparer.Ordinal);
    private string? _generation;
    private long _offset;
    private int _lines;

    public IReadOnlyCollection<IndexRecord> Snapshot()
    {
        lock (_gate)
        {
            Refresh();
            return _live.Values.ToArray();
        }
    }

    public void Add(IndexRecord record) => Append([AddLine(record)]);

    public void Remove(IEnumerable<string> keys) =>
        Append(keys.Select(k => new JObject { ["op"] = "remove", ["key"] = k }.ToString(Formatting.None)).ToList());

    public void Rewrite(IEnumerable<IndexRecord> records)
    {
        lock (_gate)
        {
            using var held = FileLock.Acquire(lockPath, options.IndexLockTimeout);
            RewriteHeld(records.ToList());
        }
    }

    private void Append(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0) return;
        lock (_gate)
        {
            using var held = FileLock.Acquire(lockPath, options.IndexLockTimeout);
            Refresh();
            var text = new StringBuilder();
            using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
                if (stream.Length == 0) text.Append(HeaderLine()).Append('\n');
                else if (LastByte(stream) != '\n') text.Append('\n');
                foreach (var line in lines) text.Append(line).Append('\n');
                stream.Seek(0, SeekOrigin.End);
                stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            }
            Refresh();
            if (_lines > 2 * _live.Count + options.CompactionSlack) RewriteHeld(_live.Values.ToList());
        }
    }

    private void RewriteHeld(IReadOnlyList<IndexRecord> records)
    {
        var text = new StringBuilder().Append(HeaderLine()).Append('\n');
        foreach (var r in records) text.Append(AddLine(r)).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
        Refresh();
    }

    /// <summary>Reads what was appended since the last call; starts over when the journal was rewritten.</summary>
    private void Refresh()
    {
        FileStream stream;
        try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Reset(null);
            return;
        }
        using (stream)
        {
            var generation = ReadGeneration(stream);
            if (generation != _generation || stream.Length < _offset) Reset(generation);
            var bytes = new byte[stream.Length - _offset];
            stream.Position = _offset;
            stream.ReadExactly(bytes);
            var end = Array.LastIndexOf(bytes, (byte)'\n');
            if (end < 0) return;
            foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n')) Apply(line);
            _offset += end + 1;
        }
    }

    private void Reset(string? generation)
    {
        _live.Clear();
        _generation = generation;
        _offset = 0;
        _lines = 0;
    }

    private void Apply(string line)
    {
        if (line.Length == 0) return;
        JObject o;
        try { o = CacheEntryJson.Parse(line) as JObject ?? throw new InvalidDataException("not an object"); }
        catch (Exception e) when (e is JsonException or InvalidDataException) { _lines++; return; }
        var key = o.Value<string>("key");
        switch (o.Value<string>("op"))
        {
            case "header":
                return;
            case "add" when CacheKey.IsValid(key) && TryRecord(key!, o) is { } record:
                _live[key!] = record;
                break;
            case "remove" when key is not null:
                _live.Remove(key);
                break;
        }
        _lines++;
    }

    private static IndexRecord? TryRecord(string key, JObject o)
    {
        try
        {
            return new IndexRecord(key, o.Value<string>("uid") ?? "", o.Value<string>("alias") ?? "", CacheEntryJson.List(o, "tags"),
                CacheEntryJson.List(o, "variations"), o.Value<string>("version"), CacheEntryJson.List(o, "deps"));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or FormatException) { return null; }
    }

    private static string AddLine(IndexRecord r) => new JObject
    {
        ["op"] = "add",
        ["key"] = r.Key,
        ["uid"] = r.ScriptUid,
        ["alias"] = r.ScriptAlias,
        ["tags"] = new JArray(r.Tags),
        ["variations"] = new JArray(r.Variations),
        ["version"] = r.Version,
        ["deps"] = new JArray(r.DepKeys),
    }.ToString(Formatting.None);

    private static string HeaderLine() =>
        new JObject { ["op"] = "header", ["format"] = 1, ["generation"] = Guid.NewGuid().ToString("N") }.ToString(Formatting.None);

    /// <summary>The header's generation, or "" for a journal without a readable header.</summary>
    private static string ReadGeneration(FileStream stream)
    {
        var head = new byte[Math.Min(256, stream.Length)];
        stream.Position = 0;
        stream.ReadExactly(head);
        var newline = Array.IndexOf(head, (byte)'\n');
        if (newline < 0) return "";
        try
        {
            var o = CacheEntryJson.Parse(Encoding.UTF8.GetString(head, 0, newline)) as JObject;
            return o?.Value<string>("op") == "header" ? o.Value<string>("generation") ?? "" : "";
        }
        catch (Exception e) when (e is JsonException or InvalidDataException) { return ""; }
    }

    private static int LastByte(FileStream stream)
    {
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte();
    }
}
