using System.Globalization;
using Automation.Dashboard.Catalog;
using Automation.Records.Reports;
using Automation.Records.Reports.Svg;
using Automation.Results;
using Automation.Results.Exploration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Api;

/// <summary>
/// /api/results, /api/compare, /api/sweep and the SVG plots: a figure across runs, a sweep's figure over an axis,
/// overlaid latency distributions, and performance vs accuracy with its Pareto front. The charts are the report's
/// (Automation.Records.Reports), so `cm report` and the dashboard draw the same pictures.
/// </summary>
public sealed class ResultsApi(DashboardOptions options, RunIndex index)
{
    private const int MaxCompared = 8;
    private const int MaxPlotted = 300;
    private readonly RunView view = new(options);

    public void Map(WebApplication app)
    {
        app.MapGet("/api/results", (RequestDelegate)Overview);
        app.MapGet("/api/compare", (RequestDelegate)Compare);
        app.MapGet("/api/sweep", (RequestDelegate)Sweep);
        app.MapGet("/api/plot/runs.svg", (RequestDelegate)RunsPlot);
        app.MapGet("/api/plot/sweep.svg", (RequestDelegate)SweepPlot);
        app.MapGet("/api/plot/latency.svg", (RequestDelegate)LatencyPlot);
        app.MapGet("/api/plot/pareto.svg", (RequestDelegate)ParetoPlot);
    }

    private Task Overview(HttpContext ctx)
    {
        var rows = new JArray();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var entries = index.All();
        foreach (var e in entries)
        {
            var row = view.Summary(e);
            var figures = Numeric(e.Figures);
            row["figures"] = figures;
            foreach (var p in figures.Properties()) keys.Add(p.Name);
            rows.Add(row);
        }
        var sweeps = entries.Where(e => e.Sweep is not null).GroupBy(e => e.Sweep!.Id).Select(g => new JObject
        {
            ["id"] = g.Key, ["name"] = g.First().Sweep!.Name, ["table"] = g.First().Sweep!.Table, ["points"] = g.Count(),
        });
        return Json.Write(ctx, new JObject { ["runs"] = rows, ["figure_keys"] = new JArray(keys), ["sweeps"] = new JArray(sweeps) });
    }

    /// <summary>2 to 8 runs side by side (<see cref="RunView.Compare"/>).</summary>
    private Task Compare(HttpContext ctx)
    {
        var chosen = Chosen(ctx, MaxCompared);
        if (chosen.Count == 0) return Json.Error(ctx, 400, $"give ?ids=RUN1,RUN2,... (up to {MaxCompared} known run ids)");
        return Json.Write(ctx, view.Compare(chosen));
    }

    private Task Sweep(HttpContext ctx) =>
        FindSweep(ctx) is { } table ? Json.Write(ctx, table.ToJson()) : Json.Error(ctx, 404, "no such sweep table");

    private Task RunsPlot(HttpContext ctx)
    {
        var figure = ctx.Request.Query["figure"].ToString();
        var chosen = Chosen(ctx, MaxPlotted);
        if (chosen.Count == 0) chosen = index.All().Where(e => e.Status == "succeeded").Take(20).Reverse().ToList();
        var bars = chosen.Select(e => (Label: Label(e), Value: Number(e.Figures.GetValueOrDefault(figure)))).Where(b => b.Value is not null).ToList();
        var title = figure.Length == 0 ? "pick a figure" : $"{figure} per run";
        return Svg(ctx, SvgChart.Bars(title, bars.Select(b => b.Label).ToList(), bars.Select(b => b.Value!.Value).ToList(), figure));
    }

    /// <summary>A figure over one axis of a sweep (the first by default), one line per combination of the other axes.</summary>
    private Task SweepPlot(HttpContext ctx)
    {
        if (FindSweep(ctx) is not { } table) return Json.Error(ctx, 404, "no such sweep table");
        var figure = ctx.Request.Query["figure"].ToString();
        var axes = table.Rows.SelectMany(r => r.Params.Keys).Distinct(StringComparer.Ordinal).ToList();
        var x = ctx.Request.Query["axis"].ToString() is { Length: > 0 } a && axes.Contains(a) ? a : axes.FirstOrDefault() ?? "point";
        var rows = table.Rows.Where(r => Number(r.Figures.GetValueOrDefault(figure)) is not null).ToList();
        string XOf(SweepRow r) => r.Params.GetValueOrDefault(x) ?? r.Index.ToString(CultureInfo.InvariantCulture);
        var xs = rows.Select(XOf).Distinct(StringComparer.Ordinal)
            .OrderBy(v => Number(v) ?? double.MaxValue).ThenBy(v => v, StringComparer.Ordinal).ToList();
        var series = rows.GroupBy(r => string.Join(" ", axes.Where(n => n != x).Select(n => $"{n}={r.Params.GetValueOrDefault(n)}")))
            .Select(g => new Series(g.Key.Length == 0 ? figure : g.Key, xs.Select(v => g.Where(r => XOf(r) == v).Select(r => Number(r.Figures[figure])).FirstOrDefault()).ToList()))
            .ToList();
        return Svg(ctx, SvgChart.Lines($"Sweep {table.Name}: {figure} over {x}", xs, series, figure));
    }

    /// <summary>The runs' latency percentiles (ms) overlaid, one line per run with a performance run.</summary>
    private Task LatencyPlot(HttpContext ctx)
    {
        var chosen = Chosen(ctx, MaxPlotted);
        var labels = LatencyFigures.Percents.Select(p => "p" + p.ToString("0.#", CultureInfo.InvariantCulture)).ToList();
        var series = chosen.Select(e => (e, l: e.Results.FirstOrDefault(r => r.Latencies is not null)?.Latencies))
            .Where(x => x.l is not null)
            .Select(x => new Series(Label(x.e), LatencyFigures.Percents.Select(p => x.l!.At(p)).ToList())).ToList();
        return Svg(ctx, SvgChart.Lines("Latency distribution (percentiles of the performance run)", labels, series, "latency (ms)"));
    }

    /// <summary>Two metrics of the runs (default throughput against accuracy) with the runs no other beats on both in red.</summary>
    private Task ParetoPlot(HttpContext ctx)
    {
        var chosen = Chosen(ctx, MaxPlotted);
        if (chosen.Count == 0) chosen = index.All().Take(MaxPlotted).ToList();
        var x = Metric(ctx.Request.Query["x"].ToString(), "throughput");
        var y = Metric(ctx.Request.Query["y"].ToString(), "accuracy");
        var points = chosen.Select(e => new ExplorePoint(Label(e), e.Labels, e.Metrics))
            .Where(p => p.Metrics.ContainsKey(x) && p.Metrics.ContainsKey(y)).ToList();
        return Svg(ctx, ReportBuilder.Scatter($"{Metrics.Title(x)} vs {Metrics.Title(y)} (Pareto front in red)", points,
            [new ParetoAxis(x, Metrics.HigherIsBetter(x)), new ParetoAxis(y, Metrics.HigherIsBetter(y))], Metrics.Title(x), Metrics.Title(y)));
    }

    private static string Metric(string asked, string fallback) =>
        asked.Length is > 0 and <= 64 && asked.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.') ? asked : fallback;

    /// <summary>A short name for a run in a legend: a sweep point's parameters, else the time of its id and its script.</summary>
    private static string Label(RunEntry e) =>
        e.Sweep is { } s ? $"#{s.Index} {string.Join(" ", s.Params.Select(kv => $"{kv.Key}={kv.Value}"))}"
        : e.Id.Length >= 15 && char.IsAsciiDigit(e.Id[0]) ? $"{e.Id[9..15]} {e.Script}" : $"{e.Script} ({e.Id})";

    private SweepTable? FindSweep(HttpContext ctx)
    {
        var id = ctx.Request.Query["id"].ToString();
        return index.All().FirstOrDefault(e => e.Sweep?.Id == id)?.Sweep is { } s ? SweepTable.TryRead(s.Table) : null;
    }

    private List<RunEntry> Chosen(HttpContext ctx, int max)
    {
        var all = index.All();
        return ctx.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(max)
            .Select(id => all.FirstOrDefault(e => e.Id == id)).OfType<RunEntry>().ToList();
    }

    private static JObject Numeric(IReadOnlyDictionary<string, string> figures)
    {
        var o = new JObject();
        foreach (var (k, v) in figures) if (Number(v) is { } n) o[k] = n;
        return o;
    }

    internal static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static Task Svg(HttpContext ctx, string svg)
    {
        ctx.Response.ContentType = "image/svg+xml; charset=utf-8";
        return ctx.Response.WriteAsync(svg);
    }
}
