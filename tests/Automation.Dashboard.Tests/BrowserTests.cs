using Microsoft.Playwright;

namespace Automation.Dashboard.Tests;

/// <summary>
/// A real headless chromium (Debian's, driven by Playwright) opens the dashboard, finds a script, starts a run from the
/// form, watches it finish live and visits the other pages, taking screenshots into artifacts/screenshots/.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class BrowserTests(DashboardFixture fx)
{
    public static string ScreenshotDir { get; } = Path.Combine(DashboardFixture.RepoRoot, "artifacts", "screenshots");

    [ChromiumFact]
    public async Task The_dashboard_starts_a_run_from_the_form_and_shows_it_finish()
    {
        Directory.CreateDirectory(ScreenshotDir);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1360, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync(fx.Server.Url);
        await page.FillAsync("#tag-search", "app,mlperf");
        await page.Locator("a", new() { HasText = "app-mlperf-inference" }).First.WaitForAsync();
        await Shot(page, "01-scripts");

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
        await Shot(page, "02-script-form");
        await page.ClickAsync("#run-button");
        // A hash route: no load event, so wait on the address itself (or show the form's error).
        await page.WaitForFunctionAsync("() => location.hash.startsWith('#/run/') || document.querySelector('#run-message .error')");
        Assert.Null(await page.QuerySelectorAsync("#run-message .error"));
        await page.WaitForSelectorAsync("#steps li");
        await Shot(page, "03-run-live");
        await page.WaitForSelectorAsync("#run-status [data-status]:not([data-status=running])", new() { Timeout = 240_000 });
        var status = await page.GetAttributeAsync("#run-status [data-status]", "data-status");
        Assert.True(status == "succeeded", $"run ended {status}: {await page.TextContentAsync("#run-details")}");
        await page.WaitForSelectorAsync("#figures");
        Assert.Contains(pipeline ? "process-mlperf-accuracy" : "detect-os", await page.TextContentAsync("#steps"));
        if (pipeline) await page.WaitForSelectorAsync("text=MLPerf summaries");
        await Shot(page, "04-run-finished");

        await page.ClickAsync("#nav-results");
        await page.WaitForSelectorAsync("h1:text('Results')");
        await Shot(page, "05-results");
        await page.ClickAsync("#nav-cache");
        await page.WaitForSelectorAsync("h1:text('Cache')");
        await Shot(page, "06-cache");
        await page.ClickAsync("#nav-runs");
        await page.WaitForSelectorAsync("h1:text('Runs')");
        await Shot(page, "07-runs");
        // Side by side: the run just made and a seeded one.
        var boxes = page.Locator("table input[type=checkbox]");
        await boxes.Nth(0).CheckAsync();
        await boxes.Nth(1).CheckAsync();
        await page.ClickAsync("#compare-button");
        await page.WaitForSelectorAsync("h1:text('Compare runs')");
        Assert.Equal(3, await page.Locator("table thead th").CountAsync());
        await Shot(page, "08-compare");
        Assert.Empty(problems); // no script errors, no CSP violations
    }

    private static Task Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });
}
