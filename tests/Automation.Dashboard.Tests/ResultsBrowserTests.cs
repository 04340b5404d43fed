using System.Globalization;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Tests;

/// <summary>
/// Results in the browser (issue 18): runs from the command line listed with their headline, INVALID in red with
/// LoadGen's reason, filters, comparison, the Pareto front, the submission workflow with its verdict, re-run and delete.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ResultsBrowserTests(DashboardFixture fx)
{
    private const string Red = "rgb(246, 211, 207)";
    private const string Green = "rgb(212, 240, 221)";

    private static Task<string> Background(IPage page, string selector) =>
        page.EvalOnSelectorAsync<string>(selector, "e => getComputedStyle(e).backgroundColor");

    [ChromiumPipelineFact]
    public async Task A_command_line_run_appears_with_its_headline_and_an_invalid_run_is_red_with_its_reason()
    {
        var cli = await fx.EnsureCliRuns();
        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(fx.Server.Url);
        await page.WaitForSelectorAsync("#runs-table");

        var valid = page.Locator($"#runs-table tr[data-id='{cli.ValidId}']");
        Assert.Equal("cli", await valid.Locator(".kind").TextContentAsync());
        Assert.Equal("valid", await valid.Locator("[data-verdict]").GetAttributeAsync("data-verdict"));
        Assert.Contains("Offline: ", await valid.TextContentAsync());
        Assert.Contains("samples/s", await valid.TextContentAsync());
        Assert.Equal(Green, await Background(page, $"#runs-table tr[data-id='{cli.ValidId}'] [data-verdict]"));

        var invalid = page.Locator($"#runs-table tr[data-id='{cli.InvalidId}']");
        Assert.Equal("INVALID", await invalid.Locator("[data-verdict]").TextContentAsync());
        Assert.Contains("verdict-row-invalid", await invalid.GetAttributeAsync("class"));
        Assert.Equal(Red, await Background(page, $"#runs-table tr[data-id='{cli.InvalidId}'] [data-verdict]"));
        Assert.Contains("min duration not met", await invalid.Locator(".reason").TextContentAsync());
        await browser.Shot("dashboard-runs", docs: true);

        // Its page starts with the verdict and LoadGen's reason, then the labels that tell it apart.
        await invalid.Locator($"a[href='#/run/{cli.InvalidId}']").ClickAsync();
        await page.WaitForSelectorAsync("#headline #result-badge");
        Assert.Equal("invalid", await page.GetAttributeAsync("#result-badge", "data-verdict"));
        Assert.Equal(Red, await Background(page, "#result-badge"));
        Assert.Contains("min duration not met", await page.TextContentAsync("#invalid-reason"));
        Assert.Contains("Increase expected QPS", await page.TextContentAsync("#invalid-reason"));
        Assert.Equal("100 QPS", (await page.TextContentAsync("#labels .label[data-name=target]"))!.Replace("target ", ""));
        Assert.Equal("performance", (await page.TextContentAsync("#labels .label[data-name=mode]"))!.Replace("mode ", ""));
        await page.WaitForSelectorAsync("#record");
        Assert.Contains("--target_qps=100", await page.TextContentAsync("#record"));
        await browser.Shot("dashboard-run-invalid", docs: true);
        Assert.Empty(browser.Problems);
    }

    [ChromiumPipelineFact]
    public async Task Runs_are_filtered_and_two_are_compared_side_by_side_with_their_latencies_overlaid()
    {
        var cli = await fx.EnsureCliRuns();
        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(fx.Server.Url + "#/runs");
        await page.WaitForSelectorAsync("#runs-table");
        async Task<List<string>> Shown() => [.. (await page.Locator("#runs-table tr.run-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"))];

        await page.SelectOptionAsync("#filter-status", "invalid");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#runs-table tr.run-row').length > 0 && [...document.querySelectorAll('#runs-table tr.run-row')].every(r => r.classList.contains('verdict-row-invalid'))");
        Assert.Contains(cli.InvalidId, await Shown());
        Assert.DoesNotContain(cli.ValidId, await Shown());

        await page.SelectOptionAsync("#filter-status", "");
        await page.SelectOptionAsync("#filter-kind", "sweep");
        await page.FillAsync("#filter-text", DashboardFixture.ParetoSweep + " threads=2");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#runs-table tr.run-row').length === 3");
        Assert.Equal(["sweep-0123456789abcdef-3", "sweep-0123456789abcdef-4", "sweep-0123456789abcdef-5"], await Shown());
        Assert.Contains("3 point(s)", await page.TextContentAsync("#runs-table tr.sweep-group"));
        await page.ClickAsync("#filter-clear");

        await page.SelectOptionAsync("#filter-scenario", "Offline");
        await page.SelectOptionAsync("#filter-kind", "cli");
        await page.WaitForFunctionAsync($"() => !!document.querySelector(\"#runs-table tr[data-id='{cli.InvalidId}']\")");
        Assert.All(await page.Locator("#runs-table tr.run-row .label[data-name=scenario]").AllTextContentsAsync(), t => Assert.Equal("scenario Offline", t));
        await page.CheckAsync($"#runs-table input[data-id='{cli.ValidId}']");
        await page.CheckAsync($"#runs-table input[data-id='{cli.InvalidId}']");
        await page.ClickAsync("#compare-button");
        await page.WaitForSelectorAsync("#compare-table");
        Assert.Equal(3, await page.Locator("#compare-table thead th").CountAsync());
        Assert.Equal("differs", await page.GetAttributeAsync("#compare-table tr[data-key='result:headline']", "class"));
        Assert.Equal("differs", await page.GetAttributeAsync("#compare-table tr[data-key='label:mode']", "class"));
        Assert.Null(await page.GetAttributeAsync("#compare-table tr[data-key='label:model']", "class"));
        Assert.Contains("min duration not met", await page.TextContentAsync("#compare-table tr[data-key='result:invalid reason']"));
        Assert.Contains("INVALID", await page.TextContentAsync("#compare-table thead"));
        Assert.True(await page.Locator("#compare-table tr[data-key^='version:']").CountAsync() > 0, "the versions of the runs' scripts are compared");
        // One latency line per run, p50 … p99.9.
        await page.WaitForSelectorAsync("#compare-latency svg polyline");
        Assert.Equal(2, await page.Locator("#compare-latency svg polyline").CountAsync());
        await page.CheckAsync("#only-differences");
        await browser.Shot("dashboard-compare", docs: true);
        Assert.Empty(browser.Problems);
    }

    [ChromiumFact]
    public async Task The_pareto_plot_marks_exactly_the_runs_no_other_run_beats_on_throughput_and_accuracy()
    {
        // The front computed here, independently of the dashboard: a point is on it when no other point is at least
        // as good on both metrics and better on one.
        var points = DashboardFixture.ParetoPoints;
        var front = points.Where(p => !points.Any(o => o != p && o.Throughput >= p.Throughput && o.Accuracy >= p.Accuracy && (o.Throughput > p.Throughput || o.Accuracy > p.Accuracy)))
            .Select(p => (p.Throughput, p.Accuracy)).OrderBy(p => p.Throughput).ToList();
        Assert.Equal(3, front.Count);

        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(fx.Server.Url + "#/runs");
        await page.WaitForSelectorAsync("#runs-table");
        await page.FillAsync("#filter-text", DashboardFixture.ParetoSweep);
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#runs-table tr.run-row').length === {points.Length}");
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#pareto-plot svg circle[data-x]').length === {points.Length}");

        async Task<List<(double X, double Y)>> Circles(string cls) =>
            (await page.Locator($"#pareto-plot svg circle.{cls}").EvaluateAllAsync<string[][]>("cs => cs.map(c => [c.dataset.x, c.dataset.y])"))
            .Select(c => (double.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[1], CultureInfo.InvariantCulture))).OrderBy(p => p.Item1).ToList();
        Assert.Equal(front, await Circles("pareto"));
        Assert.Equal(points.Length - front.Count, (await Circles("point")).Count);
        Assert.Contains("throughput (samples/s)", await page.TextContentAsync("#pareto-plot svg"));
        Assert.Contains("accuracy (%)", await page.TextContentAsync("#pareto-plot svg"));
        await browser.Shot("dashboard-pareto", docs: true);
        Assert.Empty(browser.Problems);
    }

    [ChromiumPipelineFact]
    public async Task A_submission_started_from_the_browser_shows_its_stages_and_ends_with_the_checkers_verdict()
    {
        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(fx.Server.Url + "#/submit");
        await page.WaitForSelectorAsync("#submission-form");
        Assert.True(await page.IsCheckedAsync("#sub-var-fashion-mnist"));
        Assert.True(await page.IsCheckedAsync("#sub-var-offline"));
        // A short test run: LoadGen calls it VALID, the generator packages it, and the checker refuses its duration.
        await page.FillAsync("#sub-test_query_count", "500");
        await page.FillAsync("#sub-submitter", "DashboardTest");
        await browser.Shot("dashboard-submit", docs: true);
        await page.ClickAsync("#submit-button");
        await page.WaitForFunctionAsync("() => location.hash.startsWith('#/run/') || document.querySelector('#submit-message .error')");
        Assert.Null(await page.QuerySelectorAsync("#submit-message .error"));
        await page.WaitForSelectorAsync("#stages li[data-stage=benchmark]");
        Assert.Equal(["benchmark", "generate", "check"], await page.Locator("#stages li").EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.stage)"));
        // Progress as it happens: the stages move on, the benchmark's steps and log stream in.
        await page.WaitForSelectorAsync("#stages li[data-stage=generate][data-status=running], #stages li[data-stage=generate][data-status=succeeded]", new() { Timeout = 180_000 });
        await page.WaitForSelectorAsync("#steps li:has-text('app-mlperf-inference')");
        await page.WaitForSelectorAsync("#verdict", new() { Timeout = 120_000 });
        await page.WaitForSelectorAsync("#run-status [data-status]:not([data-status=running])", new() { Timeout = 60_000 });
        Assert.Equal("false", await page.GetAttributeAsync("#verdict", "data-passed"));
        Assert.Contains("FAIL", await page.TextContentAsync("#verdict h2"));
        Assert.Contains("1 result(s)", await page.TextContentAsync("#verdict-summary"));
        Assert.Contains("[min-duration]", await page.TextContentAsync("#verdict ul.errors"));
        Assert.Equal("succeeded", await page.GetAttributeAsync("#stages li[data-stage=benchmark]", "data-status"));
        Assert.Equal("succeeded", await page.GetAttributeAsync("#stages li[data-stage=generate]", "data-status"));
        Assert.Equal("failed", await page.GetAttributeAsync("#stages li[data-stage=check]", "data-status"));
        Assert.Contains("LoadGen", await page.TextContentAsync("#log")); // the benchmark's log streamed in
        await browser.Shot("dashboard-submission", docs: true);
        Assert.Empty(browser.Problems);
    }

    [ChromiumFact]
    public async Task A_run_is_rerun_with_the_same_inputs_and_deleted_only_after_confirmation()
    {
        var (status, started) = await fx.Post("/api/runs", new JObject { ["script"] = "app-sweep-probe", ["inputs"] = new JObject { ["batch_size"] = "4", ["threads"] = "3" } });
        Assert.True(status == 201, started.ToString());
        var first = (string)started["id"]!;
        await fx.ReadEventsUntilEnd(first, TimeSpan.FromMinutes(1));

        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(fx.Server.Url + "#/run/" + first);
        await page.WaitForSelectorAsync("#run-status [data-status=succeeded]");
        await page.ClickAsync("#rerun-button");
        await page.WaitForFunctionAsync($"() => location.hash.startsWith('#/run/') && location.hash !== '#/run/{first}'");
        var second = (await page.EvaluateAsync<string>("() => location.hash"))["#/run/".Length..];
        await page.WaitForSelectorAsync("#run-status [data-status=succeeded]", new() { Timeout = 60_000 });
        var (_, rerun) = await fx.Get($"/api/runs/{second}");
        Assert.Equal("4", (string?)rerun["inputs"]!["batch_size"]);
        Assert.Equal("3", (string?)rerun["inputs"]!["threads"]);
        Assert.Equal("1090", (string?)rerun["figures"]!["CM_SWEEP_PROBE_SAMPLES_PER_SECOND"]); // 4 * 3 * 1000 / (4 + 7)

        // Dismissed: nothing happens. Accepted: the run and its folder are gone.
        await page.GotoAsync(fx.Server.Url + "#/run/" + first);
        await page.WaitForSelectorAsync("#delete-button");
        void Dismiss(object? _, IDialog d) => d.DismissAsync();
        page.Dialog += Dismiss;
        await page.ClickAsync("#delete-button");
        page.Dialog -= Dismiss;
        Assert.Equal(200, (await fx.Get($"/api/runs/{first}")).Status);
        void Accept(object? _, IDialog d) { Assert.Contains(first, d.Message); d.AcceptAsync(); }
        page.Dialog += Accept;
        await page.ClickAsync("#delete-button");
        await page.WaitForFunctionAsync("() => location.hash === '#/runs'");
        await page.WaitForSelectorAsync("#runs-table");
        Assert.Equal(0, await page.Locator($"#runs-table tr[data-id='{first}']").CountAsync());
        Assert.Equal(1, await page.Locator($"#runs-table tr[data-id='{second}']").CountAsync());
        Assert.Equal(404, (await fx.Get($"/api/runs/{first}")).Status);
        Assert.False(Directory.Exists(Path.Combine(fx.RunsDir, first)));
        Assert.DoesNotContain(browser.Problems, p => !p.Contains($"/api/runs/{first}", StringComparison.Ordinal));
    }
}
