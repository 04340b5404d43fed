using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.LoadGen.Logging;

/// <summary>The figures of an mlperf_log_summary.txt, read back (from either LoadGen, C++ or native).</summary>
public sealed record SummaryFigures(
    string? SutName,
    string? Scenario,
    string? Mode,
    bool? IsValid,
    IReadOnlyDictionary<string, string> Results,
    IReadOnlyDictionary<string, string> AdditionalStats,
    IReadOnlyDictionary<string, string> TestParameters,
    IReadOnlyList<string> EarlyStopping)
{
    public double? SamplesPerSecond => Number(Results, "Samples per second");
    public double? CompletedSamplesPerSecond => Number(Results, "Completed samples per second");
    public double? ScheduledSamplesPerSecond => Number(AdditionalStats, "Scheduled samples per second");
    public double? QpsWithLoadgenOverhead => Number(AdditionalStats, "QPS w/ loadgen overhead");
    public double? QpsWithoutLoadgenOverhead => Number(AdditionalStats, "QPS w/o loadgen overhead");
    /// <summary>"NN.Nth percentile latency (ns)": SingleStream's sample or MultiStream's query latency at its target percentile.</summary>
    public double? TargetPercentileLatencyNs =>
        Results.FirstOrDefault(kv => kv.Key.EndsWith("th percentile latency (ns)", StringComparison.Ordinal)) is { Key: not null } hit
            ? Parse(hit.Value) : null;
    public double? MinLatencyNs => Number(AdditionalStats, "Min latency (ns)");
    public double? MaxLatencyNs => Number(AdditionalStats, "Max latency (ns)");
    public double? MeanLatencyNs => Number(AdditionalStats, "Mean latency (ns)");
    public double? PercentileLatencyNs(double percent) =>
        Number(AdditionalStats, $"{percent.ToString("F2", CultureInfo.InvariantCulture)} percentile latency (ns)");

    /// <summary>The early-stopping estimate at <paramref name="percent"/> (e.g. 90.0), if the summary states one.</summary>
    public double? EarlyStoppingEstimateNs(double percent)
    {
        var prefix = $"* Early stopping {percent.ToString("F1", CultureInfo.InvariantCulture)}th percentile estimate:";
        var line = EarlyStopping.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? null : Parse(line[prefix.Length..]);
    }

    private static double? Number(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) ? Parse(text) : null;

    private static double? Parse(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>Reads mlperf_log_summary.txt: its sections, "label : value" lines and the early-stopping bullets.</summary>
public static partial class SummaryParser
{
    public static SummaryFigures ParseFile(string path) => Parse(File.ReadAllText(path));

    public static SummaryFigures Parse(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>
        {
            ["results"] = [],
            ["stats"] = [],
            ["parameters"] = [],
        };
        var earlyStopping = new List<string>();
        var section = "results";
        var inEarlyStopping = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            switch (line.Trim())
            {
                case "MLPerf Results Summary": section = "results"; continue;
                case "Additional Stats": section = "stats"; inEarlyStopping = false; continue;
                case "Test Parameters Used": section = "parameters"; continue;
                case "Early Stopping Result:": inEarlyStopping = true; continue;
            }
            if (inEarlyStopping && line.StartsWith(" *", StringComparison.Ordinal))
            {
                earlyStopping.Add(line.Trim());
                continue;
            }
            var match = LabelValue().Match(line);
            if (match.Success && !line.TrimStart().StartsWith('*')) sections[section].TryAdd(match.Groups[1].Value.Trim(), match.Groups[2].Value.Trim());
        }
        var results = sections["results"];
        return new SummaryFigures(
            results.GetValueOrDefault("SUT name"),
            results.GetValueOrDefault("Scenario"),
            results.GetValueOrDefault("Mode"),
            results.GetValueOrDefault("Result is") switch { "VALID" => true, "INVALID" => false, _ => null },
            results,
            sections["stats"],
            sections["parameters"],
            earlyStopping);
    }

    [GeneratedRegex(@"^\s*([^:]+?)\s*:\s*(.*)$")]
    private static partial Regex LabelValue();
}
