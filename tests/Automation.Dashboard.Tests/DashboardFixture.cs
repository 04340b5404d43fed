using System.Net.Http.Headers;
using System.Text;
using Automation.Core.Catalog;
using Automation.Dashboard;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Tests;

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

/// <summary>
/// One real dashboard on a free loopback port for the whole collection: the repository's scripts plus a temp root
/// with a slow test script, a private cache, a runs folder seeded with two finished runs and a sweep table, and a
/// results folder (`cm serve --results_dir`) seeded with a sweep of known throughput and accuracy and an MLPerf
/// results folder without a record; command-line pipeline runs into it are made once, on first use.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string SeedA = "20250101-000000-aaaaaa";
    public const string SeedB = "20250101-000100-bbbbbb";
    private readonly string temp = Directory.CreateTempSubdirectory("cm-dashboard-tests-").FullName;

    public static string RepoRoot { get; } = FindRepo();
    public string CacheDir => Path.Combine(temp, "cache");
    public string RunsDir => Path.Combine(temp, "runs");
    public string ExtraScripts => Path.Combine(temp, "scripts");
    /// <summary>Given to the dashboard as a `--results_dir`: its runs are listed, and runs may write into it.</summary>
    public string ResultsRoot => Path.Combine(temp, "results-root");
    public const string ParetoSweep = "pareto-probe";
    /// <summary>The seeded sweep's points: (batch size, threads) → (throughput in samples/s, accuracy in %).</summary>
    public static readonly (int Batch, int Threads, double Throughput, double Accuracy)[] ParetoPoints =
    [
        (1, 1, 1000, 90.0), (8, 1, 4000, 89.5), (32, 1, 6000, 88.0), (1, 2, 1800, 89.0), (8, 2, 4200, 89.6), (32, 2, 5500, 87.0),
    ];
    private readonly Lazy<Task<CliRuns>> cliRuns;

    public DashboardFixture() => cliRuns = new(MakeCliRuns);
    public DashboardServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The cm the dashboard starts: CM_TEST_BINARY (the published one) or the cm.dll built next to the tests.</summary>
    public static ChildCommand Cm =>
        Environment.GetEnvironmentVariable("CM_TEST_BINARY") is { Length: > 0 } bin && File.Exists(bin)
            ? new ChildCommand(bin, [])
            : new ChildCommand("dotnet", [Path.Combine(AppContext.BaseDirectory, "cm.dll")]);

    public DashboardOptions Options(string? token = null) => new()
    {
        Workspace = new Workspace(RepoRoot, [ScriptRoot.Plain(ExtraScripts), ScriptRoot.Builtin(Path.Combine(RepoRoot, "scripts"))], CacheDir),
        RunsDir = RunsDir,
        Cm = Cm,
        Port = 0,
        Token = token,
        ResultsRoots = [ResultsRoot],
        AccuracyTargets = b => b == "resnet" ? ("acc", 75.695) : null,
    };

    public async Task InitializeAsync()
    {
        // The cm runs the dashboard starts inherit this: none of the developer's registered repositories (~/CM).
        Environment.SetEnvironmentVariable("CM_REPOS", Path.Combine(temp, "repos"));
        WriteSleepyScript();
        SeedRun(SeedA, "app-sweep-probe", 100, withSweep: true);
        SeedRun(SeedB, "app-sweep-probe", 150, withSweep: false);
        SeedParetoSweep();
        SeedResultsFolder();
        Server = await DashboardServer.StartAsync(Options());
        Http = new HttpClient { BaseAddress = new Uri(Server.Url), Timeout = TimeSpan.FromMinutes(3) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        try { Directory.Delete(temp, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public async Task<(int Status, JToken Body)> Get(string path)
    {
        using var r = await Http.GetAsync(path);
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, text.Length == 0 ? new JObject() : JToken.Parse(text));
    }

    public async Task<(int Status, JObject Body)> Post(string path, JObject? body = null, bool actionHeader = true, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent((body ?? new JObject()).ToString(), Encoding.UTF8, "application/json") };
        if (actionHeader) request.Headers.Add("X-CM-Dashboard", "1");
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var r = await Http.SendAsync(request);
        return ((int)r.StatusCode, JObject.Parse(await r.Content.ReadAsStringAsync()));
    }

    /// <summary>Reads the run's server-sent events until "end" (bounded), returning every data object.</summary>
    public async Task<List<JObject>> ReadEventsUntilEnd(string id, TimeSpan limit, Func<JObject, Task>? onEvent = null)
    {
        using var cts = new CancellationTokenSource(limit);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<JObject>();
        var isEnd = false;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line == "event: end") isEnd = true;
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                if (isEnd) return events;
                var e = JObject.Parse(line[6..]);
                events.Add(e);
                if (onEvent is not null) await onEvent(e);
            }
        }
        throw new Xunit.Sdk.XunitException($"the event stream of run {id} closed without an end event after {events.Count} events");
    }

    private void WriteSleepyScript()
    {
        var dir = Directory.CreateDirectory(Path.Combine(ExtraScripts, "dashboard-sleepy")).FullName;
        File.WriteAllText(Path.Combine(dir, "_cm.json"), """
            {"alias": "dashboard-sleepy", "uid": "d0a5b0a7d5ee9001", "tags": ["dashboard", "sleepy", "test"], "cache": false,
             "input_mapping": {"seconds": "CM_SLEEPY_SECONDS"}, "default_env": {"CM_SLEEPY_SECONDS": "120"}, "new_env_keys": ["CM_SLEEPY_*"]}
            """);
        File.WriteAllText(Path.Combine(dir, "run.sh"), "#!/usr/bin/env bash\necho \"sleepy: started\"\nsleep \"$CM_SLEEPY_SECONDS\"\necho CM_SLEEPY_DONE=yes > tmp-run-env.out\n");
    }

    private void SeedRun(string id, string script, double qps, bool withSweep)
    {
        var dir = Directory.CreateDirectory(Path.Combine(RunsDir, id)).FullName;
        File.WriteAllText(Path.Combine(dir, "run.json"), new JObject
        {
            ["id"] = id, ["script"] = script, ["variations"] = new JArray(), ["env"] = new JObject(), ["inputs"] = new JObject { ["batch_size"] = "8" },
            ["status"] = "succeeded", ["exit_code"] = 0, ["started"] = "2025-01-01T00:00:00Z", ["finished"] = "2025-01-01T00:00:05Z", ["duration_s"] = 5,
            ["figures"] = new JObject { ["CM_PROBE_QPS"] = qps.ToString(System.Globalization.CultureInfo.InvariantCulture), ["CM_PROBE_NAME"] = "probe" },
        }.ToString());
        if (!withSweep) return;
        var sweep = Directory.CreateDirectory(Path.Combine(dir, "results", "sweep")).FullName;
        var rows = new JArray();
        var i = 0;
        foreach (var threads in new[] { 1, 2 })
            foreach (var batch in new[] { 1, 8, 32 })
                rows.Add(new JObject
                {
                    ["point_index"] = i++, ["status"] = "ok", ["duration_s"] = 1.5, ["params"] = new JObject { ["batch_size"] = batch.ToString(), ["threads"] = threads.ToString() },
                    ["figures"] = new JObject { ["CM_PROBE_QPS"] = (batch * threads * 10).ToString() },
                });
        File.WriteAllText(Path.Combine(sweep, "experiment.json"), new JObject
        {
            ["schema"] = "automation.experiment.table/1", ["experiment"] = new JObject { ["tags"] = "app,sweep,probe" }, ["summary"] = new JObject { ["ok"] = 6 }, ["rows"] = rows,
        }.ToString());
        var submission = Directory.CreateDirectory(Path.Combine(dir, "results", "submission", "closed")).FullName;
        File.WriteAllText(Path.Combine(submission, "README.md"), "submission tree");
    }

    /// <summary>Two command-line runs of the Fashion-MNIST pipeline into <see cref="ResultsRoot"/>, made once: a short VALID Offline run and an INVALID one.</summary>
    public sealed record CliRuns(string ValidId, string InvalidId, string ValidDir, string InvalidDir);

    public Task<CliRuns> EnsureCliRuns() => cliRuns.Value;

    private async Task<CliRuns> MakeCliRuns()
    {
        var valid = Path.Combine(ResultsRoot, "cli-valid");
        var invalid = Path.Combine(ResultsRoot, "cli-invalid");
        await RunCli("run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_submission", "--test_query_count=500", $"--results_dir={valid}");
        // Too low a target for the duration, and no re-run: LoadGen says INVALID ("min duration not met"), cm exits 0.
        await RunCli("run", "script", "--tags=app,mlperf,inference,_fashion-mnist,_offline,_performance-only", "--min_duration_ms=500", "--target_qps=100", "--max_reruns=0", $"--results_dir={invalid}");
        string Id(string dir) => (string)JObject.Parse(File.ReadAllText(Path.Combine(dir, "cm-run-record.json")))["id"]!;
        return new CliRuns(Id(valid), Id(invalid), valid, invalid);
    }

    /// <summary>`cm ARGS --quiet --cache-dir CACHE` as a user would type it (the dashboard's cache, so its history lists the run).</summary>
    public async Task<string> RunCli(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Cm.FileName) { WorkingDirectory = RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in Cm.PrefixArgs.Concat(args).Concat(["--quiet", "--cache-dir", CacheDir])) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new Xunit.Sdk.XunitException($"cm {string.Join(' ', args)} failed ({p.ExitCode}):\n{await stderr}");
        return await stdout;
    }

    private void SeedParetoSweep()
    {
        var dir = Directory.CreateDirectory(Path.Combine(ResultsRoot, ParetoSweep)).FullName;
        var rows = new JArray();
        var i = 0;
        foreach (var (batch, threads, throughput, accuracy) in ParetoPoints)
            rows.Add(new JObject
            {
                ["point_index"] = i, ["point_hash"] = $"{i:x16}", ["status"] = "ok", ["duration_s"] = 2.0, ["started_utc"] = $"2025-02-01T10:00:0{i++}.000Z",
                ["point_dir"] = Path.Combine(dir, $"batch_size-{batch}_threads-{threads}"),
                ["params"] = new JObject { ["batch_size"] = batch.ToString(), ["threads"] = threads.ToString() },
                ["figures"] = new JObject
                {
                    ["CM_MLPERF_LOADGEN_SCENARIO"] = "Offline", ["CM_MLPERF_RESULT_METRIC"] = "samples_per_second", ["CM_MLPERF_RESULT_VALIDITY"] = "VALID",
                    ["CM_MLPERF_RESULT_VALUE"] = throughput.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["CM_MLPERF_ACCURACY"] = accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
        File.WriteAllText(Path.Combine(dir, "experiment.json"), new JObject
        {
            ["schema"] = "automation.experiment.table/1",
            ["experiment"] = new JObject { ["tags"] = ParetoSweep, ["hash"] = "0123456789abcdef" },
            ["summary"] = new JObject { ["ok"] = ParetoPoints.Length }, ["rows"] = rows,
        }.ToString());
    }

    /// <summary>An MLPerf results folder no run record names (as copied from another machine): SingleStream, VALID.</summary>
    private void SeedResultsFolder()
    {
        var run = Directory.CreateDirectory(Path.Combine(ResultsRoot, "imported", "other-host", "fashion-mnist", "SingleStream", "performance", "run_1")).FullName;
        File.WriteAllText(Path.Combine(run, "mlperf_log_summary.txt"), """
            ================================================
            MLPerf Results Summary
            ================================================
            SUT name : imported
            Scenario : SingleStream
            Mode     : PerformanceOnly
            90th percentile latency (ns) : 1250000
            Result is : VALID

            ================================================
            Additional Stats
            ================================================
            Mean latency (ns)               : 1000000
            50.00 percentile latency (ns)   : 900000
            90.00 percentile latency (ns)   : 1250000
            99.00 percentile latency (ns)   : 2000000
            """);
    }

    private static string FindRepo()
    {
        for (var d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Automation.sln"))) return d;
        throw new InvalidOperationException("the tests run outside the repository");
    }
}
