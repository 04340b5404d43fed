using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Reliability.Tests.WrongResults;

/// <summary>
/// Issue 17, item 3: cache contents are re-checked. An edited file in an entry, an edited stored env, a corrupted
/// download are never served: reuse compares sizes and times (all hashes with --verify) and rebuilds with a warning;
/// `cm cache verify` hashes everything.
/// </summary>
public sealed class CacheContentTests : IDisposable
{
    private readonly TempWorkspace _ws = new();
    private readonly string _builds = Path.Combine(Path.GetTempPath(), "cm-builds-" + Guid.NewGuid().ToString("N")[..10]);

    public CacheContentTests()
    {
        // Each build appends a line outside the cache, so the tests can count builds.
        _ws.AddScript("make-tool", """{"alias":"make-tool","uid":"c0000000000000b1","tags":["make-tool"],"cache":true,"new_env_keys":["TOOL_*"]}""",
            $"""
            echo built >> '{_builds}'
            printf 'tool v1\n' > tool.txt
            echo "TOOL_PATH=$PWD/tool.txt" >> tmp-run-env.out
            echo "TOOL_FLAVOUR=plain" >> tmp-run-env.out
            """);
    }

    public void Dispose()
    {
        _ws.Dispose();
        File.Delete(_builds);
    }

    private int Builds => File.Exists(_builds) ? File.ReadAllLines(_builds).Length : 0;

    private (CmResult Result, JObject Json) Run(params string[] extra)
    {
        var result = _ws.Cm(["run", "script", "--tags=make-tool", "--quiet", "-j", .. extra]);
        Assert.True(result.ExitCode == 0, result.All);
        return (result, JObject.Parse(result.Stdout));
    }

    private string ToolFile(JObject json) => (string)json["new_env"]!["TOOL_PATH"]!;

    [Fact]
    public void Item03_a_file_edited_in_an_entry_is_not_served_but_rebuilt_with_a_warning()
    {
        var (_, first) = Run();
        var tool = ToolFile(first);
        File.WriteAllText(tool, "tool v1, patched by hand\n");

        var (again, json) = Run();

        Assert.Contains("warning: cache entry", again.Stderr);
        Assert.Contains("tool.txt", again.Stderr);
        Assert.False((bool)json["cached"]!);
        Assert.Equal(2, Builds);
        Assert.Equal("tool v1\n", File.ReadAllText(ToolFile(json)));
        Assert.True((bool)Run().Json["cached"]!);
        Assert.Equal(2, Builds);
    }

    [Fact]
    public void Item03_an_edited_stored_env_is_not_served_but_rebuilt_with_a_warning()
    {
        var (_, first) = Run();
        var entryJson = Path.Combine(Path.GetDirectoryName(ToolFile(first))!, "entry.json");
        File.WriteAllText(entryJson, File.ReadAllText(entryJson).Replace("\"plain\"", "\"poisoned\"", StringComparison.Ordinal));

        var (again, json) = Run();

        Assert.Contains("entry.json", again.Stderr);
        Assert.Equal("plain", (string)json["new_env"]!["TOOL_FLAVOUR"]!);
        Assert.Equal(2, Builds);
    }

    [Fact]
    public void Item03_cm_cache_verify_reports_an_edited_file_and_repair_removes_the_entry()
    {
        var (_, first) = Run();
        Assert.Equal(0, _ws.Cm("cache", "verify").ExitCode);
        var tool = ToolFile(first);
        var time = File.GetLastWriteTimeUtc(tool);
        // Same size, same time: only a hash tells.
        File.WriteAllText(tool, "tool V1\n");
        File.SetLastWriteTimeUtc(tool, time);

        var verify = _ws.Cm("cache", "verify", "-j");
        Assert.Equal(1, verify.ExitCode);
        var problem = Assert.Single((JArray)JObject.Parse(verify.Stdout)["problems"]!);
        Assert.Equal("Modified", (string)problem["kind"]!);
        Assert.Contains("tool.txt", (string)problem["detail"]!);

        // A plain reuse compares sizes and times only; --verify hashes.
        Assert.True((bool)Run().Json["cached"]!);
        var (verified, json) = Run("--verify");
        Assert.Contains("warning: cache entry", verified.Stderr);
        Assert.False((bool)json["cached"]!);
        Assert.Equal(0, _ws.Cm("cache", "verify").ExitCode);
    }

    [Fact]
    public void Item03_a_corrupted_download_is_not_served()
    {
        var source = Path.Combine(_ws.Root, "model.bin");
        File.WriteAllBytes(source, Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
        ShippedScripts.CopyInto(_ws, "download-file");
        string[] args = ["run", "script", "--tags=download,file", "--url=https://example.invalid/model.bin", $"--local_path={source}", "--quiet", "-j"];

        var first = _ws.Cm(args);
        Assert.True(first.ExitCode == 0, first.All);
        var downloaded = (string)JObject.Parse(first.Stdout)["new_env"]!["CM_DOWNLOAD_DOWNLOADED_PATH"]!;
        using (var file = File.OpenWrite(downloaded)) file.SetLength(4000);

        var again = _ws.Cm(args);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("warning: cache entry", again.Stderr);
        Assert.False((bool)JObject.Parse(again.Stdout)["cached"]!);
        Assert.Equal(4096, new FileInfo(downloaded).Length);
    }
}
