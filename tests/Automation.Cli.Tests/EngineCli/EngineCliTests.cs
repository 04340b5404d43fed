using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.EngineCli;

/// <summary>The core engine through the real cm process: runs, cache reuse, dry-run, JSON, env rules.</summary>
public sealed class EngineCliTests : IDisposable
{
    private readonly TempWorkspace ws = new();

    public EngineCliTests()
    {
        ws.AddScript("get-thing", """
            {"alias":"get-thing","uid":"1111111111111111","tags":["get","thing"],"cache":true,
             "default_env":{"CM_THING_FLAVOUR":"plain"},
             "variations":{"shiny":{"env":{"CM_THING_FLAVOUR":"shiny"}}},
             "new_env_keys":["CM_THING_*"],"validate_env_paths":["CM_THING_FILE"]}
            """, """
            n=$(cat "$CM_TMP_CURRENT_PATH/runs.txt" 2>/dev/null || echo 0); echo $((n+1)) > "$CM_TMP_CURRENT_PATH/runs.txt"
            echo made > thing.txt
            echo "CM_THING_FILE=$PWD/thing.txt" > tmp-run-env.out
            echo "CM_THING_FLAVOUR_SEEN=$CM_THING_FLAVOUR" >> tmp-run-env.out
            echo "CM_IGNORED=1" >> tmp-run-env.out
            """);
        ws.AddScript("app-use-thing", """
            {"alias":"app-use-thing","uid":"2222222222222222","tags":["app","use-thing"],
             "deps":[{"tags":"get,thing","names":["thing"]}],
             "input_mapping":{"greeting":"CM_GREETING"},
             "new_env_keys":["CM_APP_*"]}
            """, """
            echo "CM_APP_SAW=$CM_THING_FLAVOUR_SEEN:$(cat $CM_THING_FILE):${CM_GREETING:-none}:${CM_EXTRA:-}" > tmp-run-env.out
            """);
    }

    public void Dispose() => ws.Dispose();

    private int Runs() => File.Exists(Path.Combine(ws.Root, "runs.txt")) ? int.Parse(File.ReadAllText(Path.Combine(ws.Root, "runs.txt")).Trim()) : 0;

    [Fact]
    public void RunsChainAndFiltersExportsByNewEnvKeys()
    {
        var r = ws.Cm("run", "script", "--tags=app,use-thing", "--greeting=hi", "--env.CM_EXTRA=x", "-j");
        Assert.True(r.ExitCode == 0, r.All);
        var json = JObject.Parse(r.Stdout);
        Assert.Equal("plain:made:hi:x", (string?)json["new_env"]!["CM_APP_SAW"]);
        Assert.Null(json["new_env"]!["CM_IGNORED"]);
        Assert.Null(json["env"]!["CM_IGNORED"]);
    }

    [Fact]
    public void AMetaEditedAfterTheCatalogIndexWasWrittenIsSeen()
    {
        // Metas older than the index's racy window are indexed on the first run.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(ws.Root, "scripts"), "_cm.json", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(0, ws.Cm("find", "script", "--tags=thing").ExitCode);
        Assert.True(File.Exists(Path.Combine(ws.Cache, ".catalog-index")));

        var meta = Path.Combine(ws.Root, "scripts", "get-thing", "_cm.json");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace("\"thing\"]", "\"thing\",\"renamed\"]"));
        var r = ws.Cm("run", "script", "--tags=get,renamed", "-j");

        Assert.True(r.ExitCode == 0, r.All);
    }

    [Fact]
    public void ARunServedWhollyFromTheCacheLeavesNoHistoryRecord()
    {
        var first = JObject.Parse(ws.Cm("run", "script", "get thing", "-j").Stdout);
        Assert.True(File.Exists((string)first["record"]!));
        var second = JObject.Parse(ws.Cm("run", "script", "get thing", "-j").Stdout);

        Assert.True((bool)second["cached"]!);
        Assert.Equal(JTokenType.Null, second["record"]!.Type);
        Assert.Single(Directory.GetFiles(Path.Combine(ws.Cache, ".records"), "*.json"));
    }

    [Fact]
    public void OnlyTheInvokedTopLevelCommandIsBuilt()
    {
        foreach (var (name, create) in Program.Commands(new Commands.GlobalOptions())) Assert.Equal(name, create().Name);
        Assert.Equal(["cache"], Program.BuildRoot(["cache", "list", "-j"]).Subcommands.Select(c => c.Name));
        Assert.Equal(Program.Commands(new Commands.GlobalOptions()).Count, Program.BuildRoot(["--help"]).Subcommands.Count);
        Assert.Equal(Program.Commands(new Commands.GlobalOptions()).Count, Program.BuildRoot(["nosuchcommand"]).Subcommands.Count);
    }

    [Fact]
    public void SecondRunIsServedFromCacheWithoutRunningTheScript()
    {
        Assert.Equal(0, ws.Cm("run", "script", "get thing", "-j").ExitCode);
        var second = ws.Cm("run", "script", "get thing", "-j");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(1, Runs());
        Assert.True((bool)JObject.Parse(second.Stdout)["cached"]!);
        Assert.Equal(1, ws.CountEntries());
    }

    [Fact]
    public void VariationsGetTheirOwnEntry()
    {
        Assert.Equal(0, ws.Cm("run", "script", "--tags=get,thing,_shiny", "-j").ExitCode);
        var plain = ws.Cm("run", "script", "--tags=get,thing", "-j");
        Assert.Equal("plain", (string?)JObject.Parse(plain.Stdout)["new_env"]!["CM_THING_FLAVOUR_SEEN"]);
        Assert.Equal(2, ws.CountEntries());
    }

    [Fact]
    public void StaleEntryIsRebuiltWhenItsFileVanishes()
    {
        var first = JObject.Parse(ws.Cm("run", "script", "--tags=app,use-thing", "-j").Stdout);
        var thingDir = (string)first["steps"]!.First(s => (string?)s["script"] == "get-thing")!["dir"]!;
        File.Delete(Path.Combine(thingDir, "thing.txt"));
        var again = ws.Cm("run", "script", "--tags=app,use-thing", "-j");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(2, Runs());
        Assert.True(File.Exists(Path.Combine(thingDir, "thing.txt")));
    }

    [Fact]
    public void DryRunPrintsTreeAndRunsNothing()
    {
        var r = ws.Cm("run", "script", "--tags=app,use-thing", "--dry-run");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("app-use-thing", r.Stdout);
        Assert.Contains("└── get-thing (will run and cache)", r.Stdout);
        Assert.Equal(0, Runs());
        Assert.Equal(0, ws.CountEntries());
        ws.Cm("run", "script", "--tags=get,thing");
        Assert.Contains("get-thing (cached)", ws.Cm("run", "script", "--tags=app,use-thing", "--dry-run").Stdout);
    }

    [Fact]
    public void JsonGoesToStdoutAndScriptOutputToStderr()
    {
        ws.AddScript("noisy", """{"alias":"noisy","uid":"3333333333333333","tags":["noisy"],"new_env_keys":["CM_N"]}""", "echo chatter; echo CM_N=1 > tmp-run-env.out");
        var r = ws.Cm("run", "script", "noisy", "-j");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("chatter", r.Stdout);
        Assert.Equal("1", (string?)JObject.Parse(r.Stdout)["new_env"]!["CM_N"]);
        var plain = ws.Cm("run", "script", "noisy");
        Assert.Contains("chatter", plain.Stderr);
    }

    [Fact]
    public void AdrChangesANamedDepsTags()
    {
        var r = ws.Cm("run", "script", "--tags=app,use-thing", "--adr.thing.tags=_shiny", "-j");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.StartsWith("shiny:", (string)JObject.Parse(r.Stdout)["new_env"]!["CM_APP_SAW"]!);
    }

    [Fact]
    public void ScriptRootsFromCmScriptPathAreSearched()
    {
        var extra = Path.Combine(ws.Root, "mine");
        Directory.CreateDirectory(Path.Combine(extra, "my-tool"));
        File.WriteAllText(Path.Combine(extra, "my-tool", "_cm.json"), """{"alias":"my-tool","uid":"4444444444444444","tags":["my","tool"],"new_env_keys":["CM_MY"]}""");
        File.WriteAllText(Path.Combine(extra, "my-tool", "run.sh"), "echo CM_MY=ok > tmp-run-env.out\n");
        var r = ws.Cm(new Dictionary<string, string> { ["CM_SCRIPT_PATH"] = extra }, "run", "script", "--tags=my,tool", "-j");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Equal("ok", (string?)JObject.Parse(r.Stdout)["new_env"]!["CM_MY"]);
    }

    [Fact]
    public void WorkspaceIsFoundFromASubdirectory()
    {
        var sub = Directory.CreateDirectory(Path.Combine(ws.Root, "deep", "er")).FullName;
        var r = CmProcess.Run(sub, "find", "script", "--tags=get,thing");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("get-thing", r.Stdout);
    }

    [Fact]
    public void RunScriptHelpWithTagsDescribesThatScript()
    {
        var r = CmProcess.Run(RepoPaths.Root, "run", "script", "--tags=app,mlperf,inference", "--help");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.StartsWith("app-mlperf-inference (", r.Stdout);
        Assert.Matches(@"--target_qps\s+→ CM_MLPERF_LOADGEN_TARGET_QPS: Expected/target QPS", r.Stdout);
        Assert.Contains("scenario: _all-scenarios  _multistream  *_offline  _server  _singlestream", r.Stdout);
        Assert.Matches(@"mode: .*_find-performance .*\*_performance-only .*_submission", r.Stdout);
        Assert.Contains("CM_MLPERF_BATCH_SIZE = 32", r.Stdout);
        Assert.DoesNotContain("detect-os (ran", r.All);
    }

    [Fact]
    public void CacheCommandsListShowRemoveVerify()
    {
        ws.Cm("run", "script", "--tags=get,thing");
        var list = JArray.Parse(ws.Cm("cache", "list", "-j").Stdout);
        Assert.Single(list);
        var key = (string)list[0]["key"]!;
        var show = JObject.Parse(ws.Cm("cache", "show", key[..8]).Stdout);
        Assert.Equal("get-thing", (string?)show["script"]);
        // CM's word order, `cm show cache KEY`, is the same command.
        Assert.Equal(show.ToString(), JObject.Parse(ws.Cm("show", "cache", key[..8]).Stdout).ToString());
        Assert.Equal(0, ws.Cm("cache", "verify").ExitCode);
        Assert.Equal(0, ws.Cm("cache", "rm", "--tags=get,thing").ExitCode);
        Assert.Empty(JArray.Parse(ws.Cm("cache", "list", "-j").Stdout));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "script", "--help")]
    [InlineData("find", "script", "--help")]
    [InlineData("show", "script", "--help")]
    [InlineData("cache", "list", "--help")]
    [InlineData("cache", "rm", "--help")]
    [InlineData("cache", "verify", "--help")]
    [InlineData("cache", "show", "--help")]
    [InlineData("--version")]
    public void HelpAndVersionWork(params string[] args)
    {
        var r = ws.Cm(args);
        Assert.Equal(0, r.ExitCode);
        Assert.NotEmpty(r.Stdout);
    }

    [Fact]
    public async Task EightSimultaneousRunsProduceOneEntryAndAllSucceed()
    {
        ws.AddScript("slow-thing", """{"alias":"slow-thing","uid":"5555555555555555","tags":["slow","thing"],"cache":true,"new_env_keys":["CM_SLOW"]}""",
            """
            echo x >> "$CM_TMP_CURRENT_PATH/slow-runs.txt"
            sleep 1
            echo CM_SLOW=done > tmp-run-env.out
            """);
        var processes = Enumerable.Range(0, 8).Select(_ =>
        {
            var p = Process.Start(CmProcess.StartInfo(ws.Root, ["run", "script", "--tags=slow,thing", "-j"]))!;
            p.StandardInput.Close();
            return (p, stdout: p.StandardOutput.ReadToEndAsync(), stderr: p.StandardError.ReadToEndAsync());
        }).ToList();
        foreach (var (p, stdout, stderr) in processes)
        {
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.True(p.ExitCode == 0, await stderr);
            Assert.Equal("done", (string?)JObject.Parse(await stdout)["new_env"]!["CM_SLOW"]);
        }
        Assert.Single(File.ReadAllLines(Path.Combine(ws.Root, "slow-runs.txt")));
        Assert.Equal(1, ws.CountEntries());
    }

    [Fact]
    public void KilledRunLeavesNoEntryThatLooksValid()
    {
        ws.AddScript("hang-thing", """{"alias":"hang-thing","uid":"6666666666666666","tags":["hang","thing"],"cache":true,"new_env_keys":["CM_H"]}""",
            """
            if [ ! -f "$CM_TMP_CURRENT_PATH/second" ]; then touch "$CM_TMP_CURRENT_PATH/started"; sleep 60; fi
            echo CM_H=ok > tmp-run-env.out
            """);
        var p = Process.Start(CmProcess.StartInfo(ws.Root, ["run", "script", "--tags=hang,thing", "--quiet"]))!;
        var started = Path.Combine(ws.Root, "started");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(started) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(File.Exists(started));
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        Assert.Equal(0, ws.CountEntries());
        Assert.Empty(JArray.Parse(ws.Cm("cache", "list", "-j").Stdout));
        File.WriteAllText(Path.Combine(ws.Root, "second"), "");
        var again = ws.Cm("run", "script", "--tags=hang,thing", "-j");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(1, ws.CountEntries());
    }

    [Fact]
    public async Task ParallelRunsOfOneUncachedStepDoNotShareAWorkFolder()
    {
        ws.AddScript("uncached-slow", """{"alias":"uncached-slow","uid":"8888888888888888","tags":["uncached","slow"],"new_env_keys":["CM_U"]}""",
            """
            echo mine > marker.txt
            sleep 1
            [ "$(cat marker.txt)" = mine ] && [ -f marker.txt ]
            echo CM_U=$PWD > tmp-run-env.out
            """);
        var runs = Enumerable.Range(0, 3).Select(_ => Task.Run(() => ws.Cm("run", "script", "--tags=uncached,slow", "-j"))).ToList();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Equal(3, results.Select(r => (string?)JObject.Parse(r.Stdout)["new_env"]!["CM_U"]).Distinct().Count());
    }
}
