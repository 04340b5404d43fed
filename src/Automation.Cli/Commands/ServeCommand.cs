using System.CommandLine;
using System.Net;
using System.Runtime.CompilerServices;
using Automation.Cli.Hosting;
using Automation.Core.Errors;
using Automation.Dashboard;
using Automation.Experiments.Backends;

namespace Automation.Cli.Commands;

/// <summary>`cm serve [--port N] [--host H --allow-remote --token T]`: the local web dashboard.</summary>
public static class ServeCommand
{
    public const string TokenVariable = "CM_DASHBOARD_TOKEN";

    public static Command Create(GlobalOptions g)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 8765 };
        var host = new Option<string>("--host") { Description = "Address to bind (default 127.0.0.1; others need --allow-remote and a token)", DefaultValueFactory = _ => "127.0.0.1" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow binding beyond loopback (anyone who can reach the port and has the token can run scripts)" };
        var token = new Option<string?>("--token") { Description = $"Access token (or {TokenVariable}); required with --allow-remote" };
        var runsDir = new Option<string?>("--runs-dir") { Description = "Folder for the dashboard's runs (default <workspace>/results/dashboard)" };
        var resultsDirs = new Option<string[]>("--results_dir", "--results-dir")
        {
            Description = "An MLPerf results folder, submission tree or folder of sweeps to list beside <workspace>/results; runs started from the page may write there (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("serve", "Start the local web dashboard: every run and its results, compare runs, start scripts and the submission workflow, browse scripts and cache")
        {
            port, host, allowRemote, token, runsDir, resultsDirs, g.CacheDir, g.Verbose,
        };
        command.SetAction((parse, ct) => Serve(parse.GetValue(port), parse.GetValue(host)!, parse.GetValue(allowRemote),
            parse.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable), parse.GetValue(runsDir), parse.GetValue(resultsDirs) ?? [], parse.GetValue(g.CacheDir), ct));
        return command;
    }

    // Kept out of Create so that ASP.NET Core loads only when `serve` runs, not for every cm command.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> Serve(int port, string host, bool allowRemote, string? token, string? runsDir, string[] resultsDirs, string? cacheDir, CancellationToken ct)
    {
        if (port is < 0 or > 65535) throw new AutomationException($"--port {port} is not a TCP port", fix: "Use 1-65535, or 0 for a free one.");
        if (!IPAddress.TryParse(host == "localhost" ? "127.0.0.1" : host, out var address))
            throw new AutomationException($"--host '{host}' is not an IP address", fix: "Use 127.0.0.1 (default), ::1, or with --allow-remote an address of this machine such as 0.0.0.0.");
        var loopback = IPAddress.IsLoopback(address);
        if (!loopback && !allowRemote)
            throw new AutomationException($"binding the dashboard to {host} exposes it beyond this machine", fix: "Add --allow-remote and a --token (or CM_DASHBOARD_TOKEN), or keep the default 127.0.0.1.");
        if (!loopback && string.IsNullOrEmpty(token))
            throw new AutomationException("--allow-remote needs a token: everyone who reaches the port could otherwise run scripts", fix: $"Add --token SECRET (at least 16 characters) or set {TokenVariable}.");
        if (token is { Length: < 16 }) throw new AutomationException("the dashboard token is shorter than 16 characters", fix: "Use a longer random token, e.g. `openssl rand -hex 16`.");
        foreach (var dir in resultsDirs.Where(d => !Directory.Exists(d)))
            throw new AutomationException($"--results_dir {dir} is not a folder", fix: "Pass an MLPerf results folder, a submission tree or a folder holding sweeps (experiment.json).");
        var engine = new Engine(cacheDir);
        var cm = CmCommand.Current();
        var options = new DashboardOptions
        {
            Workspace = engine.Workspace,
            RunsDir = Path.GetFullPath(runsDir ?? Path.Combine(engine.Workspace.Root, "results", "dashboard")),
            Cm = new ChildCommand(cm.FileName, cm.PrefixArgs),
            Address = address,
            Port = port,
            Token = string.IsNullOrEmpty(token) ? null : token,
            ResultsRoots = resultsDirs.Select(d => Path.GetFullPath(d)).ToList(),
            AccuracyTargets = Mlperf.Submission.MlperfRules.AccuracyTargets,
        };
        DashboardServer server;
        try { server = await DashboardServer.StartAsync(options, ct); }
        catch (IOException e)
        {
            throw new AutomationException($"the dashboard could not listen on {host}:{port}: {e.Message}", fix: "Pick another --port (or --port 0 for a free one).");
        }
        await using (server)
        {
            var url = options.Token is null ? server.Url : $"{server.Url}?token={Uri.EscapeDataString(options.Token)}";
            Console.Out.WriteLine($"cm dashboard: {url}");
            Console.Error.WriteLine($"workspace {options.Workspace.Root}, cache {options.Workspace.CacheDir}, runs {options.RunsDir}; Ctrl-C stops it");
            await server.WaitForShutdownAsync(ct);
        }
        return 0;
    }
}
