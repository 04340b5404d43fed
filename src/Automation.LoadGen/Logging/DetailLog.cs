using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.LoadGen.Logging;

/// <summary>
/// mlperf_log_detail.txt: one ":::MLLOG {json}" line per event, with LoadGen's keys and value spellings (integers
/// bare, doubles as "%f", booleans as true/false, strings quoted and, unlike LoadGen, always JSON-escaped).
/// Lines are kept in memory and written once the run is over, so logging never blocks the issue thread on I/O.
/// </summary>
public sealed class DetailLog(Func<long> nowNs, long originNs)
{
    // Source-generated, so that the Native AOT cm binary (reflection-based serialization off) can write the log.
    private static readonly DetailLogJson Json = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private readonly StringBuilder _text = new();
    private readonly int _pid = Environment.ProcessId;
    private readonly Lock _gate = new();

    public int ErrorCount { get; private set; }
    public int WarningCount { get; private set; }
    public IReadOnlyList<string> Errors => _errors;
    private readonly List<string> _errors = [];

    public void Log(string key, string value, string file = "loadgen.cs") => Append(key, Quote(value), file, Level.Info);
    public void Log(string key, long value, string file = "loadgen.cs") => Append(key, value.ToString(CultureInfo.InvariantCulture), file, Level.Info);
    public void Log(string key, ulong value, string file = "loadgen.cs") => Append(key, value.ToString(CultureInfo.InvariantCulture), file, Level.Info);
    public void Log(string key, double value, string file = "loadgen.cs") => Append(key, CppFormat.ToStringF(value), file, Level.Info);
    public void Log(string key, bool value, string file = "loadgen.cs") => Append(key, value ? "true" : "false", file, Level.Info);

    /// <summary>A JSON list of integers, e.g. loaded_qsl_set.</summary>
    public void Log(string key, ReadOnlySpan<int> values, string file = "loadgen.cs")
    {
        var list = new StringBuilder("[");
        foreach (var v in values) list.Append(v.ToString(CultureInfo.InvariantCulture)).Append(',');
        if (values.Length > 0) list.Length--;
        Append(key, list.Append(']').ToString(), file, Level.Info);
    }

    /// <summary>A JSON object of strings, e.g. loadgen_file_sha1.</summary>
    public void Log(string key, IReadOnlyDictionary<string, string> values, string file = "version.cs") =>
        Append(key, JsonSerializer.Serialize(values, Json.IReadOnlyDictionaryStringString), file, Level.Info);

    public void LogError(string key, string value, string file = "loadgen.cs")
    {
        lock (_gate) _errors.Add(value);
        Append(key, Quote(value), file, Level.Error);
    }

    public void LogWarning(string key, string value, string file = "loadgen.cs") => Append(key, Quote(value), file, Level.Warning);

    public void WriteTo(string path)
    {
        lock (_gate) File.WriteAllText(path, _text.ToString());
    }

    public override string ToString()
    {
        lock (_gate) return _text.ToString();
    }

    private void Append(string key, string jsonValue, string file, Level level)
    {
        var elapsed = Math.Max(0, nowNs() - originNs);
        lock (_gate)
        {
            if (level == Level.Error) ErrorCount++;
            if (level == Level.Warning) WarningCount++;
            _text.Append(":::MLLOG {\"key\": ").Append(Quote(key))
                .Append(", \"value\": ").Append(jsonValue)
                .Append(", \"time_ms\": ").Append((elapsed / 1_000_000).ToString(CultureInfo.InvariantCulture))
                .Append('.').Append((elapsed % 1_000_000).ToString("000000", CultureInfo.InvariantCulture))
                .Append(", \"namespace\": \"mlperf::logging\", \"event_type\": \"POINT_IN_TIME\", \"metadata\": {\"is_error\": ")
                .Append(level == Level.Error ? "true" : "false")
                .Append(", \"is_warning\": ").Append(level == Level.Warning ? "true" : "false")
                .Append(", \"file\": ").Append(Quote(file))
                .Append(", \"line_no\": 0, \"pid\": ").Append(_pid.ToString(CultureInfo.InvariantCulture))
                .Append(", \"tid\": ").Append(Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture))
                .Append("}}\n");
        }
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, Json.String);

    private enum Level { Info, Warning, Error }
}

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class DetailLogJson : JsonSerializerContext;
