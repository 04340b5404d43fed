using Automation.Core.Resolution;
using Automation.Core.Tests.Execution;
using Xunit;

namespace Automation.Core.Tests.Resolution;

/// <summary>The CM dep keys the real libraries use (ad, adr, inherit_variation_tags, reuse_version, extra cache tags), as CM applies them.</summary>
public sealed class CmDepKeysTests
{
    private static Plan Resolve(FixtureCatalog c, params string[] tags) => new Resolver(c.Build()).Resolve(new RunRequest { Tags = tags });

    private static FixtureCatalog Python() => new FixtureCatalog()
        .Add("""{"alias":"get-python3","uid":"p","tags":["get","python3"],"cache":true,"variations":{"conda":{"env":{"CM_CONDA":"yes"}},"venv":{}}}""");

    [Fact]
    public void AdAmendsTheScriptsOwnDepByNameButIsNotPassedDown()
    {
        var c = Python()
            .Add("""{"alias":"lib","uid":"l","tags":["lib"],"deps":[{"tags":"get,python3","names":["python"]}]}""")
            .Add("""
                {"alias":"app","uid":"a","tags":["app"],
                 "deps":[{"tags":"get,python3","names":["python"]},{"tags":"lib"}],
                 "variations":{"conda-python":{"ad":{"python":{"tags":"_conda"}}}}}
                """);
        var plan = Resolve(c, "app", "_conda-python");
        Assert.Equal(["conda"], plan.Root.Deps[0].Node.Variations);
        // lib's own python dep is not touched by app's `ad`.
        Assert.Empty(plan.Root.Deps[1].Node.Deps[0].Node.Variations);
    }

    [Fact]
    public void AdrReachesDepsOfDepsByName()
    {
        var c = Python()
            .Add("""{"alias":"lib","uid":"l","tags":["lib"],"deps":[{"tags":"get,python3","names":["python"]}]}""")
            .Add("""{"alias":"app","uid":"a","tags":["app"],"deps":[{"tags":"lib"}],"variations":{"v":{"add_deps_recursive":{"python":{"tags":"_venv"}}}}}""");
        Assert.Equal(["venv"], Resolve(c, "app", "_v").Root.Deps[0].Node.Deps[0].Node.Variations);
    }

    [Fact]
    public void AVariationsDepWithTheSameNamesReplacesTheScriptsDep()
    {
        var c = Python()
            .Add("""{"alias":"get-python-alt","uid":"alt","tags":["get","python-alt"]}""")
            .Add("""{"alias":"app","uid":"a","tags":["app"],"deps":[{"tags":"get,python3","names":["python"]}],"variations":{"alt":{"deps":[{"tags":"get,python-alt","names":["python"]}]}}}""");
        var plan = Resolve(c, "app", "_alt");
        Assert.Equal(["get-python-alt"], plan.Root.Deps.Select(d => d.Node.Script.Alias));
    }

    [Fact]
    public void InheritVariationTagsPassesTheCallersVariationsExceptSkippedGroups()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"impl","uid":"i","tags":["impl"],"variations":{"cpu":{"group":"device"},"cuda":{"group":"device"},"resnet50":{"group":"model"},"fast":{}}}""")
            .Add("""
                {"alias":"app","uid":"a","tags":["app"],
                 "deps":[{"tags":"impl","inherit_variation_tags":true,"skip_inherit_variation_groups":["device"]}],
                 "variations":{"cpu":{"group":"device","default":true},"cuda":{"group":"device"},"resnet50":{"group":"model"},"fast":{}}}
                """);
        var plan = Resolve(c, "app", "_cuda", "_resnet50", "_fast");
        Assert.Equal(["fast", "resnet50"], plan.Root.Deps[0].Node.Variations);
    }

    [Fact]
    public void ReuseVersionHandsTheCallersVersionToTheDep()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"get-src","uid":"s","tags":["get","src"],"cache":true}""")
            .Add("""{"alias":"build","uid":"b","tags":["build"],"deps":[{"tags":"get,src","reuse_version":true}]}""")
            .Add("""{"alias":"build-plain","uid":"b2","tags":["build-plain"],"deps":[{"tags":"get,src"}]}""");
        var reused = new Resolver(c.Build()).Resolve(new RunRequest { Tags = ["build"], Version = new Automation.Core.Versioning.VersionConstraint(Exact: "r6.1") });
        Assert.Equal("r6.1", reused.Root.Deps[0].Node.PlannedVersion);
        Assert.Equal("r6.1", reused.Root.Deps[0].Node.Env["CM_VERSION"]);
        var plain = new Resolver(c.Build()).Resolve(new RunRequest { Tags = ["build-plain"], Version = new Automation.Core.Versioning.VersionConstraint(Exact: "r6.1") });
        Assert.Null(plain.Root.Deps[0].Node.PlannedVersion);
    }

    [Fact]
    public void ExtraCacheTagsSeparateEntriesAndAreTheEntrysTags()
    {
        var c = Python()
            .Add("""{"alias":"app","uid":"a","tags":["app"],"deps":[{"tags":"get,python3","extra_cache_tags":"for-app"},{"tags":"get,python3","names":["other"]}]}""");
        var plan = Resolve(c, "app");
        Assert.NotEqual(plan.Root.Deps[0].Node.Key, plan.Root.Deps[1].Node.Key);
        Assert.Equal(["for-app"], plan.Root.Deps[0].Node.ExtraCacheTags);
    }

    [Fact]
    public void PlusKeyListsOfTheMetaAndItsVariationsAreAppendedNotOverwritten()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"build","uid":"b","tags":["build"],"env":{"+CFLAGS":"-O2"},"variations":{"debug":{"env":{"+CFLAGS":["-g","-O2"]}}}}""");
        var plan = Resolve(c, "build", "_debug");
        Assert.Equal(string.Join(Path.PathSeparator, "-O2", "-g"), plan.Root.Env["+CFLAGS"]);
    }

    [Fact]
    public void ExtraCacheTagsFromEnvBecomeTagsAndKeyInputs()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"venv","uid":"v","tags":["venv"],"cache":true,"extra_cache_tags_from_env":[{"env":"CM_PYTHON_CACHE_TAGS","prefix":"python-"}]}""");
        var plan = new Resolver(c.Build()).Resolve(new RunRequest { Tags = ["venv"], EnvOverrides = new Dictionary<string, string> { ["CM_PYTHON_CACHE_TAGS"] = "mine" } });
        Assert.Equal(["python-mine"], plan.Root.ExtraCacheTags);
        Assert.Equal("python-mine", plan.Root.KeyInputs["extra_cache_tags"]);
    }

    [Fact]
    public async Task TheEnvPrefixOfAnMlcLibraryNamesTheEngineKeys()
    {
        var e = new InMemoryEngine();
        IReadOnlyDictionary<string, string>? seen = null;
        e.Script("""{"alias":"detect-thing","uid":"d","tags":["detect","thing"]}""", r => seen = r.Env);
        // InMemoryEngine registers CM_ scripts; an MLC library's script sees MLC_ keys.
        var prepared = CallPreparer.Prepare(new CallRequest
        {
            Script = e.Catalog().FindByAliasOrUid("detect-thing")! with { EnvPrefix = "MLC_" },
            Version = new Automation.Core.Versioning.VersionConstraint(Min: "1.2"),
        });
        Assert.Equal("1.2", prepared.Node.Env["MLC_VERSION_MIN"]);
        Assert.False(prepared.Node.Env.ContainsKey("CM_VERSION_MIN"));
        await e.RunAsync("detect,thing");
        Assert.Equal("/lib/script/detect-thing", seen!["CM_TMP_CURRENT_SCRIPT_PATH"]);
    }
}
