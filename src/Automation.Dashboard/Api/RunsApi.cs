using Automation.Dashboard.Results;
using Automation.Dashboard.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Api;

/// <summary>/api/runs: list, start (validated, child process), status, live events (SSE), cancel, files and zips.</summary>
public sealed class RunsApi(RunManager runs, ScriptsApi scripts)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/api/runs", (RequestDelegate)List);
        app.MapPost("/api/runs", (RequestDelegate)Start);
        app.MapGet("/api/runs/{id}", (RequestDelegate)Show);
        app.MapGet("/api/runs/{id}/events", (RequestDelegate)Events);
        app.MapPost("/api/runs/{id}/cancel", (RequestDelegate)Cancel);
        app.MapGet("/api/runs/{id}/file", (RequestDelegate)FileView);
        app.MapGet("/api/runs/{id}/zip", (RequestDelegate)Zip);
    }

    private Task List(HttpContext ctx) => Json.Write(ctx, new JArray(runs.All.Select(r => Brief(r.Snapshot()))));

    internal static JObject Brief(JObject record)
    {
        var o = new JObject();
        foreach (var name in new[] { "id", "script", "variations", "env", "inputs", "status", "exit_code", "started", "finished", "duration_s", "error", "figures" })
            o[name] = record[name];
        return o;
    }

    private async Task Start(HttpContext ctx)
    {
        try
        {
            var spec = new RunSpecValidator(scripts.Catalog()).Validate(await Json.ReadObject(ctx));
            var run = runs.Start(spec);
            await Json.Write(ctx, new JObject { ["id"] = run.Id, ["status"] = run.Status, ["command"] = run.Snapshot()["command"] }, 201);
        }
        catch (DashboardRequestException e)
        {
            await Json.Error(ctx, 400, e.Message);
        }
    }

    private Task Show(HttpContext ctx)
    {
        if (Find(ctx) is not { } run) return NotFound(ctx);
        var json = run.Snapshot();
        json["results"] = ResultScanner.Scan(run.Dir);
        json["steps_live"] = new JArray(run.Events.Where("step"));
        return Json.Write(ctx, json);
    }

    /// <summary>Server-sent events: every event since Last-Event-ID (or ?from=), then new ones as they come, then "end".</summary>
    private async Task Events(HttpContext ctx)
    {
        if (Find(ctx) is not { } run) { await NotFound(ctx); return; }
        var from = int.TryParse(ctx.Request.Headers["Last-Event-ID"].ToString(), out var last) ? last + 1
            : int.TryParse(ctx.Request.Query["from"].ToString(), out var f) ? Math.Max(0, f) : 0;
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers["X-Accel-Buffering"] = "no";
        var abort = ctx.RequestAborted;
        try
        {
            while (!abort.IsCancellationRequested)
            {
                var (events, more, completed) = run.Events.ReadFrom(from);
                foreach (var e in events)
                    await ctx.Response.WriteAsync($"id: {(int)e["seq"]!}\ndata: {e.ToString(Formatting.None)}\n\n", abort);
                from += events.Count;
                await ctx.Response.Body.FlushAsync(abort);
                if (completed)
                {
                    await ctx.Response.WriteAsync($"event: end\ndata: {JsonConvertStatus(run)}\n\n", abort);
                    return;
                }
                // A comment line now and then keeps proxies and the browser from timing the stream out.
                await Task.WhenAny(more, Task.Delay(TimeSpan.FromSeconds(15), abort));
                if (!more.IsCompleted) await ctx.Response.WriteAsync(": keep-alive\n\n", abort);
            }
        }
        catch (OperationCanceledException) { }
    }

    private static string JsonConvertStatus(DashboardRun run) => new JObject { ["status"] = run.Status }.ToString(Formatting.None);

    private Task Cancel(HttpContext ctx)
    {
        if (Find(ctx) is not { } run) return NotFound(ctx);
        return run.Cancel()
            ? Json.Write(ctx, new JObject { ["id"] = run.Id, ["status"] = run.Status }, 202)
            : Json.Error(ctx, 409, $"run {run.Id} is not running (status: {run.Status})");
    }

    private Task FileView(HttpContext ctx) =>
        Find(ctx) is { } run ? FileResponses.Send(ctx, run.Dir, ctx.Request.Query["path"]) : NotFound(ctx);

    private Task Zip(HttpContext ctx)
    {
        if (Find(ctx) is not { } run) return NotFound(ctx);
        var path = ctx.Request.Query["path"].ToString();
        var name = path.Length == 0 ? $"run-{run.Id}" : $"{run.Id}-{path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "folder"}";
        return FileResponses.Zip(ctx, run.Dir, path, name);
    }

    private DashboardRun? Find(HttpContext ctx) => runs.Get((string?)ctx.Request.RouteValues["id"]);

    private static Task NotFound(HttpContext ctx) => Json.Error(ctx, 404, "no such run");
}
