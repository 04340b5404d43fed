using Automation.Dashboard.Security;
using Automation.LoadGen.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Results;

/// <summary>
/// What a run folder holds, found by file name: MLPerf summaries (parsed), accuracy logs, run records, reports,
/// RO-Crates, submission trees and sweep tables. Other tools write these; the dashboard only reads them.
/// </summary>
public static class ResultScanner
{
    private const int MaxFiles = 5000;

    public static IEnumerable<string> Files(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 12 }).Take(MaxFiles)
            : [];

    public static JObject Scan(string root)
    {
        var files = Files(root).Order(StringComparer.Ordinal).ToList();
        string Rel(string p) => SafePaths.Relative(root, p);
        var summaries = new JArray();
        foreach (var f in files.Where(f => Path.GetFileName(f) == "mlperf_log_summary.txt")) summaries.Add(Summary(f, Rel(f)));
        var accuracy = new JArray(files.Where(f => Path.GetFileName(f) == "accuracy.txt").Select(f => new JObject { ["path"] = Rel(f), ["text"] = Head(f, 2000) }));
        var folders = files.Select(Path.GetDirectoryName).Distinct().Select(d => d!).ToList();
        return new JObject
        {
            ["summaries"] = summaries,
            ["accuracy"] = accuracy,
            ["records"] = new JArray(files.Where(f => Path.GetFileName(f) == "cm-run-record.json").Select(Rel)),
            ["reports"] = new JArray(files.Where(f => f.EndsWith(".html", StringComparison.OrdinalIgnoreCase)).Select(Rel)),
            ["ro_crates"] = new JArray(files.Where(f => Path.GetFileName(f) == "ro-crate-metadata.json").Select(f => Rel(Path.GetDirectoryName(f)!))),
            ["submissions"] = new JArray(folders.SelectMany(d => Ancestors(root, d)).Where(d => Path.GetFileName(d).StartsWith("submission", StringComparison.OrdinalIgnoreCase)).Distinct().Select(Rel)),
            ["sweeps"] = new JArray(files.Where(f => Path.GetFileName(f) == "experiment.json").Select(Rel)),
            ["files"] = new JArray(files.Take(500).Select(f => new JObject { ["path"] = Rel(f), ["size"] = new FileInfo(f).Length })),
        };
    }

    public static JObject Summary(string file, string relative)
    {
        var o = new JObject { ["path"] = relative };
        try
        {
            var s = SummaryParser.ParseFile(file);
            o["scenario"] = s.Scenario;
            o["mode"] = s.Mode;
            o["valid"] = s.IsValid;
            o["samples_per_second"] = s.SamplesPerSecond;
            o["target_latency_ns"] = s.TargetPercentileLatencyNs;
            o["mean_latency_ns"] = s.MeanLatencyNs;
            o["results"] = Json.Map(s.Results);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            o["error"] = e.Message;
        }
        return o;
    }

    /// <summary>A sweep's experiment.json reduced to what the table and plot need.</summary>
    public static JObject? Sweep(string file)
    {
        try
        {
            var doc = JObject.Parse(File.ReadAllText(file));
            return new JObject
            {
                ["experiment"] = doc["experiment"],
                ["summary"] = doc["summary"],
                ["rows"] = new JArray((doc["rows"] as JArray ?? []).OfType<JObject>().Select(r => new JObject
                {
                    ["index"] = r["point_index"] ?? r["index"], ["status"] = r["status"], ["params"] = r["params"], ["figures"] = r["figures"], ["duration_s"] = r["duration_s"],
                })),
            };
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    private static IEnumerable<string> Ancestors(string root, string dir)
    {
        for (var d = dir; d is not null && SafePaths.IsInside(root, d) && d.Length > Path.GetFullPath(root).TrimEnd('/').Length; d = Path.GetDirectoryName(d)) yield return d;
    }

    private static string Head(string file, int chars)
    {
        using var reader = new StreamReader(file);
        var buffer = new char[chars];
        var n = reader.ReadBlock(buffer, 0, chars);
        return new string(buffer, 0, n);
    }
}
