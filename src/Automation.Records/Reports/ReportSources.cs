using Automation.Core.Errors;
using Automation.Records.Records;
using Automation.Results;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Reports;

/// <summary>One run in a report: a results folder with its record (when it has one), or a sweep point; its scenarios
/// with a performance run, as <see cref="ResultsReader"/> (the one reader of the results layout) reads them.</summary>
public sealed record ReportRun(string Name, string Folder, JObject? Record, IReadOnlyList<MlperfResult> Scenarios,
    IReadOnlyDictionary<string, string> Figures, IReadOnlyDictionary<string, string> Params, string? Experiment);

/// <summary>Reads what `cm report` is given: results folders, run records, or a sweep's experiment.json.</summary>
public static class ReportSources
{
    /// <param name="targets">The accuracy targets of official benchmarks (the MLPerf rules), for the accuracy column.</param>
    public static IReadOnlyList<ReportRun> Load(IEnumerable<string> paths, AccuracyTargets? targets = null)
    {
        var runs = LoadAll(paths, targets);
        if (runs.Count == 0 || runs.All(r => r.Scenarios.Count == 0 && r.Figures.Count == 0))
            throw new AutomationException("found no LoadGen results (mlperf_log_summary.txt) or recorded figures in the given paths", fix: "Pass the --results_dir of a `cm run script` MLPerf run, its cm-run-record.json, or a sweep's experiment.json.");
        return runs;
    }

    private static List<ReportRun> LoadAll(IEnumerable<string> paths, AccuracyTargets? targets)
    {
        var runs = new List<ReportRun>();
        foreach (var path in paths.Select(p => Path.GetFullPath(p)))
        {
            if (File.Exists(path) && Path.GetFileName(path) == "experiment.json") runs.AddRange(Experiment(path, targets));
            else if (File.Exists(path)) { var rec = RunRecordWriter.Load(path); runs.Add(FromFolder((string?)rec["results_dir"] ?? Path.GetDirectoryName(path)!, rec, null, null, targets)); }
            else if (Directory.Exists(path) && File.Exists(Path.Combine(path, "experiment.json"))) runs.AddRange(Experiment(Path.Combine(path, "experiment.json"), targets));
            else if (Directory.Exists(path)) runs.Add(FromFolder(path, File.Exists(Path.Combine(path, RunRecord.FileName)) ? RunRecordWriter.Load(path) : null, null, null, targets));
            else throw new AutomationException($"'{path}' does not exist", path, fix: "Pass results folders, cm-run-record.json files, or a sweep's experiment.json.");
        }
        return runs;
    }

    private static IEnumerable<ReportRun> Experiment(string file, AccuracyTargets? targets)
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
            yield return FromFolder(dir, record, label.Length > 0 ? label : $"point {row["point_index"]}", name, targets, parms, Json.ToMap(row["figures"]));
        }
    }

    private static ReportRun FromFolder(string folder, JObject? record, string? name, string? experiment, AccuracyTargets? targets,
        IReadOnlyDictionary<string, string>? parms = null, IReadOnlyDictionary<string, string>? figures = null)
    {
        // Performance runs only: accuracy-only folders have no figure to chart; find-performance's short runs and the
        // compliance tests' runs are not results of their own (ResultsReader leaves them out).
        var scenarios = Directory.Exists(folder) ? ResultsReader.Read([folder], targets).Where(r => r.HasPerformance).ToList() : [];
        var figs = figures ?? Json.ToMap(record?["figures"]);
        var label = name ?? (record is not null ? $"{Path.GetFileName(folder.TrimEnd('/'))} ({record["id"]})" : Path.GetFileName(folder.TrimEnd('/')));
        return new ReportRun(label, folder, record, scenarios, figs, parms ?? new Dictionary<string, string>(), experiment);
    }
}
