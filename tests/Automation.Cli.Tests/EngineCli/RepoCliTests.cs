using Automation.Cli.Tests.Scripts;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.EngineCli;

/// <summary>`cm pull|list|rm repo` and a registered library beside our scripts, through the real cm, offline.</summary>
public sealed class RepoCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("cm-repo-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(temp, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string CmHome => Path.Combine(temp, "cm-home");
    private string ReposJson => Path.Combine(CmHome, "repos.json");

    /// <summary>cm in this checkout (builtin = our scripts/), with a private CM_REPOS and cache.</summary>
    private CmResult Cm(params string[] args) => Cm([], args);

    private CmResult Cm((string Key, string Value)[] env, params string[] args)
    {
        var vars = new Dictionary<string, string> { ["CM_REPOS"] = CmHome, ["CM_CACHE_DIR"] = Path.Combine(temp, "cache") };
        foreach (var (k, v) in env) vars[k] = v;
        return CmProcess.Run(RepoPaths.Root, vars, args);
    }

    /// <summary>A small MLC-style repository: meta.yaml at the top, script/&lt;alias&gt;/meta.yaml.</summary>
    private string SmallLibrary(string folder, string alias, params string[] scripts)
    {
        var repo = Path.Combine(temp, folder);
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, "meta.yaml"), $"alias: {alias}\nuid: 0123456789abcdef\ngit: true\n");
        foreach (var s in scripts) AddScript(repo, s);
        return repo;
    }

    private static void AddScript(string repo, string alias)
    {
        var dir = Path.Combine(repo, "script", alias);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "meta.yaml"), $"alias: {alias}\nuid: {alias.GetHashCode():x8}{alias.Length:x8}\nautomation_alias: script\ntags:\n- {alias}\n- fixture\n");
    }

    private static JArray Json(CmResult r)
    {
        Assert.True(r.ExitCode == 0, r.All);
        return JArray.Parse(r.Stdout);
    }

    private string[] Registered() => File.Exists(ReposJson) ? JArray.Parse(File.ReadAllText(ReposJson)).Select(t => (string)t!).ToArray() : [];

    private static void AssertOneParagraph(CmResult r, params string[] expected)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain("   at ", r.Stderr);
        // Progress lines (cloning X into Y) may come first; the error is the last line, whole.
        var error = r.Stderr.TrimEnd().Split('\n').Last();
        Assert.StartsWith("error: ", error);
        foreach (var e in expected) Assert.Contains(e, error);
    }

    [Fact]
    public void ALocalFolderIsRegisteredInPlaceOnceAndRmKeepsItsFiles()
    {
        var lib = SmallLibrary("team-lib", "team@lib", "hello-team");
        var pulled = Cm("pull", "repo", lib);
        Assert.True(pulled.ExitCode == 0, pulled.All);
        Assert.Contains("registered: team@lib (mlc, env prefix MLC_)", pulled.Stdout);
        Assert.Equal([lib], Registered());

        var again = Cm("pull", "repo", lib);
        Assert.Contains("already registered", again.Stdout);
        Assert.Equal([lib], Registered());

        var list = Json(Cm("list", "repo", "-j"));
        Assert.Equal(["team@lib", "builtin"], list.Select(r => (string)r["alias"]!));
        Assert.Equal(1, (int)list[0]["scripts"]!);
        Assert.Equal("MLC_", (string?)list[0]["env_prefix"]);

        var found = Assert.Single(Json(Cm("find", "script", "--tags=hello-team", "-j")));
        Assert.Equal("team@lib", (string?)found["repo"]);
        Assert.Contains("team@lib", Cm("find", "script", "--tags=fixture").Stdout);

        var removed = Cm("rm", "repo", "team@lib", "--all");
        Assert.True(removed.ExitCode == 0, removed.All);
        Assert.Contains("registered in place, so its files are kept", removed.Stderr);
        Assert.Empty(Registered());
        Assert.True(File.Exists(Path.Combine(lib, "script", "hello-team", "meta.yaml")));
        Assert.NotEqual(0, Cm("find", "script", "--tags=hello-team").ExitCode);
    }

    private static void Git(string cwd, params string[] args) => GitRepoScriptTests.Git(cwd, args);

    [WithToolFact("git")]
    public void AFileUrlIsClonedIntoCmReposAPullAgainUpdatesItAndRmAllDeletesTheClone()
    {
        var origin = SmallLibrary("origin-lib", "team@origin-lib", "first-script");
        Git(origin, "init", "-q");
        Git(origin, "add", ".");
        Git(origin, "commit", "-q", "-m", "first");
        var url = new Uri(origin).AbsoluteUri;

        var cloned = Cm("pull", "repo", url);
        Assert.True(cloned.ExitCode == 0, cloned.All);
        var clone = Path.Combine(CmHome, "repos", "origin-lib");
        Assert.Contains($"cloned: team@origin-lib (mlc, env prefix MLC_) at {clone}", cloned.Stdout);
        Assert.Equal([clone], Registered());
        Assert.Equal(Path.Combine(clone, "script", "first-script"), (string?)Assert.Single(Json(Cm("find", "script", "--tags=first-script", "-j")))["path"]);

        AddScript(origin, "second-script");
        Git(origin, "add", ".");
        Git(origin, "commit", "-q", "-m", "second");
        var updated = Cm("pull", "repo", url);
        Assert.True(updated.ExitCode == 0, updated.All);
        Assert.Contains("updated: team@origin-lib", updated.Stdout);
        Assert.Equal([clone], Registered());
        Assert.Single(Json(Cm("find", "script", "--tags=second-script", "-j")));

        var kept = Cm("rm", "repo", "team@origin-lib");
        Assert.Contains("its files are kept", kept.Stderr);
        Assert.True(Directory.Exists(clone));
        Assert.Equal(0, Cm("pull", "repo", url).ExitCode);
        var deleted = Cm("rm", "repo", clone, "--all");
        Assert.True(deleted.ExitCode == 0, deleted.All);
        Assert.Contains("deleted its clone", deleted.Stderr);
        Assert.False(Directory.Exists(clone));
        Assert.True(Directory.Exists(origin));
        Assert.Empty(Registered());
    }

    [WithToolFact("git")]
    public void AnUnreachableUrlIsOneParagraphAndLeavesNothingBehind()
    {
        // Port 9 on loopback refuses at once: no network is needed to fail.
        var r = Cm("pull", "repo", "http://127.0.0.1:9/team/scripts.git");
        AssertOneParagraph(r, "git clone of 'http://127.0.0.1:9/team/scripts.git' failed", "Offline, register a local folder");
        Assert.False(Directory.Exists(Path.Combine(CmHome, "repos", "scripts")));
        Assert.Empty(Registered());
    }

    [Fact]
    public void NamesThatAreNeitherFolderNorUrlAndUnknownRepositoriesAreOneParagraph()
    {
        AssertOneParagraph(Cm("pull", "repo", "no-such-folder"), "'no-such-folder' is not a folder, a git URL or a GitHub owner@name");
        AssertOneParagraph(Cm("pull", "repo", Directory.CreateDirectory(Path.Combine(temp, "empty")).FullName), "is not a script repository");
        AssertOneParagraph(Cm("rm", "repo", "team@nothing"), "no registered repository is called 'team@nothing'", "cm pull repo");
    }

    [WithLibraryFact]
    public void ARegisteredLibrarysScriptWinsOverOursWhichStaysReachableAsBuiltin()
    {
        var lib = VendoredLibrary.Root!;
        Assert.Equal(0, Cm("pull", "repo", lib).ExitCode);

        var shown = Cm("show", "script", "detect-os", "-j");
        Assert.True(shown.ExitCode == 0, shown.All);
        var theirs = JObject.Parse(shown.Stdout);
        Assert.Equal(Path.Combine(lib, "script", "detect-os"), (string?)theirs["path"]);
        Assert.Equal(VendoredLibrary.Alias, (string?)theirs["repo"]);
        Assert.Equal("MLC_", (string?)theirs["env_prefix"]);

        var ours = JObject.Parse(Cm("show", "script", "builtin:detect-os", "-j").Stdout);
        Assert.Equal(Path.Combine(RepoPaths.Root, "scripts", "detect-os"), (string?)ours["path"]);
        Assert.Equal("CM_", (string?)ours["env_prefix"]);

        var found = Json(Cm("find", "script", "--tags=detect,os", "-j"));
        Assert.Equal([VendoredLibrary.Alias, "builtin"], found.Select(f => (string)f["repo"]!));
        Assert.Equal("builtin:detect-os", (string?)found[1]["name"]);
        Assert.Equal($"{VendoredLibrary.Alias}:detect-os", (string?)found[1]["shadowed_by"]);
        Assert.Contains("(shadowed by mlcommons@mlperf-automations:detect-os)", Cm("find", "script", "--tags=detect,os").Stdout);

        var run = Cm("run", "script", "builtin:detect-os", "-j", "--quiet");
        Assert.True(run.ExitCode == 0, run.All);
        // Ours exports CM_HOST_OS_*; the library's would export MLC_HOST_OS_*.
        Assert.Contains(((JObject)JObject.Parse(run.Stdout)["new_env"]!).Properties(), p => p.Name.StartsWith("CM_HOST_OS_", StringComparison.Ordinal));
    }

    [WithLibraryFact]
    public void ScriptPathAtTheLibrarysRootIsUsedWithOneWarningInsteadOfIgnored()
    {
        var lib = VendoredLibrary.Root!;
        var r = Cm([("CM_SCRIPT_PATH", lib)], "find", "script", "--tags=get,cuda", "-j");
        var found = Json(r);
        Assert.Contains(found, f => (string?)f["path"] == Path.Combine(lib, "script", "get-cuda") && (string?)f["repo"] == VendoredLibrary.Alias);
        var warnings = r.Stderr.Split('\n').Where(l => l.Contains("is a repository root", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains(Path.Combine(lib, "script"), warnings[0]);
    }
}
