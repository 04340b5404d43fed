namespace Automation.Dashboard.Tests;

/// <summary>Runs only where Debian's chromium is installed (or CM_TEST_CHROMIUM names a browser); elsewhere skips and says why.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Executable =>
        new[] { Environment.GetEnvironmentVariable("CM_TEST_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public ChromiumFactAttribute()
    {
        if (Executable is null) Skip = "chromium is not installed (apt-get install chromium, as ./run-tests does when root); the browser test needs a real headless browser.";
    }
}

/// <summary>Runs only where the Fashion-MNIST pipeline can run (Debian's dataset-fashion-mnist, or root to install it).</summary>
public sealed class PipelineFactAttribute : FactAttribute
{
    public static bool Available => Directory.Exists("/usr/share/datasets/fashion-mnist") || Environment.UserName == "root";

    public PipelineFactAttribute()
    {
        if (!Available) Skip = "the Debian package dataset-fashion-mnist is not installed and this user cannot install it (run ./run-tests as root).";
    }
}

/// <summary>A browser test that also runs the Fashion-MNIST pipeline: skips, saying why, unless both can run.</summary>
public sealed class ChromiumPipelineFactAttribute : FactAttribute
{
    public ChromiumPipelineFactAttribute()
    {
        if (ChromiumFactAttribute.Executable is null) Skip = new ChromiumFactAttribute().Skip;
        else if (!PipelineFactAttribute.Available) Skip = new PipelineFactAttribute().Skip;
    }
}
