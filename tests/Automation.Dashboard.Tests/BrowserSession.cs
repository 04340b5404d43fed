using Microsoft.Playwright;

namespace Automation.Dashboard.Tests;

/// <summary>
/// Headless chromium (Debian's, driven by Playwright) on one page of the dashboard, collecting every console error,
/// page error, CSP violation and HTTP error the page meets. Screenshots go to artifacts/screenshots/, and into docs/
/// when CM_DOCS_SCREENSHOTS=1 (how the pictures of docs/dashboard.md are made).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public static string ScreenshotDir { get; } = Path.Combine(DashboardFixture.RepoRoot, "artifacts", "screenshots");
    public static string DocsDir { get; } = Path.Combine(DashboardFixture.RepoRoot, "docs", "images");
    private static bool UpdateDocs => Environment.GetEnvironmentVariable("CM_DOCS_SCREENSHOTS") == "1";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page)
    {
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
    }

    public IPage Page { get; }
    public List<string> Problems { get; } = [];

    public static async Task<BrowserSession> OpenAsync(int width = 1360, int height = 1000)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        page.SetDefaultTimeout(30_000);
        var session = new BrowserSession(playwright, browser, page);
        page.Console += (_, m) => { if (m.Type == "error") session.Problems.Add(m.Text); };
        page.PageError += (_, e) => session.Problems.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) session.Problems.Add($"{r.Status} {r.Url}"); };
        return session;
    }

    /// <summary>A full-page screenshot; with <paramref name="docs"/> also docs/images/NAME.png when CM_DOCS_SCREENSHOTS=1.</summary>
    public async Task Shot(string name, bool docs = false)
    {
        Directory.CreateDirectory(ScreenshotDir);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });
        if (docs && UpdateDocs)
        {
            Directory.CreateDirectory(DocsDir);
            File.Copy(Path.Combine(ScreenshotDir, name + ".png"), Path.Combine(DocsDir, name + ".png"), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
