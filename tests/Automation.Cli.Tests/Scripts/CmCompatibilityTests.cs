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

        var report = new ScriptImporter(force: false).Import(copy, targetRoot: null).Lines;

        var json = JObject.Parse(File.ReadAllText(Path.Combine(copy, "get-cm-yaml-demo", "_cm.json")));
        var yaml = YamlMeta.ToJson(File.ReadAllText(Path.Combine(copy, "get-cm-yaml-demo", "_cm.yaml")), "x");
        Assert.True(JToken.DeepEquals(yaml, json));
        Assert.Equal("3.6", (string)json["deps"]![1]!["version_min"]!);
        Assert.Contains(report, l => l.StartsWith("get-cm-yaml-demo: wrote", StringComparison.Ordinal) && l.Contains("4 variations"));
        Assert.Contains(report, l => l.Contains("cm-customize-demo has customize.py: its hooks run in the customize.py host"));
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
    public void Import_refuses_to_overwrite_without_force_and_reports_bad_yaml_naming_the_file_and_line()
    {
        var copy = Path.Combine(Cm.Root, "one");
        CopyTree(Path.Combine(CmFormat, "get-cm-yaml-demo"), copy);
        new ScriptImporter(force: false).Import(copy, null);
        var again = new ScriptImporter(force: false).Import(copy, null);
        new ScriptImporter(force: true).Import(copy, null);
        File.WriteAllText(Path.Combine(copy, "_cm.yaml"), "alias: broken\ntags: [get\n");
        var bad = new ScriptImporter(force: true).Import(copy, null);

        Assert.Contains("--force", Assert.Single(again.Failures));
        Assert.Empty(again.Lines);
        Assert.Contains("malformed YAML", Assert.Single(bad.Failures));
        Assert.Contains(Path.Combine(copy, "_cm.yaml") + ":3:1:", bad.Failures[0]);
    }

    [Fact]
    public void Import_goes_on_past_a_bad_folder_and_cm_import_reports_every_failure_at_the_end_with_the_count()
    {
        var repo = Path.Combine(Cm.Root, "mlc-repo");
        CopyTree(Path.Combine(CmFormat, "get-cm-yaml-demo"), Path.Combine(repo, "a-good"));
        Directory.CreateDirectory(Path.Combine(repo, "b-bad"));
        File.WriteAllText(Path.Combine(repo, "b-bad", "meta.yaml"), "alias: b-bad\ntags: [get, b\n");
        Directory.CreateDirectory(Path.Combine(repo, "c-mlc"));
        File.WriteAllText(Path.Combine(repo, "c-mlc", "meta.yaml"), "alias: c-mlc\nuid: c1\ntags: [get, c]\nenv:\n  +PATH: [/opt/c/bin]\ndeps:\n- names: [x]\n");
        Directory.CreateDirectory(Path.Combine(repo, "d-bad"));
        File.WriteAllText(Path.Combine(repo, "d-bad", "meta.yaml"), "- not a mapping\n");

        var r = CmProcess.Run(Cm.Root, "import", repo, "--to", Path.Combine(Cm.Root, "imported"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("get-cm-yaml-demo: wrote", r.Stdout);
        Assert.Contains("c-mlc: wrote", r.Stdout);
        Assert.Contains("c-mlc/meta.yaml:7:3: 'deps[0]' has no 'tags'", r.Stdout);
        var failed = r.Stderr.Split('\n').Where(l => l.StartsWith("failed: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Contains(Path.Combine(repo, "b-bad", "meta.yaml") + ":3:1: malformed YAML", failed[0]);
        Assert.Contains(Path.Combine(repo, "d-bad", "meta.yaml") + ":1:1: the meta is not a YAML mapping", failed[1]);
        Assert.Contains("error: 2 of 4 script folders could not be imported", r.Stderr);
        Assert.True(r.Stderr.IndexOf("error: 2 of 4", StringComparison.Ordinal) > r.Stderr.LastIndexOf("failed: ", StringComparison.Ordinal));
        var json = JObject.Parse(File.ReadAllText(Path.Combine(Cm.Root, "imported", "c-mlc", "_cm.json")));
        Assert.Equal("/opt/c/bin", (string?)json["env"]!["+PATH"]![0]);
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
