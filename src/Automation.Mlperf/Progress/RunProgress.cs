using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Progress;

/// <summary>Where a LoadGen run stands: what it is, how long it has run against its minimum, and how fast it goes now.</summary>
public sealed record RunProgress(string Scenario, string Mode, TimeSpan Elapsed, TimeSpan? MinDuration, long QueriesIssued,
    long SamplesCompleted, double SamplesPerSecond)
{
    /// <summary>"Offline performance: 123 s / 600 s min, 1 query issued, 3,400,000 samples done, 48,811 samples/s".</summary>
    public string Line
    {
        get
        {
            var elapsed = $"{Elapsed.TotalSeconds:0} s" + (MinDuration is { } min ? $" / {min.TotalSeconds:0} s min" : "");
            var queries = QueriesIssued == 1 ? "1 query" : $"{N(QueriesIssued)} queries";
            return $"{Scenario} {Mode}: {elapsed}, {queries} issued, {N(SamplesCompleted)} samples done, {N(SamplesPerSecond)} samples/s";
        }
    }

    public JObject ToJson() => new()
    {
        ["event"] = "progress", ["scenario"] = Scenario, ["mode"] = Mode, ["elapsed_s"] = Math.Round(Elapsed.TotalSeconds, 1),
        ["min_duration_s"] = MinDuration is { } m ? Math.Round(m.TotalSeconds, 1) : null, ["queries_issued"] = QueriesIssued,
        ["samples_completed"] = SamplesCompleted, ["samples_per_s"] = Math.Round(SamplesPerSecond, 1), ["line"] = Line,
    };

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
