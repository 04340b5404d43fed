using Automation.Records.Records;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Catalog;

/// <summary>Run records read once per version of their file (size and time): the dashboard lists hundreds on every page.</summary>
public sealed class RecordCache
{
    private readonly Dictionary<string, (DateTime Time, long Length, JObject? Record)> cache = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The record in <paramref name="path"/>, or null when it is missing, torn or not a run record.</summary>
    public JObject? Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        lock (gate)
            if (cache.TryGetValue(path, out var hit) && hit.Time == info.LastWriteTimeUtc && hit.Length == info.Length) return hit.Record;
        var record = RunRecordWriter.TryLoad(path);
        lock (gate) cache[path] = (info.LastWriteTimeUtc, info.Length, record);
        return record;
    }
}
