using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.WrongResults;

/// <summary>Issue 17, item 1: a cache entry holds only what its script produced, never its caller's keys.</summary>
public sealed class InheritedEnvTests
{
    [Fact]
    public void Item01_a_cached_child_run_alone_does_not_return_the_key_its_caller_set()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("child", """{"alias":"child","uid":"c0000000000000a1","tags":["child"],"cache":true,"new_env_keys":["X_*"]}""",
            "echo X_RESULT=made >> tmp-run-env.out");
        ws.AddScript("parent", """{"alias":"parent","uid":"c0000000000000a2","tags":["parent"],"env":{"X_CALLER_MODE":"official"},"deps":[{"tags":"child"}],"new_env_keys":["X_*"]}""");

        var parent = ws.Cm("run", "script", "--tags=parent", "--quiet", "-j");
        Assert.True(parent.ExitCode == 0, parent.All);
        Assert.Contains("X_CALLER_MODE", parent.Stdout);

        var alone = ws.Cm("run", "script", "--tags=child", "--quiet", "-j");
        Assert.True(alone.ExitCode == 0, alone.All);
        Assert.Contains("X_RESULT", alone.Stdout);
        Assert.DoesNotContain("X_CALLER_MODE", alone.Stdout);
        Assert.Equal(1, ws.CountEntries());
    }
}
