namespace Automation.Dashboard.Tests;

/// <summary>
/// A real headless chromium opens the dashboard, finds a script, starts a run from the form, watches it finish live
/// and visits the other pages.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class BrowserTests(DashboardFixture fx)
{
    [ChromiumFact]
    public async Task The_dashboard_starts_a_run_from_the_form_and_shows_it_finish()
    {
        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync(fx.Server.Url + "#/scripts");
        await page.FillAsync("#tag-search", "app,mlperf");
        await page.Locator("a", new() { HasText = "app-mlperf-inference" }).First.WaitForAsync();
        await browser.Shot("dashboard-scripts", docs: true);

        var pipeline = PipelineFactAttribute.Available;
        if (pipeline)
        {
            // The Fashion-MNIST pipeline, variations and an input chosen in the form.
            await page.ClickAsync("a:text-is('app-mlperf-inference')");
            await page.WaitForSelectorAsync("#dep-tree li");
            await page.CheckAsync("#var-submission");
            await page.FillAsync("#input-test_query_count", "2000");
            await page.WaitForSelectorAsync("#dep-tree :text('process-mlperf-accuracy')");
        }
        else
        {
            await page.GotoAsync(fx.Server.Url + "#/script/app-hello-platform");
            await page.WaitForSelectorAsync("#dep-tree li");
        }
        await browser.Shot("dashboard-script-form", docs: pipeline);
        await page.ClickAsync("#run-button");
        // A hash route: no load event, so wait on the address itself (or show the form's error).
        await page.WaitForFunctionAsync("() => location.hash.startsWith('#/run/') || document.querySelector('#run-message .error')");
        Assert.Null(await page.QuerySelectorAsync("#run-message .error"));
        await page.WaitForSelectorAsync("#steps li");
        await browser.Shot("dashboard-run-live", docs: pipeline);
        await page.WaitForSelectorAsync("#run-status [data-status]:not([data-status=running])", new() { Timeout = 240_000 });
        var status = await page.GetAttributeAsync("#run-status [data-status]", "data-status");
        Assert.True(status == "succeeded", $"run ended {status}: {await page.TextContentAsync("#run-details")}");
        await page.WaitForSelectorAsync("#figures");
        Assert.Contains(pipeline ? "process-mlperf-accuracy" : "detect-os", await page.TextContentAsync("#steps"));
        if (pipeline)
        {
            // The headline first: VALID in green, the Offline figure in samples/s, accuracy against resnet's target.
            await page.WaitForSelectorAsync("#mlperf");
            Assert.Equal("valid", await page.GetAttributeAsync("#result-badge", "data-verdict"));
            Assert.Contains("samples/s", await page.TextContentAsync("#headline"));
            Assert.Contains("target ≥ 75.695", await page.TextContentAsync("#accuracy"));
            await page.WaitForSelectorAsync("#run-latency-plot svg polyline");
        }
        await browser.Shot("dashboard-run", docs: pipeline);

        await page.ClickAsync("#nav-results");
        await page.WaitForSelectorAsync("h1:text('Figures and sweeps')");
        await page.WaitForSelectorAsync("#sweeps svg");
        await browser.Shot("dashboard-figures-and-sweeps", docs: true);
        await page.ClickAsync("#nav-cache");
        await page.WaitForSelectorAsync("h1:text('Cache')");
        await browser.Shot("dashboard-cache");
        await page.ClickAsync("#nav-runs");
        await page.WaitForSelectorAsync("#runs-table");
        // Side by side: the two seeded runs.
        await page.CheckAsync($"#runs-table input[data-id='{DashboardFixture.SeedA}']");
        await page.CheckAsync($"#runs-table input[data-id='{DashboardFixture.SeedB}']");
        await page.ClickAsync("#compare-button");
        await page.WaitForSelectorAsync("h1:text('Compare runs')");
        Assert.Equal(3, await page.Locator("#compare-table thead th").CountAsync());
        Assert.Empty(browser.Problems); // no script errors, no CSP violations
    }
}
