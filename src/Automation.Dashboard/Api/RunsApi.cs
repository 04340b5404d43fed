using Automation.Dashboard.Catalog;
using Automation.Dashboard.Runs;
using Automation.Records.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Api;

/// <summary>
/// /api/runs: every run the workspace knows (list, one run, files and zips), and the dashboard's own: start
/// (validated, child processes), the submission workflow, live events (SSE), cancel, re-run and delete.
/// </summary>
public sealed class RunsApi(DashboardOptions options, RunManager runs, RunIndex index, ScriptsApi scripts)
{
    private readonly RunView view = new(options);

    public void Map(WebApplication app)
    {
        app.MapGet("/api/runs", (RequestDelegate)List);
        app.MapPost("/api/runs", (RequestDelegate)Start);
        app.MapPost("/api/workflows/submission", (RequestDelegate)Submission);
        app.MapGet("/api/runs/{id}", (RequestDelegate)Show);
        app.MapDelete("/api/runs/{id}", (RequestDelegate)Delete);
        app.MapGet("/api/runs/{id}/events", (RequestDelegate)Events);
        app.MapPost("/api/runs/{id}/cancel", (RequestDelegate)Cancel);
        app.MapPost("/api/runs/{id}/rerun", (RequestDelegate)Rerun);
        app.MapGet("/api/runs/{id}/file", (RequestDelegate)FileView);
        app.MapGet("/api/runs/{id}/zip", (RequestDelegate)Zip);
    }

    private RunSpecValidator Validator() => new(scripts.Catalog(), index.Folders);

    private Task List(HttpContext ctx) => Json.Write(ctx, new JArray(index.All().Select(view.Summary)));

    private Task Start(HttpContext ctx) => Launch(ctx, async () => RunPlan.Script(Validator().Validate(await Json.ReadObject(ctx))));

    private Task Submission(HttpContext ctx) => Launch(ctx, async () => new SubmissionWorkflow(Validator()).Plan(await Json.ReadObject(ctx)));

    private async Task Launch(HttpContext ctx, Func<Task<RunPlan>> plan)
    {
        try
        {
            var run = runs.Start(await plan());
            index.Invalidate();
            await Json.Write(ctx, new JObject { ["id"] = run.Id, ["status"] = run.Status, ["command"] = run.Snapshot()["command"], ["stages"] = run.Snapshot()["stages"] }, 201);
        }
        catch (DashboardRequestException e)
        {
            await Json.Error(ctx, 400, e.Message, e.Fix);
        }
    }

    private Task Show(HttpContext ctx) => Find(ctx) is { } e ? Json.Write(ctx, view.Details(e)) : NotFound(ctx);

    /// <summary>Runs the same request again as a new dashboard run: a dashboard run's form, or a recorded command's script, variations, inputs and env.</summary>
    private Task Rerun(HttpContext ctx)
    {
        if (Find(ctx) is not { } e) return NotFound(ctx);
        return Launch(ctx, () =>
        {
            var request = e.Live?.Snapshot()["request"] as JObject;
            if (request is not null && (string?)e.Live!.Snapshot()["kind"] == RunPlan.SubmissionKind)
                return Task.FromResult(new SubmissionWorkflow(Validator()).Plan(request));
            if (request is null)
            {
                if (e.Script.Length == 0 || e.Kind == RunKind.Folder)
                    throw new DashboardRequestException($"run {e.Id} has no recorded command to run again", "Start it from its script's page instead.");
                var inputs = Json.Map(e.Inputs);
                // A results folder the dashboard may not write to is left for it to choose.
                if ((string?)inputs[RunSpecValidator.ResultsDirInput] is { } dir && index.Folders.Existing(dir) is null) inputs.Remove(RunSpecValidator.ResultsDirInput);
                request = new JObject { ["script"] = e.Script, ["variations"] = new JArray(e.Variations), ["env"] = Json.Map(e.Env), ["inputs"] = inputs };
            }
            return Task.FromResult(RunPlan.Script(Validator().Validate(request)));
        });
    }

    /// <summary>
    /// Deletes a dashboard run (its folder) or a command-line run (its records; the results it wrote stay). Sweep
    /// points belong to their table and results folders to the user: those are refused.
    /// </summary>
    private Task Delete(HttpContext ctx)
    {
        if (Find(ctx) is not { } e) return NotFound(ctx);
        try
        {
            var removed = new List<string>();
            switch (e.Kind)
            {
                case RunKind.Dashboard:
                    var snap = e.Live!.Snapshot();
                    runs.Delete(e.Live);
                    removed.Add(e.Live.Dir);
                    // Its children's records: the history copies, and their copies in a results folder the user chose.
                    var chosen = (string?)snap["results_dir"] is { } d && !Security.SafePaths.IsInside(e.Live.Dir, d) ? d : null;
                    foreach (var id in RunIndex.Strings(snap["record_ids"]).Where(RunRecordWriter.IsRecordId)) removed.AddRange(RunRecordWriter.Remove(options.Workspace.CacheDir, id, chosen));
                    break;
                case RunKind.Cli:
                    removed.AddRange(RunRecordWriter.Remove(options.Workspace.CacheDir, e.Id, e.ResultsDir));
                    break;
                default:
                    return Json.Error(ctx, 409, e.Kind == RunKind.SweepPoint
                        ? $"run {e.Id} is a point of the sweep table {e.Sweep?.Table}; the dashboard does not edit sweep tables"
                        : $"run {e.Id} is the results folder {e.ResultsDir}, which no run record names; the dashboard does not delete your folders",
                        "Delete the folder yourself if you mean to.");
            }
            index.Invalidate();
            return Json.Write(ctx, new JObject { ["deleted"] = e.Id, ["removed"] = new JArray(removed), ["kept"] = e.Kind == RunKind.Cli ? e.ResultsDir : null });
        }
        catch (DashboardRequestException x)
        {
            return Json.Error(ctx, 409, x.Message, x.Fix);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            return Json.Error(ctx, 500, $"could not delete run {e.Id}: {x.Message}");
        }
    }

    /// <summary>Server-sent events: every event since Last-Event-ID (or ?from=), then new ones as they come, then "end".</summary>
    private async Task Events(HttpContext ctx)
    {
        if (runs.Get((string?)ctx.Request.RouteValues["id"]) is not { } run) { await NotFound(ctx); return; }
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
                    await ctx.Response.WriteAsync($"event: end\ndata: {new JObject { ["status"] = run.Status }.ToString(Formatting.None)}\n\n", abort);
                    return;
                }
                // A comment line now and then keeps proxies and the browser from timing the stream out.
                await Task.WhenAny(more, Task.Delay(TimeSpan.FromSeconds(15), abort));
                if (!more.IsCompleted) await ctx.Response.WriteAsync(": keep-alive\n\n", abort);
            }
        }
        catch (OperationCanceledException) { }
    }

    private Task Cancel(HttpContext ctx)
    {
        if (runs.Get((string?)ctx.Request.RouteValues["id"]) is not { } run) return NotFound(ctx);
        return run.Cancel()
            ? Json.Write(ctx, new JObject { ["id"] = run.Id, ["status"] = run.Status }, 202)
            : Json.Error(ctx, 409, $"run {run.Id} is not running (status: {run.Status})");
    }

    private Task FileView(HttpContext ctx) =>
        Find(ctx) is { Folder: { } folder } ? FileResponses.Send(ctx, folder, ctx.Request.Query["path"]) : NotFound(ctx);

    private Task Zip(HttpContext ctx)
    {
        if (Find(ctx) is not { Folder: { } folder } e) return NotFound(ctx);
        var path = ctx.Request.Query["path"].ToString();
        var name = path.Length == 0 ? $"run-{e.Id}" : $"{e.Id}-{path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "folder"}";
        return FileResponses.Zip(ctx, folder, path, name);
    }

    private RunEntry? Find(HttpContext ctx) => index.Find((string?)ctx.Request.RouteValues["id"]);

    private static Task NotFound(HttpContext ctx) => Json.Error(ctx, 404, "no such run");
}
