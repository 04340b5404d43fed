using Automation.Cli.Commands;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>CM script folders in CM's own format (_cm.yaml, customize.py), written by us under Scripts/cm-format.</summary>
public sealed class CmCompatibilityTests() : ScriptTestBase(CmFormat)
{
    private static string CmFormat => Path.Combine(ScriptHarness.RepoRoot, "tests", "Automation.Cli.Tests", "Scripts", "cm-format");

    [Fact]
    public void A_cm_yaml_script_loads_with_its_variations_deps_and_inputs()
    {
        var meta = Cm.Catalog.FindByAliasOrUid("get-cm-yaml-demo")!;

        Assert.EndsWith("_cm.yaml", meta.MetaFile);
        Assert.True(meta.Cache);
        Assert.Equal(["get", "cm-yaml-demo", "demo"], meta.Tags);
        Assert.Equal("size", meta.Variations["small"].Group);
        Assert.True(meta.Variations["small"].IsDefault);
        Assert.True(meta.Variations["count.#"].IsWildcard);
        Assert.Equal("3.6", meta.Deps[1].VersionMin);
        Assert.Equal(["yes"], meta.Deps[1].SkipIfEnv!.Values["CM_DEMO_SKIP_PYTHON"]);
        Assert.Equal("CM_DEMO_GREETING", meta.InputMapping["greeting"]);
    }

    [Fact]
    public async Task A_cm_yaml_script_runs_with_variations_inputs_and_cached_deps()
    {
        var run = await Cm.RunAsync("get,cm-yaml-demo,_large,_count.3", new Dictionary<string, string> { ["CM_DEMO_SKIP_PYTHON"] = "yes" },
            new Dictionary<string, string> { ["greeting"] = "hi" });

        Assert.Equal("hi x1000 count=3 on linux", run.Root.Outcome.NewEnv["CM_DEMO_MESSAGE"]);
        Assert.Equal("skipped", run.Root.Outcome.NewEnv["CM_DEMO_PYTHON"]);
        Assert.Equal(["count.3", "large"], run.Root.Variations);
    }

    [Fact]
    public async Task A_script_with_customize_py_runs_its_preprocess_before_its_run_script()
    {
        var meta = Cm.Catalog.FindByAliasOrUid("cm-customize-demo")!;

        var run = await Cm.RunAsync("get,customize-demo");

        Assert.True(meta.HasCustomizePy);
        Assert.Equal("from-python", run.Root.Outcome.NewEnv["CM_CUSTOMIZE_DEMO_VALUE"]);
        Assert.Equal("yes", run.Root.Outcome.NewEnv["CM_CUSTOMIZE_DEMO_RAN"]);
    }

    [WithToolFact("git")]
    public async Task A_cm_format_detection_script_finds_its_tool_through_cmind_utils_find_artifact_and_parse_version()
    {
        var git = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "git")).First(File.Exists);
        var version = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(git, "--version") { RedirectStandardOutput = true })!;
        var expected = System.Text.RegularExpressions.Regex.Match(version.StandardOutput.ReadToEnd(), @"git version\s*([\d.]+)").Groups[1].Value;
        version.WaitForExit();

        var run = await Cm.RunAsync("get,cm-git-demo");

        var env = run.Root.Outcome.NewEnv;
        Assert.Equal(expected, env["CM_GIT_DEMO_VERSION"]);
        Assert.Equal(expected, run.Root.Outcome.Version);
        Assert.Equal("version-" + expected, env["CM_GIT_DEMO_CACHE_TAGS"]);
        Assert.Equal(Path.GetDirectoryName(env["CM_GIT_DEMO_BIN_WITH_PATH"]), env["+PATH"]);
        Assert.True(File.Exists(env["CM_GIT_DEMO_BIN_WITH_PATH"]));
    }

    [Fact]
    public void Import_writes_json_meta_equal_to_the_yaml_and_notes_customize_py()
    {
        var copy = Path.Combine(Cm.Root, "cm-repo");
        CopyTree(CmFormat, copy);

        var report = new ScriptImporter(force: false).Import(copy, targetRoot: null);

        var json = JObject.Parse(File.ReadAllText(Path.Combine(copy, "get-cm-yaml-demo", "_cm.json")));
        var yaml = YamlMeta.ToJson(File.ReadAllText(Path.Combine(copy, "get-cm-yaml-demo", "_cm.yaml")), "x");
        Assert.True(JToken.DeepEquals(yaml, json));
        Assert.Equal("3.6", (string)json["deps"]![1]!["version_min"]!);
        Assert.Contains(report, l => l.StartsWith("get-cm-yaml-demo: wrote", StringComparison.Ordinal) && l.Contains("4 variations"));
        Assert.Contains(report, l => l.Contains("cm-customize-demo has customize.py, which this engine does not run"));
    }

    [Fact]
    public async Task An_imported_script_copied_elsewhere_runs_from_its_json_meta()
    {
        var target = Path.Combine(Cm.Root, "imported");

        new ScriptImporter(force: false).Import(Path.Combine(CmFormat, "get-cm-yaml-demo"), target);
        using var harness = new ScriptHarness(target);
        var run = await harness.RunAsync("get,cm-yaml-demo", new Dictionary<string, string> { ["CM_DEMO_SKIP_PYTHON"] = "yes" });

        Assert.False(File.Exists(Path.Combine(target, "get-cm-yaml-demo", "_cm.yaml")));
        Assert.EndsWith("_cm.json", harness.Catalog.FindByAliasOrUid("get-cm-yaml-demo")!.MetaFile);
        Assert.Equal("hello x10 count=none on linux", run.Root.Outcome.NewEnv["CM_DEMO_MESSAGE"]);
    }

    [Fact]
    public void Import_refuses_to_overwrite_without_force_and_rejects_bad_yaml_naming_the_file()
    {
        var copy = Path.Combine(Cm.Root, "one");
        CopyTree(Path.Combine(CmFormat, "get-cm-yaml-demo"), copy);
        new ScriptImporter(force: false).Import(copy, null);
        var again = Assert.Throws<AutomationException>(() => new ScriptImporter(force: false).Import(copy, null));
        new ScriptImporter(force: true).Import(copy, null);
        File.WriteAllText(Path.Combine(copy, "_cm.yaml"), "alias: broken\ntags: [get\n");
        var bad = Assert.Throws<MetaException>(() => new ScriptImporter(force: true).Import(copy, null));

        Assert.Contains("--force", again.Message);
        Assert.Contains("malformed YAML", bad.Message);
        Assert.Contains("_cm.yaml", bad.Message);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
