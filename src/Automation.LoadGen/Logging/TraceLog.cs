using System.Globalization;
using System.Text;

namespace Automation.LoadGen.Logging;

/// <summary>
/// mlperf_log_trace.json in Chrome's trace format. Unlike the C++ LoadGen, which traces every sample, this records
/// only the phases of a run (loading, issuing, waiting): per-sample tracing would cost memory on the hot path and
/// nothing downstream reads it.
/// </summary>
public sealed class TraceLog(long originNs)
{
    private readonly List<(string Name, long StartNs, long EndNs)> _spans = [];
    private readonly Lock _gate = new();

    public void Span(string name, long startNs, long endNs)
    {
        lock (_gate) _spans.Add((name, startNs - originNs, endNs - originNs));
    }

    public void WriteTo(string path)
    {
        var text = new StringBuilder("{\"traceEvents\":[");
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        lock (_gate)
        {
            for (var i = 0; i < _spans.Count; i++)
            {
                var (name, start, end) = _spans[i];
                if (i > 0) text.Append(',');
                text.Append("{\"name\":\"").Append(name).Append("\",\"ph\":\"X\",\"pid\":").Append(pid)
                    .Append(",\"tid\":0,\"ts\":").Append((start / 1000.0).ToString("F3", CultureInfo.InvariantCulture))
                    .Append(",\"dur\":").Append(((end - start) / 1000.0).ToString("F3", CultureInfo.InvariantCulture)).Append('}');
            }
        }
        text.Append("],\"displayTimeUnit\":\"ns\",\"otherData\":{\"version\":\"MLPerf LoadGen (native C#)\"}}\n");
        File.WriteAllText(path, text.ToString());
    }
}
