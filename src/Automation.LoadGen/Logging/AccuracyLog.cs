using System.Globalization;
using System.Text;

namespace Automation.LoadGen.Logging;

/// <summary>
/// mlperf_log_accuracy.json: responses in completion order, written as LoadGen writes them
/// ("[", then "\n{ "seq_id" : N, "qsl_idx" : N, "data" : "HEX" }" joined by ",", then "\n]\n"), data in uppercase hex.
/// Thread-safe: completion threads record, the engine writes the file at the end.
/// </summary>
public sealed class AccuracyLog
{
    private readonly List<Entry> _entries = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    public void Record(long sequenceId, int qslIndex, ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        lock (_gate) _entries.Add(new Entry(sequenceId, qslIndex, copy));
    }

    public void WriteTo(TextWriter writer)
    {
        writer.Write('[');
        lock (_gate)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                var e = _entries[i];
                writer.Write(i == 0 ? "\n{ " : ",\n{ ");
                writer.Write("\"seq_id\" : ");
                writer.Write(e.SequenceId.ToString(CultureInfo.InvariantCulture));
                writer.Write(", \"qsl_idx\" : ");
                writer.Write(e.QslIndex.ToString(CultureInfo.InvariantCulture));
                writer.Write(", \"data\" : \"");
                writer.Write(Convert.ToHexString(e.Data));
                writer.Write("\" }");
            }
        }
        writer.Write("\n]\n");
    }

    public void WriteTo(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        WriteTo(writer);
    }

    private sealed record Entry(long SequenceId, int QslIndex, byte[] Data);
}
