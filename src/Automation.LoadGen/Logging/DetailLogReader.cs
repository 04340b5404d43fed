using System.Text.Json;

namespace Automation.LoadGen.Logging;

/// <summary>One ":::MLLOG" event of mlperf_log_detail.txt.</summary>
public sealed record MllogEvent(string Key, JsonElement Value, double TimeMs, bool IsError, bool IsWarning);

/// <summary>
/// Reads mlperf_log_detail.txt the way the submission checker does: every line starting with ":::MLLOG" is JSON after
/// the marker; a key's first occurrence is its value. Bare Infinity/NaN values (which LoadGen prints for
/// infinite rates, and Python's json accepts) are read as strings.
/// </summary>
public sealed class DetailLogReader
{
    public const string Marker = ":::MLLOG";
    private readonly Dictionary<string, List<MllogEvent>> _events = [];

    private DetailLogReader(IReadOnlyList<MllogEvent> events)
    {
        foreach (var e in events)
        {
            if (!_events.TryGetValue(e.Key, out var list)) _events[e.Key] = list = [];
            list.Add(e);
        }
        Events = events;
    }

    public IReadOnlyList<MllogEvent> Events { get; }
    public IEnumerable<string> Keys => _events.Keys;
    public int ErrorCount => Events.Count(e => e.IsError);

    public static DetailLogReader ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <exception cref="JsonException">A marked line is not valid JSON.</exception>
    public static DetailLogReader Parse(string text) =>
        new(text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(Marker, StringComparison.Ordinal))
            .Select(line => ParseEvent(line[Marker.Length..]))
            .ToArray());

    public bool Contains(string key) => _events.ContainsKey(key);

    public JsonElement this[string key] => _events.TryGetValue(key, out var list)
        ? list[0].Value
        : throw new KeyNotFoundException($"No MLLOG event with key '{key}'.");

    public IReadOnlyList<MllogEvent> All(string key) => _events.TryGetValue(key, out var list) ? list : [];

    public string? GetString(string key) => Contains(key) ? this[key].ToString() : null;
    public long? GetInt64(string key) => Contains(key) && this[key].ValueKind == JsonValueKind.Number ? this[key].GetInt64() : null;
    public ulong? GetUInt64(string key) => Contains(key) && this[key].ValueKind == JsonValueKind.Number ? this[key].GetUInt64() : null;
    public double? GetDouble(string key) => Contains(key) && this[key].ValueKind == JsonValueKind.Number ? this[key].GetDouble() : null;
    public bool? GetBoolean(string key) => Contains(key) && this[key].ValueKind is JsonValueKind.True or JsonValueKind.False ? this[key].GetBoolean() : null;

    private static MllogEvent ParseEvent(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            document = JsonDocument.Parse(QuoteNonFiniteValue(json));
        }
        var root = document.RootElement;
        var metadata = root.GetProperty("metadata");
        return new MllogEvent(
            root.GetProperty("key").GetString()!,
            root.GetProperty("value").Clone(),
            root.GetProperty("time_ms").GetDouble(),
            metadata.GetProperty("is_error").GetBoolean(),
            metadata.GetProperty("is_warning").GetBoolean());
    }

    private static string QuoteNonFiniteValue(string json)
    {
        foreach (var word in new[] { "-Infinity", "Infinity", "NaN" })
        {
            json = json.Replace($"\"value\": {word},", $"\"value\": \"{word}\",", StringComparison.Ordinal);
        }
        return json;
    }
}
