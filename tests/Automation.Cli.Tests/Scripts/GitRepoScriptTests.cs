using System.Diagnostics;
using Automation.Core.Execution;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>get-git-repo (with its get-git dep) cloning a bare repository made by the test, over file://.</summary>
public sealed class GitRepoScriptTests : ScriptTestBase
{
    private readonly string _url;
    private readonly string _firstCommit;
    private readonly string _mainHead;

    public GitRepoScriptTests()
    {
        var work = Fx.Folder("work", onPath: false);
        Git(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "README"), "v1\n");
        Git(work, "add", "README");
        Git(work, "commit", "-q", "-m", "first");
        _firstCommit = Git(work, "rev-parse", "HEAD");
        Git(work, "tag", "v1.0");
        for (var i = 2; i <= 8; i++)
        {
            File.WriteAllText(Path.Combine(work, "README"), $"v{i}\n");
            Git(work, "commit", "-q", "-am", $"change {i}");
        }
        _mainHead = Git(work, "rev-parse", "HEAD");
        Git(work, "checkout", "-q", "-b", "feature");
        File.WriteAllText(Path.Combine(work, "FEATURE"), "on feature\n");
        Git(work, "add", "FEATURE");
        Git(work, "commit", "-q", "-m", "feature");
        Git(work, "checkout", "-q", "main");
        var bare = Path.Combine(Fx.Root, "origin.git");
        Git(Fx.Root, "clone", "-q", "--bare", work, bare);
        _url = new Uri(bare).AbsoluteUri;
    }

    /// <summary>git with a fixed identity and default branch (also used by the repository tests).</summary>
    internal static string Git(string cwd, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", .. args]) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {error.Result}");
        return output.Result.Trim();
    }

    private Dictionary<string, string> Inputs(params (string Key, string Value)[] extra)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { ["url"] = _url };
        foreach (var (k, v) in extra) inputs[k] = v;
        return inputs;
    }

    [WithToolFact("git")]
    public async Task Clones_the_default_branch_with_get_git_and_reuses_the_clone_from_cache()
    {
        var first = await Cm.RunAsync("get,git,repo", inputs: Inputs(("env_key", "CM_MLPERF_INFERENCE_SOURCE")));
        var second = await Cm.RunAsync("get,git,repo", inputs: Inputs(("env_key", "CM_MLPERF_INFERENCE_SOURCE")));

        var env = first.Root.Outcome.NewEnv;
        var checkout = env["CM_GIT_REPO_CHECKOUT_PATH"];
        Assert.Equal("v8\n", File.ReadAllText(Path.Combine(checkout, "README")));
        Assert.Equal(_mainHead, env["CM_GIT_REPO_CURRENT_HASH"]);
        Assert.Equal(checkout, env["CM_MLPERF_INFERENCE_SOURCE"]);
        Assert.Equal(["get-git", "get-git-repo"], first.Steps.Select(s => s.Script));
        Assert.True(second.Root.FromCache);
    }

    [WithToolFact("git")]
    public async Task Checks_out_a_branch_a_tag_or_a_commit()
    {
        var branch = await Cm.RunAsync("get,git,repo", inputs: Inputs(("branch", "feature")));
        var tag = await Cm.RunAsync("get,git,repo,_tag.v1.0", inputs: Inputs());
        var commit = await Cm.RunAsync("get,git,repo", inputs: Inputs(("checkout", _firstCommit)));

        Assert.True(File.Exists(Path.Combine(branch.Root.Outcome.NewEnv["CM_GIT_REPO_CHECKOUT_PATH"], "FEATURE")));
        Assert.Equal(_firstCommit, tag.Root.Outcome.NewEnv["CM_GIT_REPO_CURRENT_HASH"]);
        Assert.Equal(_firstCommit, commit.Root.Outcome.NewEnv["CM_GIT_REPO_CURRENT_HASH"]);
        Assert.NotEqual(branch.Root.Key, commit.Root.Key);
    }

    [WithToolFact("git")]
    public async Task Short_history_is_a_shallow_clone()
    {
        var run = await Cm.RunAsync("get,git,repo,_short-history", inputs: Inputs());

        Assert.Equal("5", Git(run.Root.Outcome.NewEnv["CM_GIT_REPO_CHECKOUT_PATH"], "rev-list", "--count", "HEAD"));
    }

    [WithToolFact("git")]
    public async Task An_unknown_commit_fails_clearly_and_caches_nothing()
    {
        var e = await Assert.ThrowsAsync<ScriptFailedException>(() => Cm.RunAsync("get,git,repo", inputs: Inputs(("checkout", "0123456789abcdef0123456789abcdef01234567"))));

        Assert.Equal(3, e.ScriptExitCode);
        Assert.Contains("commit '0123456789abcdef0123456789abcdef01234567' is not in", e.Message);
    }

    [WithToolFact("git")]
    public async Task No_url_says_which_flag_to_pass()
    {
        var e = await Assert.ThrowsAsync<ScriptFailedException>(() => Cm.RunAsync("get,git,repo"));

        Assert.Contains("pass --url=URL", e.Message);
    }
}
