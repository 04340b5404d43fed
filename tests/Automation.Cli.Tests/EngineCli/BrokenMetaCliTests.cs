using Xunit;

namespace Automation.Cli.Tests.EngineCli;

/// <summary>One meta that cannot be read among many good ones never stops the catalog (issue #14).</summary>
public sealed class BrokenMetaCliTests : IDisposable
{
    private readonly TempWorkspace ws = new();

    public void Dispose() => ws.Dispose();

    private static List<string> Warnings(CmResult r) => r.Stderr.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void A_broken_meta_among_300_gives_299_scripts_one_warning_with_file_line_col_and_exit_0()
    {
        for (var i = 0; i < 300; i++)
        {
            var alias = $"get-tool-{i:D3}";
            if (i % 2 == 0) ws.AddScript(alias, $$"""{"alias":"{{alias}}","uid":"{{i:D16}}","tags":["get","tool","t{{i}}"],"new_env_keys":["CM_TOOL_*"]}""", "echo CM_TOOL_RAN=yes > tmp-run-env.out");
            else
            {
                var dir = Path.Combine(ws.Root, "scripts", alias);
                Directory.CreateDirectory(dir);
                // MLC's layout: meta.yaml; number 123 has a flow sequence that is never closed.
                File.WriteAllText(Path.Combine(dir, "meta.yaml"), i == 123
                    ? $"alias: {alias}\nuid: {i:D16}\ntags: [get, tool,\n  t{i}\ncache: false\n"
                    : $"alias: {alias}\nuid: {i:D16}\ntags:\n- get\n- tool\n- t{i}\ncache: no\n");
            }
        }
        var bad = Path.Combine(ws.Root, "scripts", "get-tool-123", "meta.yaml");

        var first = ws.Cm("find", "script", "--tags=get,tool");
        var indexed = ws.Cm("find", "script", "--tags=get,tool");
        var show = ws.Cm("show", "script", "get-tool-122");
        var run = ws.Cm("run", "script", "--tags=get,tool,t122", "-j");

        foreach (var r in new[] { first, indexed, show, run })
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
            var warning = Assert.Single(Warnings(r));
            Assert.StartsWith($"warning: {bad}:5:1: malformed YAML: ", warning);
            Assert.EndsWith("; the script is skipped", warning.TrimEnd());
        }
        Assert.Equal(299, first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(first.Stdout, indexed.Stdout);
        Assert.DoesNotContain("get-tool-123", first.Stdout);
        Assert.Contains("CM_TOOL_RAN", run.Stdout);
    }
}

/// <summary>What PyYAML accepts silently is said only with --verbose.</summary>
public sealed class VerboseMetaWarningCliTests : IDisposable
{
    private readonly TempWorkspace ws = new();

    public void Dispose() => ws.Dispose();

    [Fact]
    public void A_duplicate_key_takes_the_last_value_and_is_reported_only_with_verbose()
    {
        var dir = Path.Combine(ws.Root, "scripts", "get-dup");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "meta.yaml"), "alias: get-dup\nuid: d1\ntags: [get, first]\ncache: false\ntags: [get, dup]\n");

        var quiet = ws.Cm("find", "script", "--tags=get,dup");
        var verbose = ws.Cm("find", "script", "--tags=get,dup", "--verbose");

        Assert.Equal(0, quiet.ExitCode);
        Assert.StartsWith("get-dup ", quiet.Stdout);
        Assert.DoesNotContain("warning:", quiet.Stderr);
        Assert.Contains($"warning: {Path.Combine(dir, "meta.yaml")}:5:1: duplicate key 'tags' (first at line 3); the last one wins, as in PyYAML", verbose.Stderr);
    }
}
