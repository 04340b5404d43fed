using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.Versioning;
using Xunit;

namespace Automation.Core.Tests.Resolution;

public sealed class ResolverTests
{
    private static FixtureCatalog Base() => new FixtureCatalog()
        .Add("""{"alias":"detect-os","uid":"a1","tags":["detect","os"]}""")
        .Add("""{"alias":"get-python3","uid":"a2","tags":["get","python3","python"],"cache":true,"deps":[{"tags":"detect,os"}],"new_env_keys":["CM_PYTHON_*"]}""")
        .Add("""
        {"alias":"app-demo","uid":"a3","tags":["app","demo"],
         "default_env":{"CM_DEMO_MODE":"fast"},
         "env":{"CM_DEMO_FIXED":"1"},
         "input_mapping":{"results_dir":"CM_RESULTS_DIR"},
         "deps":[{"tags":"detect,os"},{"tags":"get,python3","names":["python"],"version_min":"3.8"}],
         "variations":{
           "cpu":{"group":"device","default":true,"env":{"CM_DEVICE":"cpu"}},
           "cuda":{"group":"device","env":{"CM_DEVICE":"cuda"}},
           "batch_size.#":{"env":{"CM_BATCH":"#"}},
           "full":{"base":["cuda"],"env":{"CM_FULL":"yes"}},
           "cuda,full":{"env":{"CM_COMBO":"yes"}}
         }}
        """);

    private static Plan Resolve(FixtureCatalog c, params string[] tags) =>
        new Resolver(c.Build()).Resolve(new RunRequest { Tags = tags });

    [Fact]
    public void ResolvesDepsRecursivelyIntoADagWithSharedNodes()
    {
        var plan = Resolve(Base(), "app", "demo");
        Assert.Equal("app-demo", plan.Root.Script.Alias);
        Assert.Equal(["detect-os", "get-python3"], plan.Root.Deps.Select(d => d.Node.Script.Alias));
        // detect-os is needed twice but planned once.
        Assert.Same(plan.Root.Deps[0].Node, plan.Root.Deps[1].Node.Deps[0].Node);
        Assert.Equal(3, plan.Nodes.Count);
        Assert.Equal("app-demo", plan.Nodes[^1].Script.Alias);
    }

    [Fact]
    public void EnvOverrideOfAKeyTheMetaLetsCallersSetChangesTheRootsCacheKey()
    {
        var c = new FixtureCatalog().Add("""{"alias":"get-src","uid":"b1","tags":["get","src"],"cache":true,"default_env":{"CM_SRC":""}}""");
        Plan Run(string? source) => new Resolver(c.Build()).Resolve(new RunRequest
        {
            Tags = ["get", "src"],
            EnvOverrides = source is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CM_SRC"] = source },
        });

        Assert.NotEqual(Run(null).Root.Key, Run("/offline/src.tar.gz").Root.Key);
        Assert.Equal("/offline/src.tar.gz", Run("/offline/src.tar.gz").Root.KeyInputs["env.CM_SRC"]);
    }

    [Fact]
    public void GroupDefaultAppliesWhenNothingChosen()
    {
        var plan = Resolve(Base(), "app", "demo");
        Assert.Equal(["cpu"], plan.Root.Variations);
        Assert.Equal("cpu", plan.Root.Env["CM_DEVICE"]);
    }

    [Fact]
    public void WildcardVariationSubstitutesValue()
    {
        var plan = Resolve(Base(), "app", "demo", "_batch_size.32");
        Assert.Equal("32", plan.Root.Env["CM_BATCH"]);
        Assert.Contains("batch_size.32", plan.Root.Variations);
    }

    [Fact]
    public void BaseVariationsAndCombinedKeysApply()
    {
        var plan = Resolve(Base(), "app", "demo", "_full");
        Assert.Equal("cuda", plan.Root.Env["CM_DEVICE"]);
        Assert.Equal("yes", plan.Root.Env["CM_COMBO"]);
        Assert.DoesNotContain("cpu", plan.Root.Variations);
    }

    [Fact]
    public void TwoVariationsOfOneGroupIsAnErrorNamingTheGroup()
    {
        var e = Assert.Throws<VariationConflictException>(() => Resolve(Base(), "app", "demo", "_cpu", "_cuda"));
        Assert.Contains("group 'device'", e.Message);
        Assert.Contains("/virtual/scripts/app-demo/_cm.json", e.Message);
    }

    [Fact]
    public void UnknownVariationListsValidOnesAndSuggests()
    {
        var e = Assert.Throws<UnknownVariationException>(() => Resolve(Base(), "app", "demo", "_cdua"));
        Assert.Contains("Did you mean '_cuda'", e.Message);
        Assert.Contains("_batch_size.#", e.Message);
    }

    [Fact]
    public void UnknownTagSuggestsNearest()
    {
        var e = Assert.Throws<UnknownTagsException>(() => Resolve(Base(), "get", "pyhton3"));
        Assert.Contains("'pyhton3' → 'python3'", e.Message);
    }

    [Fact]
    public void EnvLayersInDocumentedOrder()
    {
        var catalog = Base().Build();
        var plan = new Resolver(catalog).Resolve(new RunRequest
        {
            Tags = ["app", "demo"],
            CallerEnv = new Dictionary<string, string> { ["CM_DEMO_MODE"] = "from-caller", ["CM_DEMO_FIXED"] = "from-caller" },
            EnvOverrides = new Dictionary<string, string> { ["CM_DEVICE"] = "override" },
            Inputs = new Dictionary<string, string> { ["results_dir"] = "/r" },
        });
        Assert.Equal("from-caller", plan.Root.Env["CM_DEMO_MODE"]); // default_env only fills gaps
        Assert.Equal("1", plan.Root.Env["CM_DEMO_FIXED"]);          // meta env overwrites the caller
        Assert.Equal("override", plan.Root.Env["CM_DEVICE"]);       // --env beats variation env
        Assert.Equal("/r", plan.Root.Env["CM_RESULTS_DIR"]);        // input_mapping
    }

    [Fact]
    public void UnknownInputIsAnErrorListingValidInputs()
    {
        var e = Assert.Throws<UnknownInputException>(() => new Resolver(Base().Build()).Resolve(new RunRequest
        {
            Tags = ["app", "demo"], Inputs = new Dictionary<string, string> { ["result_dir"] = "x" },
        }));
        Assert.Contains("--results_dir", e.Message);
    }

    [Fact]
    public void DepsInheritParentEnvButNotLocalKeys()
    {
        var plan = new Resolver(Base().Build()).Resolve(new RunRequest
        {
            Tags = ["app", "demo"],
            CallerEnv = new Dictionary<string, string> { ["CM_TMP_SECRET"] = "x", ["CM_SHARED"] = "y" },
        });
        var python = plan.Root.Deps[1].Node;
        Assert.Equal("y", python.Env["CM_SHARED"]);
        Assert.False(python.Env.ContainsKey("CM_TMP_SECRET"));
        Assert.Equal("3.8", python.Env["CM_VERSION_MIN"]);
        Assert.False(plan.Root.Env.ContainsKey("CM_VERSION_MIN"));
    }

    [Fact]
    public void AdrOverridesANamedDepAnywhere()
    {
        var plan = new Resolver(Base().Build()).Resolve(new RunRequest
        {
            Tags = ["app", "demo"],
            Adr = new Dictionary<string, DepOverride> { ["python"] = DepOverride.Empty with { VersionMax = "3.11" } },
        });
        var python = plan.Root.Deps[1].Node;
        Assert.Equal("3.11", python.Version.Max);
        Assert.Equal("3.8", python.Version.Min);
    }

    [Fact]
    public void CycleIsReportedWithTheChain()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"a","uid":"1","tags":["a"],"deps":[{"tags":"b"}]}""")
            .Add("""{"alias":"b","uid":"2","tags":["b"],"deps":[{"tags":"c"}]}""")
            .Add("""{"alias":"c","uid":"3","tags":["c"],"deps":[{"tags":"a"}]}""");
        var e = Assert.Throws<DependencyCycleException>(() => Resolve(c, "a"));
        Assert.Contains("a -> b -> c -> a", e.Message);
    }

    [Fact]
    public void VersionConflictNamesBothConstraintsAndWhoAsked()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"tool","uid":"t","tags":["get","tool"],"cache":true}""")
            .Add("""{"alias":"x","uid":"x","tags":["x"],"deps":[{"tags":"get,tool","version_min":"3.12"}]}""")
            .Add("""{"alias":"y","uid":"y","tags":["y"],"deps":[{"tags":"get,tool","version_max":"3.10"}]}""")
            .Add("""{"alias":"top","uid":"top","tags":["top"],"deps":[{"tags":"x"},{"tags":"y"}]}""");
        var e = Assert.Throws<VersionConflictException>(() => Resolve(c, "top"));
        Assert.Contains(">= 3.12", e.Message);
        Assert.Contains("<= 3.10", e.Message);
        Assert.Contains("'x'", e.Message);
        Assert.Contains("'y'", e.Message);
    }

    [Fact]
    public void SkipAndEnableIfEnvFollowCmTruthRules()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"gpu","uid":"g","tags":["gpu"]}""")
            .Add("""{"alias":"cpuonly","uid":"c","tags":["cpuonly"]}""")
            .Add("""{"alias":"top","uid":"t","tags":["top"],"deps":[{"tags":"gpu","enable_if_env":{"CM_DEVICE":["cuda"]}},{"tags":"cpuonly","skip_if_env":{"CM_USE_GPU":["yes"]}}]}""");
        var noEnv = Resolve(c, "top");
        Assert.Equal(["cpuonly"], noEnv.Root.Deps.Select(d => d.Node.Script.Alias));
        var gpu = new Resolver(c.Build()).Resolve(new RunRequest { Tags = ["top"], EnvOverrides = new Dictionary<string, string> { ["CM_DEVICE"] = "cuda", ["CM_USE_GPU"] = "on" } });
        Assert.Equal(["gpu"], gpu.Root.Deps.Select(d => d.Node.Script.Alias));
    }

    [Fact]
    public void UpdateTagsFromEnvWithPrefixAddsVariation()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"dl","uid":"d","tags":["download","file"],"cache":true,"variations":{"url.#":{"env":{"CM_DOWNLOAD_URL":"#"}}}}""")
            .Add("""{"alias":"model","uid":"m","tags":["model"],"env":{"CM_PACKAGE_URL":"https://x/y.onnx"},"deps":[{"tags":"download,file","update_tags_from_env_with_prefix":{"_url.":["CM_PACKAGE_URL"]}}]}""");
        var plan = Resolve(c, "model");
        Assert.Equal("https://x/y.onnx", plan.Root.Deps[0].Node.Env["CM_DOWNLOAD_URL"]);
    }

    [Fact]
    public void CacheKeyDependsOnTheScriptsMetaVariationsVersionAndItsDepsKeys()
    {
        var c = Base();
        var k1 = Resolve(c, "get", "python3").Root.Key;
        var k2 = Resolve(c, "get", "python3").Root.Key;
        Assert.Equal(k1, k2);
        var withMin = new Resolver(c.Build()).Resolve(new RunRequest { Tags = ["get", "python3"], Version = new VersionConstraint(Min: "3.12") }).Root.Key;
        Assert.NotEqual(k1, withMin);
        var changedMeta = new FixtureCatalog()
            .Add("""{"alias":"detect-os","uid":"a1","tags":["detect","os"]}""")
            .Add("""{"alias":"get-python3","uid":"a2","tags":["get","python3","python"],"cache":true,"deps":[{"tags":"detect,os"}],"new_env_keys":["CM_PYTHON_*","CM_X"]}""");
        Assert.NotEqual(k1, Resolve(changedMeta, "get", "python3").Root.Key);
        // The lookup comes before the deps run (CM's order), so the deps' keys in it are predicted ones (issue 17, item 4):
        // a dep whose meta changed gives its callers new keys too.
        var changedDep = new FixtureCatalog()
            .Add("""{"alias":"detect-os","uid":"a1","tags":["detect","os"],"env":{"X":"1"}}""")
            .Add("""{"alias":"get-python3","uid":"a2","tags":["get","python3","python"],"cache":true,"deps":[{"tags":"detect,os"}],"new_env_keys":["CM_PYTHON_*"]}""");
        var withChangedDep = Resolve(changedDep, "get", "python3").Root;
        Assert.NotEqual(k1, withChangedDep.Key);
        Assert.StartsWith("detect-os:", withChangedDep.KeyInputs["deps"]);
    }

    [Fact]
    public void TiedTagsTakeTheFirstByPathWithoutATerminal()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"two","uid":"2","tags":["get","thing","two"]}""")
            .Add("""{"alias":"one","uid":"1","tags":["get","thing","one"]}""");
        Assert.Equal("one", Resolve(c, "get", "thing").Root.Script.Alias);
    }

    [Fact]
    public void TiedTagsAreOrderedBySortThenPath()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"a-first-by-path","uid":"1","tags":["get","thing"],"sort":500}""")
            .Add("""{"alias":"b-low-sort","uid":"2","tags":["get","thing"],"sort":-10}""")
            .Add("""{"alias":"c-no-sort","uid":"3","tags":["get","thing"]}""");
        var selector = new ScriptSelector(c.Build());
        Assert.Equal(["b-low-sort", "c-no-sort", "a-first-by-path"], selector.Candidates(Automation.Core.Catalog.TagQuery.Parse("get,thing"), "test").Select(s => s.Alias));
        Assert.Equal("b-low-sort", Resolve(c, "get", "thing").Root.Script.Alias);
    }

    [Fact]
    public void TiedTagsAskTheChooserOnceAndRememberTheAnswer()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"one","uid":"1","tags":["get","thing"]}""")
            .Add("""{"alias":"two","uid":"2","tags":["get","thing"]}""")
            .Add("""{"alias":"app","uid":"3","tags":["app"],"deps":[{"tags":"get,thing"},{"tags":"thing,get","names":["again"]}]}""");
        var chooser = new CountingChooser(1);
        var plan = new Resolver(c.Build(), chooser).Resolve(new RunRequest { Tags = ["app"] });
        Assert.Equal(["two", "two"], plan.Root.Deps.Select(d => d.Node.Script.Alias));
        Assert.Equal(1, chooser.Asked);
    }

    [Fact]
    public void ScriptsLackingARequestedVariationAreNotCandidates()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"a-plain","uid":"1","tags":["get","thing"]}""")
            .Add("""{"alias":"b-with-cuda","uid":"2","tags":["get","thing"],"variations":{"cuda":{"env":{"X":"cuda"}}}}""")
            .Add("""{"alias":"c-with-batch","uid":"3","tags":["get","thing"],"variations":{"batch.#":{"env":{"B":"#"}}}}""");
        Assert.Equal("b-with-cuda", Resolve(c, "get", "thing", "_cuda").Root.Script.Alias);
        Assert.Equal("c-with-batch", Resolve(c, "get", "thing", "_batch.8").Root.Script.Alias);
        var e = Assert.Throws<UnknownVariationException>(() => Resolve(c, "get", "thing", "_rocm"));
        Assert.Contains("none defines the variation _rocm", e.Message);
    }

    [Fact]
    public void ALibraryScriptWinsOverABuiltinOneWithTheSameTags()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"detect-os","uid":"1","tags":["detect","os"]}""", repo: Automation.Core.Catalog.ScriptRoot.BuiltinRepo)
            .Add("""{"alias":"os-detector","uid":"2","tags":["detect","os"]}""", repo: "mlcommons@mlperf-automations", directory: "/zzz/os-detector");
        Assert.Equal("2", Resolve(c, "detect", "os").Root.Script.Uid);
    }

    private sealed class CountingChooser(int answer) : IScriptChooser
    {
        public int Asked { get; private set; }
        public int Choose(string tags, IReadOnlyList<ScriptMeta> candidates) { Asked++; return answer; }
    }

    [Fact]
    public void ExcludedTagRemovesScript()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"one","uid":"1","tags":["get","thing","virtual"]}""")
            .Add("""{"alias":"two","uid":"2","tags":["get","thing","real"]}""");
        Assert.Equal("two", Resolve(c, "get", "thing", "-virtual").Root.Script.Alias);
    }

    [Fact]
    public void DefaultVersionAndVersionsBlockAreMerged()
    {
        var c = new FixtureCatalog()
            .Add("""{"alias":"inst","uid":"i","tags":["install","tool"],"cache":true,"default_version":"3.25.1","versions":{"3.25.1":{"env":{"CM_URL":"u325"}},"3.28.0":{"env":{"CM_URL":"u328"}}}}""");
        Assert.Equal("u325", Resolve(c, "install", "tool").Root.Env["CM_URL"]);
        var newer = new Resolver(c.Build()).Resolve(new RunRequest { Tags = ["install", "tool"], Version = new VersionConstraint(Min: "3.26") });
        Assert.Equal("3.28.0", newer.Root.PlannedVersion);
        Assert.Equal("u328", newer.Root.Env["CM_URL"]);
    }
}
