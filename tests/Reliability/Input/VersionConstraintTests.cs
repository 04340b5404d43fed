using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>Issue 17, item 6: a version constraint no version can meet is refused with one line, before anything runs.</summary>
public sealed class VersionConstraintTests
{
    private const string Tool = """{"alias":"tool","uid":"f000000000000601","tags":["tool"],"cache":true}""";

    [Theory]
    [InlineData("--version_min=zzz", "version_min 'zzz' (asked by the command line) is not a version")]
    [InlineData("--version_max=latest", "version_max 'latest' (asked by the command line) is not a version")]
    [InlineData("--version_min=2.0|--version_max=1.5", "version_min '2.0' (asked by the command line) is above version_max '1.5'")]
    [InlineData("--version=1.0|--version_min=2", "version '1.0' (asked by the command line) is outside the range >= 2")]
    [InlineData("--version=3.1|--version_max=3.0.9", "version '3.1' (asked by the command line) is outside the range <= 3.0.9")]
    public void Item06_a_command_line_constraint_no_version_can_meet_is_refused_with_one_line(string flags, string expected)
    {
        using var ws = new TempWorkspace();
        var marker = Path.Combine(ws.Root, "ran");
        ws.AddScript("tool", Tool, $"touch {marker}");
        foreach (var dryRun in new[] { false, true })
        {
            var args = new List<string> { "run", "script", "--tags=tool", "--quiet" };
            args.AddRange(flags.Split('|'));
            if (dryRun) args.Add("--dry-run");
            var result = Refusal.Run(ws.Root, [.. args]);
            Refusal.AssertClearError(result, expected, "Script 'tool'");
        }
        Assert.False(File.Exists(marker), "the script ran");
        Assert.Equal(0, ws.CountEntries());
    }

    [Theory]
    [InlineData("\"version_min\":\"zzz\"", "version_min 'zzz' (asked by 'app' (dep tool)) is not a version")]
    [InlineData("\"version_min\":\"3.0\",\"version_max\":\"2.0\"", "version_min '3.0' (asked by 'app' (dep tool)) is above version_max '2.0'")]
    public void Item06_a_dep_constraint_no_version_can_meet_is_refused_naming_the_caller(string constraint, string expected)
    {
        using var ws = new TempWorkspace();
        var marker = Path.Combine(ws.Root, "ran");
        ws.AddScript("tool", Tool, $"touch {marker}");
        ws.AddScript("app", $$"""{"alias":"app","uid":"f000000000000602","tags":["app"],"deps":[{"tags":"tool",{{constraint}}}]}""", $"touch {marker}");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=app", "--quiet"), expected);
        Assert.False(File.Exists(marker), "a script ran");
    }

    [Fact]
    public void Item06_constraints_some_version_meets_still_run()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("tool", Tool, "true");
        var result = Refusal.Run(ws.Root, "run", "script", "--tags=tool", "--quiet", "--version_min=1.2", "--version_max=v1.2.0", "--version=1.2");
        Assert.True(result.ExitCode == 0, result.All);
    }
}
