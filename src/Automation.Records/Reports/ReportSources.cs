using Automation.Core.Errors;
using Automation.LoadGen.Logging;
using Automation.Records.Records;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Reports;

/// <summary>One LoadGen performance result found in a results folder.</summary>
public sealed record ScenarioResult(string System, string Model, string Scenario, string Mode, bool? Valid, double? Throughput,
    IReadOnlyList<(double Percent, double Ns)> Percentiles, double? MeanNs, double? MinNs, double? MaxNs, string SummaryPath,
    Automation.Results.Headline? Headline = null);

/// <summary>One run in a report: a results folder with its record (when it has one), or a sweep point.</summary>
public sealed record ReportRun(string Name, string Folder, JObject? Record, IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyDictionary<string, string> Figures, IReadOnlyDictionary<string, string> Params, string? Experiment);

/// <summary>Reads what `cm report` is given: results folders, run records, or a sweep's experiment.json.</summary>
public static class ReportSources
{
    public static readonly double[] Percents = [50, 90, 95, 97, 99, 99.9];

    public static IReadOnlyList<ReportRun> Load(IEnumerable<string> paths)
    {
        var runs = new List<ReportRun>();
        foreach (var path in paths.Select(p => Path.GetFullPath(p)))
        {
            if (File.Exists(path) && Path.GetFileName(path) == "experiment.json") runs.AddRange(Experiment(path));
            else if (File.Exists(path)) { var rec = RunRecordWriter.Load(path); runs.Add(FromFolder((string?)rec["results_dir"] ?? Path.GetDirectoryName(path)!, rec, null, null)); }
            else if (Directory.Exists(path) && File.Exists(Path.Combine(path, "experiment.json"))) runs.AddRange(Experiment(Path.Combine(path, "experiment.json")));
            else if (Directory.Exists(path)) runs.Add(FromFolder(path, File.Exists(Path.Combine(path, RunRecord.FileName)) ? RunRecordWriter.Load(path) : null, null, null));
            else throw new AutomationException($"'{path}' does not exist", path, fix: "Pass results folders, cm-run-record.json files, or a sweep's experiment.json.");
        }
        if (runs.Count == 0 || runs.All(r => r.Scenarios.Count == 0 && r.Figures.Count == 0))
            throw new AutomationException("found no LoadGen results (mlperf_log_summary.txt) or recorded figures in the given paths", fix: "Pass the --results_dir of a `cm run script` MLPerf run, its cm-run-record.json, or a sweep's experiment.json.");
        return runs;
    }

    private static IEnumerable<ReportRun> Experiment(string file)
    {
        var table = JObject.Parse(File.ReadAllText(file));
        var name = (string?)table["experiment"]?["tags"] ?? Path.GetFileName(Path.GetDirectoryName(file));
        foreach (var row in (table["rows"] as JArray ?? []).OfType<JObject>())
        {
            var dir = (string?)row["point_dir"] ?? "";
            var recordFile = Path.Combine(dir, RunRecord.FileName);
            var record = File.Exists(recordFile) ? RunRecordWriter.Load(recordFile) : null;
            var parms = Json.ToMap(row["params"]);
            var label = string.Join(" ", parms.Select(kv => $"{kv.Key}={kv.Value}"));
            yield return FromFolder(dir, record, label.Length > 0 ? label : $"point {row["point_index"]}", name, parms, Json.ToMap(row["figures"]), (string?)row["status"]);
        }
    }

    private static ReportRun FromFolder(string folder, JObject? record, string? name, string? experiment,
        IReadOnlyDictionary<string, string>? parms = null, IReadOnlyDictionary<string, string>? figures = null, string? status = null)
    {
        var scenarios = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "mlperf_log_summary.txt", SearchOption.AllDirectories)
                // Performance runs only: not the accuracy run, find-performance's short runs or compliance tests' runs.
                .Where(f => f.Replace('\\', '/').Contains("/performance/run_", StringComparison.Ordinal) && !f.Replace('\\', '/').Contains("/TEST", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).Select(f => Scenario(folder, f)).ToList()
            : [];
        var figs = figures ?? Json.ToMap(record?["figures"]);
        var label = name ?? (record is not null ? $"{Path.GetFileName(folder.TrimEnd('/'))} ({record["id"]})" : Path.GetFileName(folder.TrimEnd('/')));
        return new ReportRun(label, folder, record, scenarios, figs, parms ?? new Dictionary<string, string>(), experiment);
    }

    private static ScenarioResult Scenario(string root, string summaryPath)
    {
        var s = SummaryParser.ParseFile(summaryPath);
        // <system>/<model>/<scenario>/performance/run_N/mlperf_log_summary.txt
        var parts = Path.GetRelativePath(root, summaryPath).Replace('\\', '/').Split('/');
        string Part(int fromEnd) => parts.Length >= fromEnd ? parts[^fromEnd] : "";
        var percentiles = Percents.Select(p => (p, s.PercentileLatencyNs(p))).Where(x => x.Item2 is not null).Select(x => (x.p, x.Item2!.Value)).ToList();
        return new ScenarioResult(Part(6), Part(5), s.Scenario ?? Part(4), s.Mode ?? "", s.IsValid,
            s.SamplesPerSecond ?? s.CompletedSamplesPerSecond ?? s.QpsWithoutLoadgenOverhead, percentiles, s.MeanLatencyNs, s.MinLatencyNs, s.MaxLatencyNs, summaryPath,
            Automation.Results.Headline.For(s.Scenario ?? Part(4), s));
    }
}
