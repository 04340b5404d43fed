using Automation.Cli.Tests;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>Issue 17, item 8: input that made cm spin at 100% CPU or allocate without bound is refused at once.</summary>
public sealed class RunawayInputTests
{
    [Fact]
    public void Item08_default_variations_naming_a_variation_outside_its_group_is_refused()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("dv", """{"alias":"dv","uid":"f000000000000801","tags":["dv"],"variations":{"a":{"group":"g1","default_variations":{"g2":"c"}},"b":{"group":"g2"},"c":{"group":"g3"},"d":{}}}""");
        foreach (var dryRun in new[] { false, true })
            Refusal.AssertClearError(Refusal.Run(ws.Root, dryRun ? ["run", "script", "--tags=dv,_a", "--dry-run"] : ["run", "script", "--tags=dv,_a", "--quiet"]),
                "default_variations of _a in script 'dv' names '_c' for group 'g2', but '_c' is in group 'g3'", "Name a variation of group 'g2' there: _b");
    }

    [Fact]
    public void Item08_a_default_into_no_group_or_through_an_alias_into_another_group_is_refused()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("nogroup", """{"alias":"nogroup","uid":"f000000000000802","tags":["nogroup"],"variations":{"a":{"default_variations":{"g":"plain"}},"plain":{},"b":{"group":"g"}}}""");
        ws.AddScript("viaalias", """{"alias":"viaalias","uid":"f000000000000803","tags":["viaalias"],"variations":{"b":{"group":"g","default":true,"alias":"c"},"c":{"group":"h"}}}""");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=nogroup,_a", "--quiet"), "names '_plain' for group 'g', but '_plain' is in no group");
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=viaalias", "--quiet"), "the default of group 'g' in script 'viaalias' names '_b' for group 'g', but '_b' stands for '_c', which is in group 'h'");
    }

    [Fact]
    public void Item08_a_yaml_billion_laughs_or_merge_bomb_is_refused_with_the_alias_bound()
    {
        using var ws = new TempWorkspace();
        var lines = new List<string> { "alias: lol", "uid: f000000000000804", "tags: [lol]", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++) lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]");
        RecursionTests.WriteMeta(ws, "lol", "meta.yaml", string.Join('\n', lines) + "\n");
        // Mappings expand as lists do: each value an alias of the mapping before.
        var merge = new List<string> { "alias: merges", "uid: f000000000000805", "tags: [merges]", "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}" };
        for (var i = 1; i < 10; i++) merge.Add($"m{i}: &m{i} {{{string.Join(", ", Enumerable.Range(0, 8).Select(k => $"k{k}: *m{i - 1}"))}}}");
        RecursionTests.WriteMeta(ws, "merges", "meta.yaml", string.Join('\n', merge) + "\n");
        // A merge bomb: each mapping merges the one before nine times; flattened it is one key, but flattening it
        // visited 9^11 pairs (minutes of CPU).
        var bomb = new List<string> { "alias: mergebomb", "uid: f000000000000809", "tags: [mergebomb]", "b0: &b0 {k: 1}" };
        for (var i = 1; i < 12; i++) bomb.Add($"b{i}: &b{i} {{<<: [{string.Join(", ", Enumerable.Repeat($"*b{i - 1}", 9))}]}}");
        RecursionTests.WriteMeta(ws, "mergebomb", "meta.yaml", string.Join('\n', bomb) + "\n");

        var find = Refusal.Run(ws.Root, "find", "script");
        Refusal.AssertNoCrash(find);
        Assert.Contains("lol/meta.yaml:", find.Stderr);
        Assert.Contains("merges/meta.yaml:", find.Stderr);
        Assert.Contains("mergebomb/meta.yaml:", find.Stderr);
        Assert.Equal(3, find.Stderr.Split('\n').Count(l => l.Contains("expands to more than 100000 nodes through its aliases")));
        Refusal.AssertClearError(Refusal.Run(ws.Root, "run", "script", "--tags=lol", "--quiet"), "no script has the tag 'lol'");
    }

    [Fact]
    public void Item08_a_meta_larger_than_the_size_bound_is_refused_unread_and_a_second_document_is_refused()
    {
        using var ws = new TempWorkspace();
        RecursionTests.WriteMeta(ws, "huge", "_cm.json", """{"alias":"huge","uid":"f000000000000806","tags":["huge"],"env":{"PAD":" """ + new string('x', 2 << 20) + "\"}}");
        RecursionTests.WriteMeta(ws, "hugeyaml", "meta.yaml", "alias: hugeyaml\nuid: f000000000000807\ntags: [hugeyaml]\nenv:\n" + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"  K{i}: value-{i}\n")));
        RecursionTests.WriteMeta(ws, "docs", "meta.yaml", "alias: docs\nuid: f000000000000808\ntags: [docs]\n---\nalias: other\n---\n" + string.Concat(Enumerable.Repeat("---\n", 10_000)));
        var find = Refusal.Run(ws.Root, "find", "script");
        Refusal.AssertNoCrash(find);
        Assert.Contains("huge/_cm.json: the meta is 2,097,", find.Stderr);
        Assert.Contains("more than the 1,024 KiB a meta may have", find.Stderr);
        Assert.Contains("hugeyaml/meta.yaml: the meta is", find.Stderr);
        Assert.Contains("docs/meta.yaml:4:1: malformed YAML: expected a single document in the stream", find.Stderr);
    }
}
