using Automation.Cli.Tests;
using Automation.Core.Meta;
using Newtonsoft.Json.Linq;
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

    [Fact]
    public void Item01_a_key_the_script_writes_with_the_value_its_caller_had_is_still_stored()
    {
        // The caller's value and the script's are equal here; the script made it, so the entry keeps it.
        using var ws = new TempWorkspace();
        ws.AddScript("child", """{"alias":"child","uid":"c0000000000000a3","tags":["child"],"cache":true,"new_env_keys":["X_*"]}""",
            "echo X_RESULT=made >> tmp-run-env.out");
        ws.AddScript("parent", """{"alias":"parent","uid":"c0000000000000a4","tags":["parent"],"env":{"X_RESULT":"made"},"deps":[{"tags":"child"}]}""");

        var parent = ws.Cm("run", "script", "--tags=parent", "--quiet", "-j");
        Assert.True(parent.ExitCode == 0, parent.All);

        var alone = ws.Cm("run", "script", "--tags=child", "--quiet", "-j");
        Assert.True(alone.ExitCode == 0, alone.All);
        var json = JObject.Parse(alone.Stdout);
        Assert.True((bool)json["cached"]!);
        Assert.Equal("made", (string?)json["new_env"]?["X_RESULT"]);
    }

    [Fact]
    public void Item01_an_env_value_from_the_command_line_is_not_stored_in_the_entry()
    {
        using var ws = new TempWorkspace();
        ws.AddScript("child", """{"alias":"child","uid":"c0000000000000a5","tags":["child"],"cache":true,"new_env_keys":["X_*"]}""",
            "echo X_RESULT=made >> tmp-run-env.out");

        var first = ws.Cm("run", "script", "--tags=child", "--env.X_CALLER_MODE=official", "--quiet", "-j");
        Assert.True(first.ExitCode == 0, first.All);
        var alone = ws.Cm("run", "script", "--tags=child", "--quiet", "-j");
        Assert.True(alone.ExitCode == 0, alone.All);

        Assert.True((bool)JObject.Parse(alone.Stdout)["cached"]!);
        Assert.DoesNotContain("X_CALLER_MODE", alone.Stdout);
    }

    /// <summary>Every script we ship with `"cache": true`, read from scripts/*/_cm.json.</summary>
    public static TheoryData<string> CachedScripts() => new(CachedAliases());

    private static List<string> CachedAliases() =>
        Directory.EnumerateFiles(ShippedScripts.Folder, "_cm.json", SearchOption.AllDirectories)
            .Select(meta => JObject.Parse(File.ReadAllText(meta)))
            .Where(o => o.Value<bool?>("cache") == true).Select(o => o.Value<string>("alias")!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Item01_the_list_of_shipped_cached_scripts_is_the_catalogs()
    {
        var listed = CachedAliases();
        Assert.True(listed.Count >= 20, $"only {listed.Count} cached scripts found under {ShippedScripts.Folder}");
        Assert.Equal(new ShippedScriptsInMemory().Cached.Select(s => s.Alias), listed.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// For each cached script we ship: a caller hands down, through its env and through --env, a key matching each of
    /// the script's new_env_keys wildcards and an item for each `+KEY` list; the entry of the script (and of every
    /// cached dep of it) holds none of them. The real executor and the real metas, in memory (ShippedScriptsInMemory).
    /// </summary>
    [Theory]
    [MemberData(nameof(CachedScripts))]
    public async Task Item01_no_key_a_caller_hands_down_lands_in_the_entry_of_a_shipped_cached_script(string alias)
    {
        var scripts = new ShippedScriptsInMemory();
        var meta = scripts.Cached.Single(s => s.Alias == alias);
        foreach (var channel in new[] { "env", "override" })
        {
            var probes = Probes(meta, "caller-probe-" + channel);
            Assert.NotEmpty(probes);
            var empty = new Dictionary<string, string>();
            var cached = await scripts.RunAsync(alias, channel == "env" ? probes : empty, channel == "override" ? probes : empty);

            Assert.Contains(cached, s => s.Script == alias);
            foreach (var step in cached)
                foreach (var (key, value) in step.Outcome.NewEnv)
                {
                    Assert.False(key.Contains("CALLER_PROBE", StringComparison.Ordinal), $"{step.Script}'s entry holds the caller's {key} ({channel})");
                    Assert.False(value.Contains("caller-probe", StringComparison.Ordinal), $"{step.Script}'s entry holds the caller's value in {key}={value} ({channel})");
                }
        }
    }

    /// <summary>
    /// A key for each wildcard of the script's (and its variations') new_env_keys, an item for each +KEY list, and each
    /// exact key the meta does not read as an input (a stub step sets none of them, so the caller's value would pass
    /// through unchanged).
    /// </summary>
    private static Dictionary<string, string> Probes(ScriptMeta meta, string value)
    {
        var patterns = meta.NewEnvKeys.Concat(meta.Variations.Values.SelectMany(v => v.NewEnvKeys)).Where(p => !p.Contains("<<<", StringComparison.Ordinal));
        var read = meta.InputMapping.Values.Concat(meta.DefaultEnv.Keys).Concat(meta.Env.Keys).Concat(meta.CacheKeyEnv)
            .Concat(meta.Variations.Values.SelectMany(v => v.Env.Keys.Concat(v.DefaultEnv.Keys))).ToHashSet(StringComparer.Ordinal);
        var detect = meta.Detect?.ToString() ?? "";
        var probes = new Dictionary<string, string>(StringComparer.Ordinal) { ["CALLER_PROBE_UNRELATED"] = value };
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith('+')) probes[pattern] = "/" + value + "/bin";
            else if (pattern.Contains('*', StringComparison.Ordinal)) probes[pattern.Replace("*", "CALLER_PROBE", StringComparison.Ordinal)] = value;
            else if (!read.Contains(pattern) && !detect.Contains(pattern, StringComparison.Ordinal)) probes[pattern] = value;
        }
        return probes;
    }

    /// <summary>
    /// The issue's own reproduction, offline (LoadGen from the vendored archive; about a minute for its build): an
    /// official-only Offline benchmark first, then a plain one, which must run every scenario with both engines.
    /// </summary>
    [OfficialLoadGenFact]
    public void Item01_after_an_official_offline_benchmark_a_plain_one_still_runs_every_scenario_with_both_engines()
    {
        var cache = Directory.CreateTempSubdirectory("cm-item01-cache-").FullName;
        var results = Directory.CreateTempSubdirectory("cm-item01-results-").FullName;
        try
        {
            string[] offline = [$"--env.CM_MLPERF_LOADGEN_SOURCE={OfficialLoadGenFactAttribute.Archive}", "--cache-dir", cache, "--quiet", "-j"];
            string[] tiny = ["--min_duration_ms=100", "--server_targets=2000,4000", "--offline_expected_qps=100000",
                "--singlestream_expected_latency_ns=10000", "--multistream_expected_latency_ns=20000", "--qsl_size=64"];
            var first = CmProcess.Run(RepoPaths.Root, null, TimeSpan.FromMinutes(10),
                ["run", "script", "--tags=benchmark,mlperf,loadgen,_null-sut,_offline,_loadgen-official", "--min_duration_ms=200", $"--results_dir={Path.Combine(results, "first")}", .. offline]);
            Assert.True(first.ExitCode == 0, first.All);

            var plain = CmProcess.Run(RepoPaths.Root, null, TimeSpan.FromMinutes(5),
                ["run", "script", "--tags=benchmark,mlperf,loadgen", $"--results_dir={Path.Combine(results, "plain")}", .. tiny, .. offline]);
            Assert.True(plain.ExitCode == 0, plain.All);
            var json = JObject.Parse(plain.Stdout);
            var loadgen = ((JArray)json["steps"]!).Single(s => (string?)s["script"] == "get-mlperf-inference-loadgen");
            Assert.True((bool)loadgen["from_cache"]!);
            Assert.Equal("native,official", (string?)json["new_env"]!["CM_MLPERF_LOADGEN_BENCHMARK_ENGINES"]);
            Assert.Equal("Offline,Server,SingleStream,MultiStream", (string?)json["new_env"]!["CM_MLPERF_LOADGEN_BENCHMARK_SCENARIOS"]);
            foreach (var engine in new[] { "native", "official" })
                foreach (var scenario in new[] { "Offline", "SingleStream", "MultiStream" })
                    Assert.True(File.Exists(Path.Combine(results, "plain", engine, scenario, "mlperf_log_summary.txt")), $"{engine}/{scenario}");

            var entry = JObject.Parse(File.ReadAllText(Path.Combine((string)loadgen["dir"]!, "entry.json")));
            Assert.DoesNotContain(((JObject)entry["env"]!).Properties(), p => p.Name.StartsWith("CM_MLPERF_LOADGEN_BENCHMARK_", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var dir in new[] { cache, results })
                try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>A fact skipped, with the reason, where the official LoadGen cannot be built offline (no vendored archive or no toolchain).</summary>
public sealed class OfficialLoadGenFactAttribute : FactAttribute
{
    public static string Archive => Path.Combine(RepoPaths.SharedVendor, "mlperf-inference-loadgen-b66003e.tar.gz");

    public OfficialLoadGenFactAttribute()
    {
        if (!File.Exists(Archive)) Skip = $"needs the vendored official LoadGen {Archive}";
        else if (new[] { "cmake", "g++", "python3" }.FirstOrDefault(t => !OnPath(t)) is { } missing) Skip = $"needs {missing} to build the official LoadGen (apt-get install cmake g++ python3)";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));
}
