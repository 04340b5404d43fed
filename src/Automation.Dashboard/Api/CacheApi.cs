using Automation.Core.Caching;
using Automation.Core.Catalog;
using Automation.Core.World;
using Automation.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Api;

/// <summary>/api/cache: entries, one entry with its evidence and files, removal.</summary>
public sealed class CacheApi(DashboardOptions options)
{
    private CacheStore Store() => new(options.Workspace.CacheDir, SystemClock.Instance);

    public void Map(WebApplication app)
    {
        app.MapGet("/api/cache", (RequestDelegate)List);
        app.MapGet("/api/cache/{key}", (RequestDelegate)Show);
        app.MapGet("/api/cache/{key}/file", (RequestDelegate)FileView);
        app.MapDelete("/api/cache/{key}", (RequestDelegate)Remove);
    }

    private Task List(HttpContext ctx)
    {
        var tags = ctx.Request.Query["tags"].ToString();
        var entries = Store().List(tags.Length == 0 ? null : TagQuery.Split(tags).ToList()).OrderBy(e => e.ScriptAlias, StringComparer.Ordinal).ThenBy(e => e.CreatedUtc);
        return Json.Write(ctx, new JArray(entries.Select(CacheEntryView.Summary)));
    }

    private Task Show(HttpContext ctx)
    {
        if (Find(ctx) is not { } e) return Json.Error(ctx, 404, "no such cache entry");
        var json = CacheEntryView.Details(e);
        json["files"] = new JArray(Results.ResultScanner.Files(e.Path).Take(200).Select(f => new JObject { ["path"] = SafePaths.Relative(e.Path, f), ["size"] = new FileInfo(f).Length }));
        return Json.Write(ctx, json);
    }

    private Task FileView(HttpContext ctx) =>
        Find(ctx) is { } e ? FileResponses.Send(ctx, e.Path, ctx.Request.Query["path"]) : Json.Error(ctx, 404, "no such cache entry");

    private Task Remove(HttpContext ctx)
    {
        if (Find(ctx) is not { } e) return Json.Error(ctx, 404, "no such cache entry");
        var removed = Store().Remove(e.Key);
        return Json.Write(ctx, new JObject { ["removed"] = removed, ["key"] = e.Key });
    }

    /// <summary>Exact keys only (a prefix could match an entry the user did not mean); keys are hex, so nothing else gets near the disk.</summary>
    private CacheEntry? Find(HttpContext ctx)
    {
        var key = (string?)ctx.Request.RouteValues["key"] ?? "";
        if (key.Length is < 8 or > 128 || !key.All(char.IsAsciiLetterOrDigit)) return null;
        var entry = Store().TryGet(key);
        return entry;
    }

}
