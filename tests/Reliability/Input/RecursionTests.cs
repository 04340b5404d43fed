using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>Issue 17, item 7: every recursion is bounded; input that recursed until the stack overflowed is a clear error.</summary>
public sealed class RecursionTests
{
    [Fact]
    public void Item07_a_variation_alias_cycle_is_refused_with_the_cycle()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("va", """{"alias":"va","uid":"f000000000000701","tags":["va"],"variations":{"x":{"alias":"y"},"y":{"alias":"z"},"z":{"alias":"x"}}}""");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=va,_x", "--quiet"), "variation aliases of script 'va' form a cycle: _x -> _y -> _z -> _x", "va/_cm.json");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=va,_y", "--dry-run"), "form a cycle: _y -> _z -> _x -> _y");
        var show = Refusal.Run(ws.Root, "show", "script", "va,_z");
        Refusal.AssertNoCrash(show);
        Assert.Contains("no dependency tree: the variation aliases of script 'va' form a cycle: _z -> _x -> _y -> _z", show.Stdout);
    }

    [Fact]
    public void Item07_a_script_depending_on_itself_with_a_changing_env_stops_at_the_depth_limit_with_the_chain()
    {
        using var ws = new TempWorkspace();
        var marker = Path.Combine(ws.Root, "ran");
        ws.AddScript("self", """{"alias":"self","uid":"f000000000000702","tags":["self"],"deps":[{"tags":"self","env":{"N":"x<<<N>>>"}}]}""", $"touch {marker}");
        foreach (var dryRun in new[] { false, true })
        {
            var result = Refusal.Run(ws.Root, dryRun ? ["run", "script", "--tags=self", "--dry-run"] : ["run", "script", "--tags=self", "--quiet"]);
            Refusal.AssertClearError(result, "dependency chain deeper than 100 calls: self -> self", "'self' 100 times", "self/_cm.json");
        }
        Assert.False(File.Exists(marker), "the script ran");
    }

    [Fact]
    public void Item07_two_scripts_calling_each_other_with_a_changing_env_stop_at_the_depth_limit()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("ping", """{"alias":"ping","uid":"f000000000000703","tags":["ping"],"deps":[{"tags":"pong","env":{"N":"i<<<N>>>"}}]}""");
        ws.AddScript("pong", """{"alias":"pong","uid":"f000000000000704","tags":["pong"],"deps":[{"tags":"ping","env":{"N":"o<<<N>>>"}}]}""");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=ping", "--quiet"), "deeper than 100 calls: ping -> pong -> ping", "'ping' 50 times", "'pong' 50 times");
    }

    /// <summary>The prediction cannot see this chain (the dep is decided by what a dep's run script writes): the run's own bound ends it.</summary>
    [Fact]
    public void Item07_a_chain_decided_at_run_time_stops_at_the_depth_limit_of_the_run()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("setter", """{"alias":"setter","uid":"f000000000000705","tags":["setter"],"cache":true,"new_env_keys":["X_GO"]}""", "echo X_GO=yes >> tmp-run-env.out");
        ws.AddScript("again", """{"alias":"again","uid":"f000000000000706","tags":["again"],"deps":[{"tags":"setter"},{"tags":"again","enable_if_env":{"X_GO":["yes"]},"env":{"N":"x<<<N>>>"}}]}""");
        var plan = Refusal.Run(ws.Root, "run", "script", "--tags=again", "--dry-run");
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("decided at run time", plan.All);
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=again", "--quiet"), "dependency chain deeper than 100 calls: again -> again", "'again' 100 times");
    }

    [Fact]
    public void Item07_a_recursive_yaml_alias_and_deep_nesting_skip_the_meta_with_a_warning()
    {
        using var ws = new TempWorkspace();
        WriteMeta(ws, "rec", "meta.yaml", "alias: rec\nuid: f000000000000707\ntags: [rec]\nenv: &e\n  X: *e\n");
        WriteMeta(ws, "merge", "meta.yaml", "alias: merge\nuid: f000000000000708\ntags: [merge]\nenv: &e\n  <<: *e\n");
        WriteMeta(ws, "flow", "meta.yaml", "alias: flow\nuid: f000000000000709\ntags: [flow]\nstate: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        WriteMeta(ws, "block", "meta.yaml", "alias: block\nuid: f00000000000070a\ntags: [block]\nstate:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', 2 * i + 2) + $"k{i}:\n")));
        WriteMeta(ws, "mid", "meta.yaml", "alias: mid\nuid: f00000000000070b\ntags: [mid]\nstate: " + string.Concat(Enumerable.Repeat("{a: ", 100)) + "1" + new string('}', 100) + "\n");
        WriteMeta(ws, "json", "_cm.json", """{"alias":"json","uid":"f00000000000070c","tags":["json"],"state":""" + new string('[', 100_000) + new string(']', 100_000) + "}");
        ws.AddScript("fine", """{"alias":"fine","uid":"f00000000000070d","tags":["fine"]}""");

        var find = Refusal.Run(ws.Root, "find", "script");
        Refusal.AssertNoCrash(find);
        Assert.True(find.ExitCode == 0, find.All);
        Assert.Contains("fine", find.Stdout);
        Assert.Contains("rec/meta.yaml:5:6: malformed YAML: alias 'e' refers to a node that contains it", find.Stderr);
        Assert.Contains("merge/meta.yaml:5:7: malformed YAML: alias 'e' refers to a node that contains it", find.Stderr);
        foreach (var deep in new[] { "flow/meta.yaml", "block/meta.yaml", "mid/meta.yaml" })
            Assert.Matches($@"{deep}:\d+:\d+: malformed YAML: nested deeper than 64 levels", find.Stderr);
        Assert.Contains("json/_cm.json:1:", find.Stderr);
        Assert.Contains("MaxDepth of 64", find.Stderr);
        foreach (var tag in new[] { "rec", "merge", "flow", "block", "mid", "json" })
            Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", $"--tags={tag}", "--quiet"), $"no script has the tag '{tag}'");
    }

    internal static void WriteMeta(TempWorkspace ws, string folder, string name, string text)
    {
        var dir = Path.Combine(ws.Root, "scripts", folder);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name), text);
    }
}
