using System.Text;
using System.Text.Json;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official.Benchmark;

/// <summary>
/// One engine, one scenario (one Server target), run in its own process: the scenario's throughput figure, validity,
/// counts, wall time and the process's peak resident memory. Travels from the child as one JSON line.
/// </summary>
public sealed record EngineRunReport
{
    public required string Engine { get; init; }
    public required TestScenario Scenario { get; init; }
    public double? ServerTargetQps { get; init; }
    public bool IsValid { get; init; }
    public IReadOnlyList<string> InvalidReasons { get; init; } = [];
    /// <summary>Offline: samples/s; Server: completed samples/s; SingleStream: QPS with LoadGen overhead;
    /// MultiStream: queries/s between the first and the last IssueQuery, seen by the SUT.</summary>
    public double Throughput { get; init; }
    public long QueryCount { get; init; }
    public long SampleCount { get; init; }
    public double WallSeconds { get; init; }
    /// <summary>Peak resident set of the whole process (VmHWM), runtime included.</summary>
    public long PeakRssBytes { get; init; }
    /// <summary>Resident set just before the test started: the runtime and, for the official engine, the loaded shim.</summary>
    public long StartRssBytes { get; init; }
    public string ResultDirectory { get; init; } = "";

    public static string ThroughputUnit(TestScenario scenario) => scenario switch
    {
        TestScenario.Offline => "samples/s",
        TestScenario.Server => "completed samples/s",
        TestScenario.SingleStream => "queries/s",
        _ => "queries/s",
    };

    public double PeakRssMiB => PeakRssBytes / (1024.0 * 1024.0);

    public string ToJsonLine()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("engine", Engine);
            w.WriteString("scenario", Scenario.ToString());
            if (ServerTargetQps is { } target) w.WriteNumber("server_target_qps", target);
            w.WriteBoolean("valid", IsValid);
            w.WriteStartArray("invalid_reasons");
            foreach (var reason in InvalidReasons) w.WriteStringValue(reason);
            w.WriteEndArray();
            w.WriteNumber("throughput", double.IsFinite(Throughput) ? Throughput : 0);
            w.WriteString("throughput_unit", ThroughputUnit(Scenario));
            w.WriteNumber("query_count", QueryCount);
            w.WriteNumber("sample_count", SampleCount);
            w.WriteNumber("wall_seconds", WallSeconds);
            w.WriteNumber("peak_rss_bytes", PeakRssBytes);
            w.WriteNumber("start_rss_bytes", StartRssBytes);
            w.WriteString("result_dir", ResultDirectory);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <exception cref="FormatException">Not a report line.</exception>
    public static EngineRunReport FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            return new EngineRunReport
            {
                Engine = r.GetProperty("engine").GetString()!,
                Scenario = Enum.Parse<TestScenario>(r.GetProperty("scenario").GetString()!),
                ServerTargetQps = r.TryGetProperty("server_target_qps", out var t) ? t.GetDouble() : null,
                IsValid = r.GetProperty("valid").GetBoolean(),
                InvalidReasons = r.GetProperty("invalid_reasons").EnumerateArray().Select(e => e.GetString()!).ToList(),
                Throughput = r.GetProperty("throughput").GetDouble(),
                QueryCount = r.GetProperty("query_count").GetInt64(),
                SampleCount = r.GetProperty("sample_count").GetInt64(),
                WallSeconds = r.GetProperty("wall_seconds").GetDouble(),
                PeakRssBytes = r.GetProperty("peak_rss_bytes").GetInt64(),
                StartRssBytes = r.GetProperty("start_rss_bytes").GetInt64(),
                ResultDirectory = r.GetProperty("result_dir").GetString()!,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"not a benchmark report: {e.Message}", e);
        }
    }
}
