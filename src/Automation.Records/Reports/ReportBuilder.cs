using System.Globalization;
using Automation.Records.Records;
using Automation.Records.Reports.Svg;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Reports;

/// <summary>A chart of the report: its file name (for the markdown), title and SVG text.</summary>
public sealed record ReportChart(string File, string Title, string Svg);

/// <summary>What a report shows: the model the templates render, and the charts.</summary>
public sealed record Report(JObject Model, IReadOnlyList<ReportChart> Charts);

/// <summary>
/// Turns runs into a report: a summary table, latency percentiles per scenario (one line per run), throughput per
/// run, and for sweeps the headline figure per point; plus each run's machine, versions and status.
/// </summary>
public static class ReportBuilder
{
    public static Report Build(IReadOnlyList<ReportRun> runs, string title)
    {
        var charts = new List<ReportChart>();
        void Chart(string title, string svg) => charts.Add(new ReportChart($"cm-report-{charts.Count + 1}.svg", title, svg));

        foreach (var group in runs.SelectMany(r => r.Scenarios.Select(s => (Run: r, S: s))).Where(x => x.S.Percentiles.Count > 0).GroupBy(x => x.S.Scenario))
        {
            var labels = ReportSources.Percents.Select(p => "p" + p.ToString("0.#", CultureInfo.InvariantCulture)).ToList();
            var series = group.Select(x => new Series(x.Run.Name, ReportSources.Percents
                .Select(p => x.S.Percentiles.Where(q => q.Percent == p).Select(q => (double?)q.Ns / 1e6).FirstOrDefault()).ToList())).ToList();
            Chart($"{group.Key}: latency percentiles", SvgChart.Lines($"{group.Key}: latency percentiles", labels, series, "latency (ms)"));
        }
        var throughput = runs.SelectMany(r => r.Scenarios.Where(s => s.Throughput is not null).Select(s => (Label: Label(runs, r, s), Value: s.Throughput!.Value))).ToList();
        if (throughput.Count > 0)
            Chart("Throughput per run", SvgChart.Bars("Throughput per run", throughput.Select(t => t.Label).ToList(), throughput.Select(t => t.Value).ToList(), "samples/s"));
        foreach (var sweep in runs.Where(r => r.Experiment is not null).GroupBy(r => r.Experiment!))
            foreach (var key in new[] { "CM_MLPERF_RESULT_VALUE", "CM_MLPERF_ACCURACY" })
            {
                var points = sweep.Select(r => (r.Name, Value: Json.Number(r.Figures.GetValueOrDefault(key)))).Where(p => p.Value is not null).ToList();
                if (points.Count == 0) continue;
                var metric = sweep.Select(r => r.Figures.GetValueOrDefault("CM_MLPERF_RESULT_METRIC")).FirstOrDefault(m => m is not null);
                var what = key == "CM_MLPERF_ACCURACY" ? "accuracy (%)" : metric ?? key;
                Chart($"Sweep {sweep.Key}: {what}", SvgChart.Bars($"Sweep {sweep.Key}: {what}", points.Select(p => p.Name).ToList(), points.Select(p => p.Value!.Value).ToList(), what));
            }

        var model = new JObject
        {
            ["title"] = title,
            ["generated_utc"] = Json.Utc(DateTimeOffset.UtcNow),
            ["run_count"] = runs.Count,
            ["rows"] = new JArray(runs.SelectMany(Rows)),
            ["runs"] = new JArray(runs.Select(RunDetails)),
            ["charts"] = new JArray(charts.Select(c => new JObject { ["file"] = c.File, ["title"] = c.Title, ["svg"] = c.Svg })),
        };
        return new Report(model, charts);
    }

    private static string Label(IReadOnlyList<ReportRun> runs, ReportRun run, ScenarioResult s) =>
        runs.SelectMany(r => r.Scenarios).Select(x => x.Scenario).Distinct().Count() > 1 ? $"{run.Name} {s.Scenario}" : run.Name;

    private static IEnumerable<JObject> Rows(ReportRun run)
    {
        string Fig(string key) => run.Figures.GetValueOrDefault(key) ?? "";
        if (run.Scenarios.Count == 0)
            yield return new JObject
            {
                ["run"] = run.Name, ["scenario"] = Fig("CM_MLPERF_LOADGEN_SCENARIO"), ["metric"] = Fig("CM_MLPERF_RESULT_METRIC"), ["value"] = Fig("CM_MLPERF_RESULT_VALUE"),
                ["validity"] = Fig("CM_MLPERF_RESULT_VALIDITY"), ["accuracy"] = Fig("CM_MLPERF_ACCURACY"), ["p90_ms"] = "", ["p99_ms"] = "",
                ["status"] = (string?)run.Record?["status"] ?? "",
            };
        foreach (var s in run.Scenarios)
            yield return new JObject
            {
                ["run"] = run.Name, ["scenario"] = s.Scenario, ["metric"] = "samples/s", ["value"] = s.Throughput is { } t ? Json.Format(t) : "",
                ["validity"] = s.Valid switch { true => "VALID", false => "INVALID", null => "" }, ["accuracy"] = Fig("CM_MLPERF_ACCURACY"),
                ["p90_ms"] = Ms(s, 90), ["p99_ms"] = Ms(s, 99), ["status"] = (string?)run.Record?["status"] ?? "",
            };
    }

    private static string Ms(ScenarioResult s, double p) =>
        s.Percentiles.Where(q => q.Percent == p).Select(q => (q.Ns / 1e6).ToString("0.###", CultureInfo.InvariantCulture)).FirstOrDefault() ?? "";

    private static JObject RunDetails(ReportRun run)
    {
        var record = run.Record;
        var host = Json.ToMap(record?["machine"]?["host_env"]);
        return new JObject
        {
            ["name"] = run.Name,
            ["folder"] = run.Folder,
            ["id"] = (string?)record?["id"] ?? "",
            ["status"] = (string?)record?["status"] ?? "",
            ["started"] = (string?)record?["started_utc"] ?? "",
            ["seconds"] = record?["seconds"]?.ToString() ?? "",
            ["command"] = string.Join(' ', (record?["command"]?["argv"] as JArray ?? []).Select(a => a.ToString())),
            ["cpu"] = host.GetValueOrDefault("CM_HOST_CPU_MODEL_NAME") ?? "",
            ["os"] = host.GetValueOrDefault("CM_HOST_OS_NAME") ?? (string?)record?["machine"]?["os_description"] ?? "",
            ["versions"] = new JArray(((record?["plan"] as JObject)?["nodes"] as JArray ?? []).OfType<JObject>()
                .Where(n => n["version"] is { Type: JTokenType.String }).Select(n => $"{n["script"]} {n["version"]}")),
            ["params"] = string.Join(", ", run.Params.Select(kv => $"{kv.Key}={kv.Value}")),
        };
    }
}
