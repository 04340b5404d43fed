using Automation.Core.Execution;
using Automation.Core.Resolution;
using Xunit;

namespace Automation.Core.Tests.Execution;

/// <summary>CM's run order for one script and its deps decided at run time, on the real executor over in-memory seams.</summary>
public sealed class ExecutorOrderTests
{
    private static InMemoryEngine Leaf(InMemoryEngine e, string alias, bool cache = false, string exports = "[]") =>
        e.Script($$"""{"alias":"{{alias}}","uid":"{{alias}}","tags":["{{alias}}"],"cache":{{(cache ? "true" : "false")}},"new_env_keys":{{exports}}}""", _ => { });

    [Fact]
    public async Task OneScriptRunsInCmsOrder()
    {
        var e = new InMemoryEngine();
        foreach (var leaf in new[] { "dep", "prehook", "posthook", "post" }) Leaf(e, leaf);
        e.Script("""
            {"alias":"app","uid":"app","tags":["app"],
             "deps":[{"tags":"dep"}],"prehook_deps":[{"tags":"prehook"}],"posthook_deps":[{"tags":"posthook"}],"post_deps":[{"tags":"post"}]}
            """, _ => { }, "predeps", "preprocess", "postprocess", "detect_version");
        // detect_version is CM's callback for its version helpers, never a step of the run.

        await e.RunAsync("app");

        Assert.Equal([
            "app: predeps", "dep: run.sh", "app: preprocess", "prehook: run.sh", "app: run.sh",
            "posthook: run.sh", "app: postprocess", "post: run.sh",
        ], e.Log);
    }

    [Fact]
    public async Task EnableIfEnvIsDecidedWithTheEnvAnEarlierDepExported()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"probe","uid":"p","tags":["probe"],"new_env_keys":["CM_PROBE_*"]}""", r => r.Export(("CM_PROBE_HAS_GPU", "yes")));
        Leaf(e, "gpu-setup");
        e.Script("""
            {"alias":"app","uid":"app","tags":["app"],
             "deps":[{"tags":"probe"},{"tags":"gpu-setup","enable_if_env":{"CM_PROBE_HAS_GPU":["yes"]}}]}
            """);

        var plan = e.Predict("app");
        var predicted = Assert.Single(plan.Root.Deps, d => d.Node.Script.Alias == "gpu-setup");
        Assert.True(predicted.Skipped);
        Assert.Equal("decided at run time: CM_PROBE_HAS_GPU", predicted.DecidedAtRunTime);

        var run = await e.RunAsync("app");
        Assert.Equal(["probe: run.sh", "gpu-setup: run.sh"], e.Log);
        Assert.Equal(["probe", "gpu-setup"], run.Executed!.Root.Deps.Select(d => d.Node.Script.Alias));
    }

    [Fact]
    public async Task PreprocessChangesTheEnvThatDecidesPrehookDepsAndTheirTags()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"backend","uid":"b2","tags":["backend"],"variations":{"onnx":{"env":{"CM_B":"onnx"}},"tf":{"env":{"CM_B":"tf"}}},"new_env_keys":["CM_B"]}""", _ => { });
        e.Script("""
            {"alias":"app","uid":"app","tags":["app"],
             "prehook_deps":[{"tags":"backend","update_tags_from_env_with_prefix":{"_":["CM_APP_BACKEND"]}}]}
            """, _ => { }, "preprocess");
        e.Hook("app", "preprocess", call => { call.Env["CM_APP_BACKEND"] = "tf"; return HookResult.Done; }, "CM_APP_BACKEND");

        var plan = e.Predict("app");
        Assert.Contains("CM_APP_BACKEND", plan.Root.Deps.Single().DecidedAtRunTime);
        Assert.Equal(["preprocess"], plan.Root.Hooks);

        var run = await e.RunAsync("app");
        Assert.Equal("tf", run.Steps.Single(s => s.Script == "backend").Outcome.NewEnv["CM_B"]);
        Assert.Equal(["tf"], run.Executed!.Root.Deps.Single().Node.Variations);
    }

    [Fact]
    public async Task ACycleThatTheRunBreaksIsOnlyANoteInThePredictionAndNoErrorAtRunTime()
    {
        // get-gcc's post_deps reach get-compiler-flags, whose 'get,compiler' dep would lead back to get-gcc unless
        // get-gcc has already set CM_C_COMPILER_BIN: a static planner sees a cycle, CM (and we) do not.
        var e = new InMemoryEngine();
        e.Script("""{"alias":"get-gcc","uid":"g","tags":["get","gcc","compiler"],"cache":true,"new_env_keys":["CM_C_COMPILER_*"],"post_deps":[{"tags":"get,compiler-flags"}]}""",
            r => r.Export(("CM_C_COMPILER_BIN", "/usr/bin/gcc")));
        e.Script("""{"alias":"get-compiler-flags","uid":"f","tags":["get","compiler-flags"],"deps":[{"tags":"get,compiler","names":["compiler"],"skip_if_env":{"CM_C_COMPILER_BIN":["on"]}}]}""");

        var plan = e.Predict("get,gcc");
        Assert.Contains(plan.Notes, n => n.Contains("possible cycle", StringComparison.Ordinal));

        var run = await e.RunAsync("get,gcc");
        Assert.Equal(["get-gcc: run.sh"], e.Log);
        Assert.Equal("/usr/bin/gcc", run.Root.Outcome.NewEnv["CM_C_COMPILER_BIN"]);
    }

    [Fact]
    public async Task ARealCycleIsAnErrorNamingTheChain()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"a","uid":"a","tags":["a"],"deps":[{"tags":"b"}]}""");
        e.Script("""{"alias":"b","uid":"b","tags":["b"],"deps":[{"tags":"a"}]}""");
        Assert.Throws<DependencyCycleException>(() => e.Predict("a"));
        var error = await Assert.ThrowsAsync<DependencyCycleException>(() => e.RunAsync("a"));
        Assert.Contains("a -> b -> a", error.Message);
    }

    [Fact]
    public async Task ACacheHitRunsOnlyDynamicDepsAndNoHooks()
    {
        var e = new InMemoryEngine();
        Leaf(e, "static-dep");
        Leaf(e, "dynamic-dep");
        e.Script("""
            {"alias":"tool","uid":"t","tags":["tool"],"cache":true,"new_env_keys":["CM_TOOL"],
             "deps":[{"tags":"static-dep"},{"tags":"dynamic-dep","dynamic":true}]}
            """, r => r.Export(("CM_TOOL", "/opt/tool")), "preprocess", "postprocess");

        await e.RunAsync("tool");
        Assert.Equal(["static-dep: run.sh", "dynamic-dep: run.sh", "tool: preprocess", "tool: run.sh", "tool: postprocess"], e.Log);

        e.Log.Clear();
        var again = await e.RunAsync("tool");
        Assert.Equal(["dynamic-dep: run.sh"], e.Log);
        Assert.True(again.Root.FromCache);
        Assert.Equal("/opt/tool", again.Env["CM_TOOL"]);
    }

    [Fact]
    public async Task PreprocessSkipRunsNothingMoreAndCachesNothing()
    {
        var e = new InMemoryEngine();
        Leaf(e, "post");
        e.Script("""{"alias":"tool","uid":"t","tags":["tool"],"cache":true,"post_deps":[{"tags":"post"}]}""", _ => { }, "preprocess", "postprocess");
        e.Hook("tool", "preprocess", _ => new HookResult(Skip: true));

        var run = await e.RunAsync("tool");
        Assert.Equal(["tool: preprocess"], e.Log);
        Assert.True(run.Root.Outcome.Skipped);
        Assert.Empty(e.Cache.Entries);
    }

    [Fact]
    public async Task NewEnvKeysFilterWhatReachesTheCallerAndTheEntry()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"tool","uid":"t","tags":["tool"],"cache":true,"new_env_keys":["CM_TOOL_*"]}""",
            r => r.Export(("CM_TOOL_BIN", "/bin/tool"), ("CM_SCRATCH", "x")));
        var run = await e.RunAsync("tool");
        Assert.Equal(["CM_TOOL_BIN"], run.Root.Outcome.NewEnv.Keys);
        Assert.Equal(["CM_TOOL_BIN"], e.Cache.Entries.Values.Single().Outcome.NewEnv.Keys);
    }

    [Fact]
    public async Task EngineKeysUseTheLibrarysPrefixAndStayLocal()
    {
        var e = new InMemoryEngine();
        IReadOnlyDictionary<string, string>? seen = null;
        IReadOnlyDictionary<string, string>? seenByDep = null;
        e.Script("""{"alias":"dep","uid":"d","tags":["dep"]}""", r => seenByDep = r.Env);
        e.Script("""{"alias":"app","uid":"app","tags":["app"],"deps":[{"tags":"dep"}]}""", r => seen = r.Env);
        await e.RunAsync("app");
        Assert.Equal("/lib/script/app", seen!["CM_TMP_CURRENT_SCRIPT_PATH"]);
        Assert.Equal("/home/user", seen["CM_TMP_CURRENT_PATH"]);
        Assert.Equal("/lib/script/dep", seenByDep!["CM_TMP_CURRENT_SCRIPT_PATH"]);
    }

    [Fact]
    public async Task AVersionConflictAtRunTimeNamesBothCallers()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"tool","uid":"t","tags":["tool"],"cache":true}""", r => r.Export(("CM_VERSION", "3.8.0")), "preprocess");
        e.Hook("tool", "preprocess", _ => new HookResult(Version: "3.8.0"));
        e.Script("""{"alias":"app","uid":"app","tags":["app"],"deps":[{"tags":"tool","version_max":"3.9"},{"tags":"tool","names":["again"],"version_min":"3.10"}]}""");
        var error = await Assert.ThrowsAsync<VersionConflictException>(() => e.RunAsync("app"));
        Assert.Contains("got 3.8.0", error.Message);
        Assert.Contains(">= 3.10", error.Message);
    }

    [Fact]
    public async Task TheRunScriptForTheDetectedOsIsChosenAsCmChoosesIt()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"tool","uid":"t","tags":["tool"]}""", _ => { });
        e.Files.With("/lib/script/tool/run-debian.sh", "").With("/lib/script/tool/run-ubuntu-22.04.sh", "").With("/lib/script/tool/run-linux.sh", "");
        await e.RunAsync("tool", new Dictionary<string, string> { ["CM_HOST_OS_FLAVOR"] = "debian", ["CM_HOST_OS_TYPE"] = "linux", ["CM_HOST_OS_VERSION"] = "12" });
        await e.RunAsync("tool", new Dictionary<string, string> { ["CM_HOST_OS_FLAVOR"] = "ubuntu", ["CM_HOST_OS_TYPE"] = "linux", ["CM_HOST_OS_VERSION"] = "22.04" });
        await e.RunAsync("tool", new Dictionary<string, string> { ["CM_HOST_OS_FLAVOR"] = "rhel", ["CM_HOST_OS_TYPE"] = "linux" });
        await e.RunAsync("tool");
        Assert.Equal(["tool: run-debian.sh", "tool: run-ubuntu-22.04.sh", "tool: run-linux.sh", "tool: run.sh"], e.Log);
    }

    [Fact]
    public async Task A_cached_entry_holds_what_the_script_produced_never_the_keys_its_caller_handed_down()
    {
        var e = new InMemoryEngine();
        e.Script("""{"alias":"child","uid":"c","tags":["child"],"cache":true,"new_env_keys":["X_*"],"env":{"X_OWN":"mine"}}""", r => r.Export(("X_RESULT", "42")));
        e.Script("""{"alias":"parent","uid":"p","tags":["parent"],"env":{"X_CALLER_MODE":"official"},"deps":[{"tags":"child"}]}""");

        await e.RunAsync("parent");

        var stored = Assert.Single(e.Cache.Entries).Value.Outcome.NewEnv;
        Assert.Equal("42", stored["X_RESULT"]);
        Assert.Equal("mine", stored["X_OWN"]);
        Assert.False(stored.ContainsKey("X_CALLER_MODE"));
    }
}
