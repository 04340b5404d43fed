using System.Globalization;
using Automation.Dashboard.Results;
using Automation.Dashboard.Runs;
using Automation.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Api;

/// <summary>/api/results, /api/compare and the SVG plots of runs and sweeps.</summary>
public sealed class ResultsApi(RunManager runs)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/api/results", (RequestDelegate)Overview);
        app.MapGet("/api/compare", (RequestDelegate)Compare);
        app.MapGet("/api/plot/runs.svg", (RequestDelegate)RunsPlot);
        app.MapGet("/api/plot/sweep.svg", (RequestDelegate)SweepPlot);
        app.MapGet("/api/sweep", (RequestDelegate)Sweep);
    }

    private Task Overview(HttpContext ctx)
    {
        var rows = new JArray();
        var sweeps = new JArray();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var run in runs.All)
        {
            var record = run.Snapshot();
            var scan = ResultScanner.Scan(run.Dir);
            var row = RunsApi.Brief(record);
            row["figures"] = Numeric(record["figures"] as JObject);
            row["summaries"] = scan["summaries"];
            foreach (var p in ((JObject)row["figures"]!).Properties()) keys.Add(p.Name);
            rows.Add(row);
            foreach (var s in scan["sweeps"]!) sweeps.Add(new JObject { ["run"] = run.Id, ["path"] = s });
        }
        return Json.Write(ctx, new JObject { ["runs"] = rows, ["figure_keys"] = new JArray(keys), ["sweeps"] = sweeps });
    }

    /// <summary>Side by side: every figure of any of the runs, one column per run (missing ones null).</summary>
    private Task Compare(HttpContext ctx)
    {
        var chosen = Chosen(ctx);
        if (chosen.Count == 0) return Json.Error(ctx, 400, "give ?ids=RUN1,RUN2,... (known run ids)");
        var records = chosen.Select(r => r.Snapshot()).ToList();
        var keys = records.SelectMany(r => (r["figures"] as JObject ?? []).Properties().Select(p => p.Name)).Distinct().Order(StringComparer.Ordinal);
        var figures = new JObject();
        foreach (var k in keys) figures[k] = new JArray(records.Select(r => r["figures"]?[k]));
        var settings = new JObject();
        foreach (var name in new[] { "script", "variations", "env", "inputs", "status", "duration_s" })
            settings[name] = new JArray(records.Select(r => r[name]?.ToString(Newtonsoft.Json.Formatting.None)));
        return Json.Write(ctx, new JObject { ["ids"] = new JArray(chosen.Select(r => r.Id)), ["settings"] = settings, ["figures"] = figures });
    }

    private Task RunsPlot(HttpContext ctx)
    {
        var figure = ctx.Request.Query["figure"].ToString();
        var chosen = Chosen(ctx);
        if (chosen.Count == 0) chosen = runs.All.Where(r => r.Status == "succeeded").Take(20).Reverse().ToList();
        var bars = new List<(string, double)>();
        foreach (var r in chosen)
            if (Number(r.Snapshot()["figures"]?[figure]) is { } v) bars.Add(($"{r.Id[9..15]} {r.Snapshot()["script"]}", v));
        return Svg(ctx, SvgPlot.Bars(figure.Length == 0 ? "pick a figure" : figure, figure, bars));
    }

    private Task Sweep(HttpContext ctx) =>
        FindSweep(ctx) is { } sweep ? Json.Write(ctx, sweep) : Json.Error(ctx, 404, "no such sweep table");

    /// <summary>A figure over the first axis, one line per combination of the other axes.</summary>
    private Task SweepPlot(HttpContext ctx)
    {
        if (FindSweep(ctx) is not { } sweep) return Json.Error(ctx, 404, "no such sweep table");
        var figure = ctx.Request.Query["figure"].ToString();
        var rows = (sweep["rows"] as JArray ?? []).OfType<JObject>().ToList();
        var axes = rows.SelectMany(r => (r["params"] as JObject ?? []).Properties().Select(p => p.Name)).Distinct().ToList();
        var x = ctx.Request.Query["axis"].ToString() is { Length: > 0 } a && axes.Contains(a) ? a : axes.FirstOrDefault() ?? "point";
        var series = rows
            .Where(r => Number(r["figures"]?[figure]) is not null)
            .GroupBy(r => string.Join(" ", axes.Where(n => n != x).Select(n => $"{n}={r["params"]?[n]}")))
            .Select(g => (Name: g.Key.Length == 0 ? figure : g.Key, Points: (IReadOnlyList<(string, double)>)g.Select(r => (r["params"]?[x]?.ToString() ?? r["index"]?.ToString() ?? "", Number(r["figures"]?[figure])!.Value)).ToList()))
            .ToList();
        return Svg(ctx, SvgPlot.Lines(figure, x, figure, series));
    }

    private JObject? FindSweep(HttpContext ctx)
    {
        if (runs.Get(ctx.Request.Query["run"]) is not { } run) return null;
        var path = ctx.Request.Query["path"].ToString();
        if (!path.EndsWith("experiment.json", StringComparison.Ordinal) || SafePaths.Resolve(run.Dir, path) is not { } full || !File.Exists(full)) return null;
        return ResultScanner.Sweep(full);
    }

    private List<DashboardRun> Chosen(HttpContext ctx) =>
        ctx.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Take(20).Select(runs.Get).OfType<DashboardRun>().ToList();

    private static JObject Numeric(JObject? figures)
    {
        var o = new JObject();
        foreach (var p in (figures ?? []).Properties()) if (Number(p.Value) is { } v) o[p.Name] = v;
        return o;
    }

    internal static double? Number(JToken? token) =>
        token is null ? null
        : token.Type is JTokenType.Integer or JTokenType.Float ? (double)token
        : double.TryParse(token.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static Task Svg(HttpContext ctx, string svg)
    {
        ctx.Response.ContentType = "image/svg+xml; charset=utf-8";
        return ctx.Response.WriteAsync(svg);
    }
}
