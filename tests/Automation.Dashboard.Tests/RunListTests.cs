using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Tests;

/// <summary>Every run the workspace knows, through the API: command-line records, sweep points, results folders, re-run and delete.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunListTests(DashboardFixture fx)
{
    private async Task<List<JObject>> Runs() => (await fx.Get("/api/runs")).Body.OfType<JObject>().ToList();

    [PipelineFact]
    public async Task Command_line_runs_sweep_points_and_results_folders_are_each_listed_once_with_their_headline()
    {
        var cli = await fx.EnsureCliRuns();
        var runs = await Runs();
        Assert.Equal(runs.Count, runs.Select(r => (string)r["id"]!).Distinct().Count());

        var valid = runs.Single(r => (string?)r["id"] == cli.ValidId);
        Assert.Equal("cli", (string?)valid["kind"]);
        Assert.Equal("app-mlperf-inference", (string?)valid["script"]);
        Assert.Equal("valid", (string?)valid["verdict"]);
        Assert.Equal("Offline", (string?)valid["headlines"]![0]!["scenario"]);
        Assert.Equal("samples/s", (string?)valid["headlines"]![0]!["unit"]);
        Assert.Equal(75.695, (double)valid["accuracy"]!["target"]!);
        Assert.Equal(cli.ValidDir, (string?)valid["results_dir"]);
        Assert.Equal("fashion-mnist", (string?)valid["labels"]!["model"]);
        Assert.Equal("32", (string?)valid["labels"]!["batch_size"]);
        Assert.Equal("native", (string?)valid["labels"]!["engine"]);

        var invalid = runs.Single(r => (string?)r["id"] == cli.InvalidId);
        Assert.Equal("succeeded", (string?)invalid["status"]); // cm exited 0 ...
        Assert.Equal("invalid", (string?)invalid["verdict"]); // ... but the result is what the colour follows
        Assert.Contains("min duration not met", (string?)invalid["invalid_reason"]);
        Assert.Equal("100 QPS", (string?)invalid["labels"]!["target"]);

        var (status, details) = await fx.Get($"/api/runs/{cli.ValidId}");
        Assert.Equal(200, status);
        Assert.Contains("--test_query_count=500", details["record"]!["argv"]!.Select(a => (string)a!));
        Assert.Equal("1.0", (string?)details["record"]!["versions"]!["get-dataset-fashion-mnist"]);
        var result = Assert.Single(details["mlperf"]!);
        Assert.Equal(6, result["latency_ms"]!["percentiles"]!.Count());
        Assert.Equal(200, (int)(await fx.Http.GetAsync($"/api/runs/{cli.ValidId}/file?path=cm-run-record.json")).StatusCode);
        Assert.Equal(404, (int)(await fx.Http.GetAsync($"/api/runs/{cli.ValidId}/file?path=../cli-invalid/cm-run-record.json")).StatusCode);

        // The latency plot overlays both runs.
        var svg = System.Xml.Linq.XDocument.Parse(await fx.Http.GetStringAsync($"/api/plot/latency.svg?ids={cli.ValidId},{cli.InvalidId}"));
        Assert.Equal(2, svg.Descendants().Count(e => e.Name.LocalName == "polyline"));
    }

    [Fact]
    public async Task Sweep_points_are_grouped_by_sweep_and_a_results_folder_without_a_record_is_listed()
    {
        var runs = await Runs();
        var points = runs.Where(r => (string?)(r["sweep"] as JObject)?["name"] == DashboardFixture.ParetoSweep).ToList();
        Assert.Equal(DashboardFixture.ParetoPoints.Length, points.Count);
        Assert.All(points, p => Assert.Equal("sweep", (string?)p["kind"]));
        var first = points.Single(p => (int)p["sweep"]!["index"]! == 0);
        Assert.Equal(1000, (double)first["metrics"]!["throughput"]!);
        Assert.Equal(90.0, (double)first["metrics"]!["accuracy"]!);
        Assert.Equal("1", (string?)first["labels"]!["batch_size"]);
        Assert.Equal("1000 samples/s", (string?)first["headlines"]![0]!["display"]);

        var folder = runs.Single(r => ((string?)r["results_dir"])?.EndsWith("/imported", StringComparison.Ordinal) == true);
        Assert.Equal("folder", (string?)folder["kind"]);
        Assert.Equal("valid", (string?)folder["verdict"]);
        Assert.Equal("1.25 ms", (string?)folder["headlines"]![0]!["display"]); // SingleStream: p90 latency
        Assert.False((bool)folder["can_delete"]!);
        using var refused = new HttpRequestMessage(HttpMethod.Delete, $"/api/runs/{folder["id"]}") { Headers = { { "X-CM-Dashboard", "1" } } };
        Assert.Equal(409, (int)(await fx.Http.SendAsync(refused)).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(fx.ResultsRoot, "imported")));
    }

    [Fact]
    public async Task A_command_line_run_is_deleted_with_its_records_while_its_results_and_earlier_runs_stay()
    {
        var dir = Path.Combine(fx.ResultsRoot, "probe-twice");
        string[] Probe(int batch) => ["run", "script", "--tags=app,sweep,probe", $"--batch_size={batch}", $"--results_dir={dir}", $"--env.CM_MLPERF_RESULTS_DIR={dir}"];
        await fx.RunCli(Probe(2));
        var firstId = (string)JObject.Parse(File.ReadAllText(Path.Combine(dir, "cm-run-record.json")))["id"]!;
        await fx.RunCli(Probe(5));
        var secondId = (string)JObject.Parse(File.ReadAllText(Path.Combine(dir, "cm-run-record.json")))["id"]!;
        var runs = await Runs();
        Assert.Equal("2", (string?)runs.Single(r => (string?)r["id"] == firstId)["labels"]!["batch_size"]);
        Assert.Equal("5", (string?)runs.Single(r => (string?)r["id"] == secondId)["labels"]!["batch_size"]);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/runs/{secondId}") { Headers = { { "X-CM-Dashboard", "1" } } };
        using var response = await fx.Http.SendAsync(delete);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(404, (await fx.Get($"/api/runs/{secondId}")).Status);
        Assert.False(File.Exists(Path.Combine(fx.CacheDir, ".records", secondId + ".json")));
        Assert.False(Directory.Exists(Path.Combine(dir, "cm-runs", secondId)));
        // The folder's record is the earlier run's again, and the results stay.
        Assert.Equal(firstId, (string?)JObject.Parse(File.ReadAllText(Path.Combine(dir, "cm-run-record.json")))["id"]);
        Assert.True(File.Exists(Path.Combine(dir, "probe.json")));
        Assert.Equal(200, (await fx.Get($"/api/runs/{firstId}")).Status);

        var point = (await Runs()).First(r => (string?)r["kind"] == "sweep");
        using var refused = new HttpRequestMessage(HttpMethod.Delete, $"/api/runs/{point["id"]}") { Headers = { { "X-CM-Dashboard", "1" } } };
        Assert.Equal(409, (int)(await fx.Http.SendAsync(refused)).StatusCode);
        using var noHeader = new HttpRequestMessage(HttpMethod.Delete, $"/api/runs/{firstId}");
        Assert.Equal(403, (int)(await fx.Http.SendAsync(noHeader)).StatusCode);
    }

    [Fact]
    public async Task A_run_may_write_into_an_existing_folder_of_the_workspace_or_a_results_root_and_nowhere_else()
    {
        var chosen = Directory.CreateDirectory(Path.Combine(fx.ResultsRoot, "chosen")).FullName;
        var (status, started) = await fx.Post("/api/runs", new JObject { ["script"] = "app-sweep-probe", ["inputs"] = new JObject { ["results_dir"] = chosen } });
        Assert.True(status == 201, started.ToString());
        Assert.Contains($"--results_dir={chosen}", started["command"]!.Select(a => (string)a!));
        await fx.ReadEventsUntilEnd((string)started["id"]!, TimeSpan.FromMinutes(1));
        Assert.True(File.Exists(Path.Combine(chosen, "probe.json")));

        foreach (var bad in new[] { Path.Combine(fx.ResultsRoot, "missing"), "../../../etc", "/tmp" })
        {
            var (refused, error) = await fx.Post("/api/runs", new JObject { ["script"] = "app-sweep-probe", ["inputs"] = new JObject { ["results_dir"] = bad } });
            Assert.Equal(400, refused);
            Assert.Contains("is not an existing folder inside the workspace", (string?)error["error"]);
        }
    }

    [Theory]
    [InlineData("""{"submitter": ""}""", "needs a submitter")]
    [InlineData("""{"submitter": "x", "variations": ["no-such-variation"]}""", "is not a variation")]
    [InlineData("""{"submitter": "x", "variations": ["performance-only"]}""", "performance-only")]
    [InlineData("""{"submitter": "x", "inputs": {"results_dir": "/etc"}}""", "chosen by the dashboard")]
    [InlineData("""{"submitter": "x", "inputs": {"target_qps": "1\n--env.X=1"}}""", "control character")]
    public async Task Bad_submission_requests_are_refused_before_anything_starts(string body, string expected)
    {
        var before = Directory.GetDirectories(fx.RunsDir).Length;
        var (status, error) = await fx.Post("/api/workflows/submission", JObject.Parse(body));
        Assert.Equal(400, status);
        Assert.Contains(expected, (string?)error["error"]);
        Assert.Equal(before, Directory.GetDirectories(fx.RunsDir).Length);
    }
}
