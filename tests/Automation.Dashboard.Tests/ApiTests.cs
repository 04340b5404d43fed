using System.IO.Compression;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Tests;

/// <summary>The HTTP API of a real server on a loopback port, with real child `cm run script` processes.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiTests(DashboardFixture fx)
{
    [Fact]
    public async Task Scripts_are_searched_by_tags_and_show_variations_inputs_and_the_dependency_tree()
    {
        var (status, list) = await fx.Get("/api/scripts?tags=app,mlperf,inference");
        Assert.Equal(200, status);
        var aliases = list.Select(s => (string)s["alias"]!).ToList();
        Assert.Contains("app-mlperf-inference", aliases);
        Assert.DoesNotContain("app-hello-platform", aliases);

        var (_, show) = await fx.Get("/api/scripts/app-mlperf-inference?variations=fashion-mnist,offline");
        var variations = show["variations"]!.Select(v => (string)v["name"]!).ToList();
        Assert.Contains("offline", variations);
        Assert.Contains("fashion-mnist", variations);
        Assert.Contains(show["inputs"]!, i => (string)i["name"]! == "test_query_count");
        var tree = show["tree"]!;
        Assert.Equal("app-mlperf-inference", (string)tree["script"]!);
        var names = tree.SelectTokens("$..script").Select(t => (string)t!).ToList();
        Assert.Contains("detect-os", names);
        Assert.Contains(names, n => n.Contains("fashion-mnist", StringComparison.Ordinal));

        Assert.Equal(404, (await fx.Get("/api/scripts/no-such-script")).Status);
    }

    [Fact]
    public async Task A_run_streams_its_steps_and_log_then_shows_its_figures_files_and_zip()
    {
        var (status, started) = await fx.Post("/api/runs", new JObject { ["script"] = "app-hello-platform" });
        Assert.True(status == 201, started.ToString());
        var id = (string)started["id"]!;
        var command = started["command"]!.Select(t => (string)t!).ToList();
        Assert.Contains("--tags=app,hello,platform,demo", command);
        Assert.Contains(command, a => a.StartsWith("--results_dir=", StringComparison.Ordinal) && a.Contains(id, StringComparison.Ordinal));

        var events = await fx.ReadEventsUntilEnd(id, TimeSpan.FromMinutes(2));
        var steps = events.Where(e => (string?)e["type"] == "step").ToList();
        Assert.Contains(steps, e => (string?)e["event"] == "started" && (string?)e["script"] == "app-hello-platform");
        Assert.Contains(steps, e => (string?)e["event"] == "finished" && (string?)e["script"] == "detect-os");
        Assert.Contains(events, e => (string?)e["type"] == "log" && ((string?)e["line"] ?? "").StartsWith("Host:", StringComparison.Ordinal));
        Assert.Equal("succeeded", (string?)events.Last(e => (string?)e["type"] == "status")["status"]);

        var (_, run) = await fx.Get($"/api/runs/{id}");
        Assert.Equal("succeeded", (string?)run["status"]);
        Assert.StartsWith("python", (string?)run["figures"]!["CM_HELLO_REPORT"]);
        Assert.Contains(run["results"]!["files"]!, f => (string?)f["path"] == "results/hello.txt");

        using var file = await fx.Http.GetAsync($"/api/runs/{id}/file?path=results/hello.txt");
        Assert.Equal(200, (int)file.StatusCode);
        Assert.Contains("sandbox", file.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("python", await file.Content.ReadAsStringAsync());

        using var zip = new ZipArchive(await fx.Http.GetStreamAsync($"/api/runs/{id}/zip?path=results"));
        Assert.Contains(zip.Entries, e => e.FullName == "hello.txt");

        // A second reader after the end gets the whole history and the end at once.
        var again = await fx.ReadEventsUntilEnd(id, TimeSpan.FromSeconds(20));
        Assert.Equal(events.Count, again.Count);
    }

    [Fact]
    public async Task A_running_run_is_cancelled_and_its_child_is_killed()
    {
        var (status, started) = await fx.Post("/api/runs", new JObject { ["script"] = "dashboard-sleepy", ["inputs"] = new JObject { ["seconds"] = "120" } });
        Assert.True(status == 201, started.ToString());
        var id = (string)started["id"]!;
        var cancelled = false;
        var events = await fx.ReadEventsUntilEnd(id, TimeSpan.FromMinutes(1), async e =>
        {
            if (!cancelled && (string?)e["line"] == "sleepy: started")
            {
                cancelled = true;
                Assert.Equal(202, (await fx.Post($"/api/runs/{id}/cancel")).Status);
            }
        });
        Assert.True(cancelled, "the sleepy script never said it started");
        Assert.Equal("cancelled", (string?)events.Last(e => (string?)e["type"] == "status")["status"]);
        var (_, run) = await fx.Get($"/api/runs/{id}");
        Assert.Equal("cancelled", (string?)run["status"]);
        Assert.Equal(409, (await fx.Post($"/api/runs/{id}/cancel")).Status);
    }

    [Theory]
    [InlineData("""{"script": "no-such-script"}""", "no script is called")]
    [InlineData("""{"script": "../etc"}""", "is not a script alias")]
    [InlineData("""{"script": "app-mlperf-inference", "variations": ["offline;rm -rf ~"]}""", "is not a variation")]
    [InlineData("""{"script": "app-mlperf-inference", "variations": ["no-such-variation"]}""", "is not a variation")]
    [InlineData("""{"script": "app-mlperf-inference", "env": {"LD_PRELOAD": "/tmp/x.so"}}""", "do not use env key")]
    [InlineData("""{"script": "app-mlperf-inference", "env": {"CM_X=1 --env.Y": "1"}}""", "is not an env variable name")]
    [InlineData("""{"script": "app-mlperf-inference", "inputs": {"no_such_input": "1"}}""", "has no input")]
    [InlineData("""{"script": "app-mlperf-inference", "inputs": {"results_dir": "/etc"}}""", "chosen by the dashboard")]
    [InlineData("""{"script": "app-mlperf-inference", "inputs": {"test_query_count": "1\n--env.X=1"}}""", "control character")]
    [InlineData("""{"script": "app-mlperf-inference", "env": "CM_X=1"}""", "must be an object")]
    public async Task Bad_run_requests_are_refused_before_anything_starts(string body, string expected)
    {
        var before = Directory.GetDirectories(fx.RunsDir).Length;
        var (status, error) = await fx.Post("/api/runs", JObject.Parse(body));
        Assert.Equal(400, status);
        Assert.Contains(expected, (string?)error["error"]);
        Assert.Equal(before, Directory.GetDirectories(fx.RunsDir).Length);
    }

    [Fact]
    public async Task Conflicting_variations_are_refused_with_the_resolver_message()
    {
        var (status, error) = await fx.Post("/api/runs", new JObject { ["script"] = "app-mlperf-inference", ["variations"] = new JArray("offline", "server") });
        Assert.Equal(400, status);
        Assert.Contains("offline", (string?)error["error"]);
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("results/../../" + DashboardFixture.SeedB + "/run.json")]
    [InlineData("results\\..\\run.json")]
    [InlineData("link-out/passwd")]
    public async Task File_views_refuse_paths_outside_the_run_folder(string path)
    {
        var runDir = Path.Combine(fx.RunsDir, DashboardFixture.SeedA);
        var link = Path.Combine(runDir, "link-out");
        if (!Directory.Exists(link)) Directory.CreateSymbolicLink(link, "/etc");
        using var r = await fx.Http.GetAsync($"/api/runs/{DashboardFixture.SeedA}/file?path={Uri.EscapeDataString(path)}");
        Assert.Equal(404, (int)r.StatusCode);
        Assert.DoesNotContain("root:", await r.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)(await fx.Http.GetAsync($"/api/runs/{DashboardFixture.SeedA}/file?path=run.json")).StatusCode);
    }

    [Fact]
    public async Task Requests_for_other_hosts_cross_site_posts_and_posts_without_the_header_are_refused()
    {
        using var rebinding = new HttpRequestMessage(HttpMethod.Get, "/api/info");
        rebinding.Headers.Host = "attacker.example";
        Assert.Equal(421, (int)(await fx.Http.SendAsync(rebinding)).StatusCode);
        Assert.Equal(403, (await fx.Post("/api/runs", new JObject { ["script"] = "app-hello-platform" }, actionHeader: false)).Status);
        Assert.Equal(403, (await fx.Post("/api/runs", new JObject { ["script"] = "app-hello-platform" }, origin: "http://attacker.example")).Status);
        using var page = await fx.Http.GetAsync("/");
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task With_a_token_every_api_call_needs_it_and_the_page_swaps_it_for_a_cookie()
    {
        const string token = "0123456789abcdef0123";
        await using var server = await DashboardServer.StartAsync(fx.Options(token));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.Url) };
        Assert.Equal(401, (int)(await http.GetAsync("/api/info")).StatusCode);
        Assert.Equal(401, (int)(await http.GetAsync("/")).StatusCode);
        Assert.Equal(200, (int)(await http.GetAsync("/assets/app.js")).StatusCode);
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/info") { Headers = { { "X-CM-Token", token } } };
        Assert.Equal(200, (int)(await http.SendAsync(withHeader)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/info") { Headers = { { "X-CM-Token", token + "x" } } };
        Assert.Equal(401, (int)(await http.SendAsync(wrong)).StatusCode);
        var redirect = await http.GetAsync("/?token=" + token);
        Assert.Equal(302, (int)redirect.StatusCode);
        var cookie = redirect.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/info") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        Assert.Equal(200, (int)(await http.SendAsync(withCookie)).StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(fx.Options() with { Address = System.Net.IPAddress.Any }));
    }

    [Fact]
    public async Task Results_list_runs_compare_them_and_plot_runs_and_sweeps_as_svg()
    {
        var (_, results) = await fx.Get("/api/results");
        Assert.Contains(results["figure_keys"]!, k => (string?)k == "CM_PROBE_QPS");
        Assert.DoesNotContain(results["figure_keys"]!, k => (string?)k == "CM_PROBE_NAME"); // not numeric
        var sweep = Assert.Single(results["sweeps"]!, s => ((string)s["table"]!).EndsWith("/results/sweep/experiment.json", StringComparison.Ordinal));
        Assert.Equal(6, (int)sweep["points"]!);
        var sweepId = (string)sweep["id"]!;

        var (_, compare) = await fx.Get($"/api/compare?ids={DashboardFixture.SeedA},{DashboardFixture.SeedB}");
        Assert.Equal(["100", "150"], compare["figures"]!["CM_PROBE_QPS"]!.Select(v => (string)v!));

        var bars = XDocument.Parse(await fx.Http.GetStringAsync($"/api/plot/runs.svg?figure=CM_PROBE_QPS&ids={DashboardFixture.SeedA},{DashboardFixture.SeedB}"));
        Assert.Equal(2, bars.Descendants().Count(e => e.Name.LocalName == "rect" && (string?)e.Attribute("class") == "bar"));

        var lines = XDocument.Parse(await fx.Http.GetStringAsync($"/api/plot/sweep.svg?id={sweepId}&figure=CM_PROBE_QPS"));
        Assert.Equal(2, lines.Descendants().Count(e => e.Name.LocalName == "polyline")); // one line per threads value
        Assert.Equal(6, lines.Descendants().Count(e => e.Name.LocalName == "circle"));
        Assert.Equal(404, (int)(await fx.Http.GetAsync("/api/plot/sweep.svg?id=..%2F..%2Fetc&figure=x")).StatusCode);

        var (_, seeded) = await fx.Get($"/api/runs/{DashboardFixture.SeedA}");
        Assert.Equal("results/submission", (string?)Assert.Single(seeded["results"]!["submissions"]!));
        using var zip = new ZipArchive(await fx.Http.GetStreamAsync($"/api/runs/{DashboardFixture.SeedA}/zip?path=results/submission"));
        Assert.Contains(zip.Entries, e => e.FullName == "closed/README.md");
    }

    [Fact]
    public async Task Cache_entries_are_listed_shown_and_removed()
    {
        // app-hello-platform's python detection is a cached step; run it if no other test has yet.
        if (!(await fx.Get("/api/cache?tags=get,python3")).Body.Any())
        {
            var (_, started) = await fx.Post("/api/runs", new JObject { ["script"] = "app-hello-platform" });
            await fx.ReadEventsUntilEnd((string)started["id"]!, TimeSpan.FromMinutes(2));
        }
        var (_, list) = await fx.Get("/api/cache?tags=get,python3");
        var key = (string)list.First()["key"]!;
        var (_, entry) = await fx.Get($"/api/cache/{key}");
        Assert.Equal("get-python3", (string?)entry["script"]);
        Assert.NotNull(entry["evidence"]);
        Assert.Equal(404, (await fx.Get("/api/cache/..%2F..%2Fetc")).Status);
        Assert.Equal(404, (int)(await fx.Http.GetAsync($"/api/cache/{key}/file?path=../../../etc/passwd")).StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/cache/{key}") { Headers = { { "X-CM-Dashboard", "1" } } };
        Assert.Equal(200, (int)(await fx.Http.SendAsync(delete)).StatusCode);
        Assert.Equal(404, (await fx.Get($"/api/cache/{key}")).Status);
    }
}
