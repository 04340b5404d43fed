using System.Globalization;
using Automation.Records.Records;
using Automation.Results;
using Automation.Records.Reports.Svg;
using Automation.Results.Exploration;
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

        foreach (var group in runs.SelectMany(r => r.Scenarios.Select(s => (Run: r, S: s))).Where(x => x.S.Latencies is { Percentiles.Count: > 0 }).GroupBy(x => x.S.Scenario))
        {
            var labels = LatencyFigures.Percents.Select(p => "p" + p.ToString("0.#", CultureInfo.InvariantCulture)).ToList();
            var series = group.Select(x => new Series(x.Run.Name, LatencyFigures.Percents.Select(p => x.S.Latencies!.At(p)).ToList())).ToList();
            Chart($"{group.Key}: latency percentiles", SvgChart.Lines($"{group.Key}: latency percentiles", labels, series, "latency (ms)"));
        }
        // One chart per scenario, in its own headline unit: Offline samples/s and SingleStream p90 ms never share an axis.
        foreach (var group in runs.SelectMany(r => r.Scenarios.Where(s => s.Headline is not null).Select(s => (Run: r, S: s))).GroupBy(x => x.S.Scenario))
        {
            var headline = group.First().S.Headline!;
            var chartTitle = $"{group.Key}: {headline.Name} per run ({(headline.HigherIsBetter ? "higher" : "lower")} is better)";
            Chart(chartTitle, SvgChart.Bars(chartTitle, group.Select(x => x.Run.Name).ToList(), group.Select(x => x.S.Headline!.Value).ToList(), $"{headline.Name} ({headline.Unit})"));
        }
        // Throughput against tail latency, per scenario that has both, with the runs no other run beats on both.
        foreach (var group in runs.SelectMany(r => r.Scenarios.Where(s => s.Throughput is not null && s.Latencies?.At(99) is not null).Select(s => (Run: r, S: s))).GroupBy(x => x.S.Scenario).Where(g => g.Count() >= 2))
        {
            var points = group.Select(x => new ExplorePoint(x.Run.Name, x.Run.Params, new Dictionary<string, double>
            {
                ["throughput"] = x.S.Throughput!.Value, ["latency_p99"] = x.S.Latencies!.At(99)!.Value,
            })).ToList();
            Chart($"{group.Key}: throughput vs p99 latency", Scatter($"{group.Key}: throughput vs p99 latency", points, [new("latency_p99", false), new("throughput", true)], "p99 latency (ms)", "throughput (samples/s)"));
        }
        var accuracyPoints = runs.Select(r => (Run: r, M: Metrics.From(r.Figures)))
            .Select(x => (x.Run, Throughput: x.M.GetValueOrDefault("throughput", x.Run.Scenarios.FirstOrDefault(s => s.Throughput is not null)?.Throughput ?? double.NaN), Accuracy: x.M.GetValueOrDefault("accuracy", double.NaN)))
            .Where(x => double.IsFinite(x.Throughput) && double.IsFinite(x.Accuracy)).ToList();
        if (accuracyPoints.Count >= 2)
        {
            var points = accuracyPoints.Select(x => new ExplorePoint(x.Run.Name, x.Run.Params, new Dictionary<string, double> { ["throughput"] = x.Throughput, ["accuracy"] = x.Accuracy })).ToList();
            Chart("Performance vs accuracy (Pareto front in red)", Scatter("Performance vs accuracy (Pareto front in red)", points, [new("throughput", true), new("accuracy", true)], "throughput (samples/s)", "accuracy (%)"));
        }
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

    /// <summary>A scatter of two metrics (x = the first axis, y = the second) with the points' Pareto front over both.</summary>
    public static string Scatter(string title, IReadOnlyList<ExplorePoint> points, IReadOnlyList<ParetoAxis> axes, string xTitle, string yTitle)
    {
        var front = ParetoFront.Of(points, axes).ToHashSet();
        return SvgChart.Scatter(title, points.Select(p => new ScatterPoint(p.Label, p.Metrics[axes[0].Metric], p.Metrics[axes[1].Metric], front.Contains(p))).ToList(), xTitle, yTitle);
    }

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
                ["run"] = run.Name, ["scenario"] = s.Scenario,
                ["metric"] = s.Headline is { } h ? $"{h.Name} ({h.Unit})" : "samples/s",
                ["value"] = s.Headline is { } hv ? Json.Format(hv.Value) : s.Throughput is { } t ? Json.Format(t) : "",
                ["validity"] = s.Valid switch { true => "VALID", false => "INVALID", null => "" },
                ["accuracy"] = Fig("CM_MLPERF_ACCURACY") is { Length: > 0 } recorded ? recorded : s.Accuracy is { } a ? Json.Format(a.Value) : "",
                ["p90_ms"] = Ms(s, 90), ["p99_ms"] = Ms(s, 99), ["status"] = (string?)run.Record?["status"] ?? "",
            };
    }

    private static string Ms(MlperfResult s, double p) => s.Latencies?.At(p)?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";

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
