using System.Reflection;
using Automation.Core.Errors;
using Automation.Dashboard.Api;
using Automation.Dashboard.Catalog;
using Automation.Dashboard.Runs;
using Automation.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard;

/// <summary>The `cm serve` web server: Kestrel with minimal-API endpoints and the embedded page set.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private DashboardServer(WebApplication app, RunManager runs)
    {
        this.app = app;
        Runs = runs;
    }

    public RunManager Runs { get; }

    /// <summary>The address the server listens on (the real port when 0 was asked for).</summary>
    public string Url { get; private set; } = "";

    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken ct = default)
    {
        if (!options.IsLoopback && string.IsNullOrEmpty(options.Token))
            throw new ArgumentException("a dashboard bound beyond loopback needs a token");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.Workspace.Root });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.Limits.MaxRequestBodySize = 1 << 20;
        });
        var app = builder.Build();
        var runs = new RunManager(options);
        var server = new DashboardServer(app, runs);
        var guard = new AccessGuard(options, () => server.Port);
        app.Use(next => ctx => guard.InvokeAsync(ctx, next));
        app.Use(next => ctx => Guarded(ctx, next));
        app.Use(next => ctx => RefuseWhatUsersCanFix(ctx, next));
        var scripts = new ScriptsApi(options);
        scripts.Map(app);
        new CacheApi(options).Map(app);
        var index = new RunIndex(options, runs);
        new RunsApi(options, runs, index, scripts).Map(app);
        new ResultsApi(options, index).Map(app);
        app.MapGet("/api/info", (RequestDelegate)(ctx => Json.Write(ctx, new JObject
        {
            ["workspace"] = options.Workspace.Root, ["cache_dir"] = options.Workspace.CacheDir, ["runs_dir"] = options.RunsDir,
            ["results_roots"] = new JArray(index.Folders.SearchRoots), ["writable_roots"] = new JArray(index.Folders.WritableRoots),
            ["version"] = typeof(DashboardServer).Assembly.GetName().Version?.ToString(),
        })));
        app.MapGet("/", (RequestDelegate)(ctx => Asset(ctx, "index.html")));
        app.MapGet("/assets/{name}", (RequestDelegate)(ctx => Asset(ctx, (string?)ctx.Request.RouteValues["name"] ?? "")));
        app.Lifetime.ApplicationStopping.Register(() => runs.StopAllAsync().Wait(TimeSpan.FromSeconds(10)));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("[::]", "localhost").TrimEnd('/') + "/";
        return server;
    }

    public int Port => Url.Length == 0 ? 0 : new Uri(Url).Port;

    public Task WaitForShutdownAsync(CancellationToken ct) => app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Runs.StopAllAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>An error the user can fix (a bad meta met while answering, a bad request) is a 400 with its message, never a 500.</summary>
    private static async Task RefuseWhatUsersCanFix(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            await next(ctx);
        }
        catch (AutomationException e) when (!ctx.Response.HasStarted)
        {
            await Json.Error(ctx, 400, e.Message);
        }
    }

    /// <summary>A bug in a handler answers 500 with one line (and says so on the server's stderr), never a bare 500 or a stack trace in the page.</summary>
    private static async Task Guarded(HttpContext ctx, RequestDelegate next)
    {
        try { await next(ctx); }
        catch (Exception e) when (e is not OperationCanceledException && !ctx.Response.HasStarted)
        {
            Console.Error.WriteLine($"dashboard: {ctx.Request.Method} {ctx.Request.Path}: {e.GetType().Name}: {e.Message}{(Environment.GetEnvironmentVariable("CM_DASHBOARD_DEBUG") == "1" ? "\n" + e.StackTrace : "")}");
            await Json.Error(ctx, 500, $"the dashboard failed on this request ({e.GetType().Name}: {e.Message})", "This is a bug in cm serve; the server's stderr has the details (CM_DASHBOARD_DEBUG=1 adds the stack).");
        }
    }

    private static readonly Assembly Self = typeof(DashboardServer).Assembly;

    private static async Task Asset(HttpContext ctx, string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        // Only names of our own embedded files: nothing here touches the disk.
        using var stream = type is null || name.Contains('/') ? null : Self.GetManifestResourceStream("dashboard/" + name);
        if (stream is null) { await Json.Error(ctx, 404, "no such asset"); return; }
        ctx.Response.ContentType = type;
        await stream.CopyToAsync(ctx.Response.Body);
    }
}
