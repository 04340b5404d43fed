using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>Issue 17, item 10: an option that needs a value never swallows the next flag.</summary>
public sealed class CliParsingTests
{
    private static TempWorkspace WithMarkerScript(out string marker)
    {
        var ws = new TempWorkspace();
        marker = Path.Combine(ws.Root, "ran");
        ws.AddScript("tool", """{"alias":"tool","uid":"f000000000001001","tags":["tool"],"cache":true}""", $"touch {marker}");
        return ws;
    }

    [Fact]
    public void Item10_version_followed_by_dry_run_runs_nothing()
    {
        using var ws = WithMarkerScript(out var marker);
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=tool", "--version", "--dry-run"), "--version needs a value, but the flag '--dry-run' follows it");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=tool", "--version_min", "-j"), "--version_min needs a value, but the flag '-j' follows it");
        Assert.False(File.Exists(marker), "the script ran");
        Assert.Equal(0, ws.CountEntries());
    }

    [Fact]
    public void Item10_cache_dir_followed_by_j_creates_no_folder()
    {
        using var ws = WithMarkerScript(out var marker);
        foreach (var args in new[] { new[] { "run", "script", "--tags=tool", "--cache-dir", "-j" }, ["find", "script", "--cache-dir", "--quiet"], ["cache", "list", "--cache-dir", "-j"] })
            Refusal.AssertClearError(Refusal.Run(ws.Root, args), "--cache-dir needs a value, but the flag");
        Assert.False(File.Exists(marker), "the script ran");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(ws.Root).Select(Path.GetFileName), n => n!.StartsWith('-'));
    }

    [Fact]
    public void Item10_values_are_still_taken_after_a_space_or_an_equals_sign_even_when_they_start_with_a_dash()
    {
        using var ws = WithMarkerScript(out var marker);
        var cache = Path.Combine(ws.Root, "other-cache");
        var spaced = Refusal.Run(ws.Root, "run", "script", "--tags=tool", "--cache-dir", cache, "--quiet", "-j");
        Assert.True(spaced.ExitCode == 0, spaced.All);
        Assert.True(Directory.Exists(cache));
        var dashed = Refusal.Run(ws.Root, "run", "script", "--tags=tool", "--cache-dir=-dashed", "--dry-run");
        Assert.True(dashed.ExitCode == 0, dashed.All);
        Assert.True(File.Exists(marker));
    }
}
