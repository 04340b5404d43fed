using System.Globalization;
using System.Text.RegularExpressions;
using Automation.Core.Errors;
using Automation.LoadGen.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Results;

/// <summary>The accuracy target of an official benchmark (e.g. resnet: top-1 75.695), known to the MLPerf rules, not to the layout.</summary>
public delegate (string Metric, double Target)? AccuracyTargets(string benchmark);

/// <summary>
/// Reads MLPerf results folders and submission trees (docs/submission.md §1, §2) into <see cref="MlperfResult"/>s:
/// every `&lt;system&gt;/&lt;model&gt;/&lt;scenario&gt;` folder with a performance or accuracy run below the given paths.
/// Find-performance's short runs and the compliance tests' own runs are not results of their own.
/// </summary>
public static partial class ResultsReader
{
    public static readonly string[] Scenarios = ["Offline", "Server", "SingleStream", "MultiStream"];
    private const int MaxDepth = 10;

    public static IReadOnlyList<MlperfResult> Read(IEnumerable<string> paths, AccuracyTargets? targets = null)
    {
        var results = new List<MlperfResult>();
        foreach (var path in paths.Select(Path.GetFullPath))
        {
            if (!Directory.Exists(path))
                throw new AutomationException($"'{path}' is not a folder", path, fix: "Pass a results folder (--results_dir of an MLPerf run) or a submission tree.");
            results.AddRange(ScenarioFolders(path).Select(f => Read(f, targets)));
        }
        return results.DistinctBy(r => r.Folder).OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => Array.IndexOf(Scenarios, r.Scenario)).ThenBy(r => r.System, StringComparer.Ordinal).ToList();
    }

    public static IEnumerable<string> ScenarioFolders(string root)
    {
        if (IsScenarioFolder(root)) return [root];
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateDirectories(root, "*", options).Where(IsScenarioFolder).Order(StringComparer.Ordinal);
    }

    private static bool IsScenarioFolder(string dir) =>
        Scenarios.Contains(Path.GetFileName(dir)) && !dir.Replace('\\', '/').Contains("/TEST", StringComparison.Ordinal)
        && (File.Exists(Path.Combine(dir, "performance", "run_1", "mlperf_log_summary.txt")) || File.Exists(Path.Combine(dir, "accuracy", "mlperf_log_summary.txt")));

    public static MlperfResult Read(string scenarioDir, AccuracyTargets? targets = null)
    {
        var modelDir = Path.GetDirectoryName(scenarioDir)!;
        var systemDir = Path.GetDirectoryName(modelDir)!;
        var model = Path.GetFileName(modelDir);
        var (division, submitter, mapping) = SubmissionContext(systemDir);
        var mlperfModel = mapping?.GetValueOrDefault(model) ?? RunInfoModel(scenarioDir) ?? model;
        var perfSummary = Path.Combine(scenarioDir, "performance", "run_1", "mlperf_log_summary.txt");
        var result = new MlperfResult
        {
            Folder = scenarioDir,
            System = Path.GetFileName(systemDir),
            Model = model,
            Scenario = Path.GetFileName(scenarioDir),
            MlperfModel = mlperfModel,
            Division = division,
            Submitter = submitter,
            HasAccuracy = File.Exists(Path.Combine(scenarioDir, "accuracy", "mlperf_log_summary.txt")),
            Accuracy = Accuracy(Path.Combine(scenarioDir, "accuracy", "accuracy.txt"), targets?.Invoke(mlperfModel)),
            Compliance = Compliance(scenarioDir),
        };
        if (!File.Exists(perfSummary)) return result;
        var text = File.ReadAllText(perfSummary);
        var s = SummaryParser.Parse(text);
        return result with
        {
            HasPerformance = true,
            PerformanceSummary = perfSummary,
            Valid = s.IsValid,
            InvalidReason = s.IsValid == false ? InvalidReason(text) : null,
            Headline = Headline.For(result.Scenario, s),
            Throughput = s.SamplesPerSecond ?? s.CompletedSamplesPerSecond ?? s.QpsWithoutLoadgenOverhead,
            Latencies = Latencies(s),
            Settings = Settings(scenarioDir, result.Scenario, s),
        };
    }

    private static LatencyFigures? Latencies(SummaryFigures s)
    {
        var percentiles = LatencyFigures.Percents.Select(p => (p, Ns: s.PercentileLatencyNs(p))).Where(x => x.Ns is not null)
            .Select(x => new LatencyPercentile(x.p, x.Ns!.Value / 1e6)).ToList();
        return percentiles.Count == 0 && s.MeanLatencyNs is null ? null : new LatencyFigures(percentiles, s.MeanLatencyNs / 1e6, s.MinLatencyNs / 1e6, s.MaxLatencyNs / 1e6);
    }

    /// <summary>How the performance run was set up: its cm-run-info.json, and the target and duration LoadGen used.</summary>
    private static Dictionary<string, string> Settings(string scenarioDir, string scenario, SummaryFigures s)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var info = Path.Combine(scenarioDir, "performance", "run_1", "cm-run-info.json");
        if (File.Exists(info))
        {
            try
            {
                var o = JObject.Parse(File.ReadAllText(info));
                foreach (var key in new[] { "framework", "framework_version", "device", "loadgen_engine" })
                    if ((string?)o[key] is { Length: > 0 } v) settings[key] = v;
            }
            catch (JsonException) { } // a torn run info only loses the labels
        }
        string? Parameter(string name) => s.TestParameters.TryGetValue(name, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? v : null;
        if (scenario is "Offline" or "Server" && Parameter("target_qps") is { } qps) settings["target_qps"] = qps;
        if (scenario is "SingleStream" or "MultiStream" && Parameter("target_latency (ns)") is { } ns)
            settings["target_latency_ms"] = (double.Parse(ns, CultureInfo.InvariantCulture) / 1e6).ToString("0.###", CultureInfo.InvariantCulture);
        if (Parameter("min_duration (ms)") is { } min) settings["min_duration_ms"] = min;
        if (Parameter("performance_sample_count") is { } psc) settings["performance_sample_count"] = psc;
        return settings;
    }

    /// <summary>The unmet rules ("Min duration satisfied : NO") and LoadGen's recommendations, in one line.</summary>
    public static string InvalidReason(string summaryText)
    {
        var lines = summaryText.Split('\n').Select(l => l.Trim()).ToList();
        var unmet = lines.Where(l => l.Contains("satisfied", StringComparison.Ordinal) && l.EndsWith("NO", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(" satisfied", StringComparison.Ordinal)].Trim().ToLowerInvariant() + " not met");
        var at = lines.IndexOf("Recommendations:");
        var advice = at < 0 ? [] : lines.Skip(at + 1).TakeWhile(l => l.StartsWith('*')).Select(l => l.TrimStart('*', ' '));
        var reason = string.Join("; ", unmet.Concat(advice));
        return reason.Length > 0 ? reason : "LoadGen says INVALID (see mlperf_log_summary.txt)";
    }

    private static AccuracyFigure? Accuracy(string file, (string Metric, double Target)? target)
    {
        if (!File.Exists(file)) return null;
        foreach (Match m in MetricValue().Matches(File.ReadAllText(file)))
        {
            var name = m.Groups[1].Value;
            if (name is "good" or "total" or "hash" or "submitted_log_sha256") continue;
            if (!double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            return new AccuracyFigure(name, value, target?.Target);
        }
        return null;
    }

    /// <summary>TEST01, TEST04, ...: passed when every verify_*.txt says "TEST PASS".</summary>
    private static IReadOnlyList<ComplianceVerdict> Compliance(string scenarioDir)
    {
        var verdicts = new List<ComplianceVerdict>();
        foreach (var dir in new[] { scenarioDir, Path.Combine(scenarioDir, "compliance") }.Where(Directory.Exists)
                     .SelectMany(d => Directory.EnumerateDirectories(d, "TEST*")).Order(StringComparer.Ordinal))
        {
            var files = Directory.EnumerateFiles(dir, "verify_*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) continue;
            var passed = files.All(f => File.ReadAllText(f).Contains("TEST PASS", StringComparison.Ordinal));
            verdicts.Add(new ComplianceVerdict(Path.GetFileName(dir), passed, files));
        }
        return verdicts.DistinctBy(v => v.Test).ToList();
    }

    /// <summary>In a submission tree (`&lt;division&gt;/&lt;submitter&gt;/results/&lt;system&gt;`): the division, submitter and model_mapping.json.</summary>
    private static (string? Division, string? Submitter, IReadOnlyDictionary<string, string>? Mapping) SubmissionContext(string systemDir)
    {
        var resultsDir = Path.GetDirectoryName(systemDir);
        if (resultsDir is null || Path.GetFileName(resultsDir) != "results") return (null, null, null);
        var submitterDir = Path.GetDirectoryName(resultsDir)!;
        var division = Path.GetFileName(Path.GetDirectoryName(submitterDir));
        if (division is not ("open" or "closed" or "network")) return (null, null, null);
        Dictionary<string, string>? mapping = null;
        var mappingFile = Path.Combine(submitterDir, "model_mapping.json");
        if (File.Exists(mappingFile))
        {
            try { mapping = JObject.Parse(File.ReadAllText(mappingFile)).Properties().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal); }
            catch (JsonException) { mapping = null; }
        }
        return (division, Path.GetFileName(submitterDir), mapping);
    }

    private static string? RunInfoModel(string scenarioDir)
    {
        foreach (var file in new[] { Path.Combine(scenarioDir, "performance", "run_1", "cm-run-info.json"), Path.Combine(scenarioDir, "accuracy", "cm-run-info.json") })
        {
            if (!File.Exists(file)) continue;
            try { if ((string?)JObject.Parse(File.ReadAllText(file))["mlperf_model"] is { Length: > 0 } m) return m; }
            catch (JsonException) { }
        }
        return null;
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex MetricValue();
}
