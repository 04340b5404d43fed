using Automation.Core.Catalog;
using Automation.Core.Repos;
using Automation.Core.Tests.Repos;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Catalog;

/// <summary>Script roots in precedence order: CM_SCRIPT_PATH, registered repositories, builtin; and what the user is told.</summary>
public sealed class WorkspaceLocatorTests : IDisposable
{
    private readonly RepoFixture fx = new();

    public WorkspaceLocatorTests()
    {
        fx.Plain("ws/scripts", "detect-os");
        File.WriteAllText(fx["ws/.cm-workspace"], "");
    }

    public void Dispose() => fx.Dispose();

    private Workspace Locate(params (string Key, string Value)[] env) =>
        new WorkspaceLocator(PhysicalFileSystem.Instance, new TestHost(fx["ws"], [("CM_REPOS", fx["cm-home"]), .. env])).Locate();

    [Fact]
    public void ScriptPathComesFirstThenRegisteredRepositoriesInOrderThenBuiltin()
    {
        var registry = new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]);
        registry.Add(fx.Mlc("b-lib", "owner@b", "x"));
        registry.Add(fx.Cm("a-lib", "owner@a", null, "y"));
        var mine = fx.Plain("mine", "z");
        var ws = Locate(("CM_SCRIPT_PATH", mine));
        Assert.Equal(["mine", "owner@b", "owner@a", "builtin"], ws.ScriptRoots.Select(r => r.Repo));
        Assert.Equal([RootSource.ScriptPath, RootSource.Registered, RootSource.Registered, RootSource.Builtin], ws.ScriptRoots.Select(r => r.Source));
        Assert.Equal([null, "MLC_", "CM_", "CM_"], ws.ScriptRoots.Select(r => r.EnvPrefix));
        Assert.Empty(ws.Warnings);
    }

    [Fact]
    public void ScriptPathAtARepositoryRootUsesItsScriptFolderAndSaysSo()
    {
        var lib = fx.Mlc("lib", "mlcommons@mlperf-automations", "detect-os");
        var ws = Locate(("CM_SCRIPT_PATH", lib));
        var root = ws.ScriptRoots[0];
        Assert.Equal(Path.Combine(lib, "script"), root.Path);
        Assert.Equal("mlcommons@mlperf-automations", root.Repo);
        Assert.Equal("MLC_", root.EnvPrefix);
        var warning = Assert.Single(ws.Warnings);
        Assert.Contains("repository root", warning);
        Assert.Contains(Path.Combine(lib, "script"), warning);
    }

    [Fact]
    public void ScriptPathAtALibrarysScriptFolderKeepsTheLibrarysNameAndPrefixQuietly()
    {
        var lib = fx.Mlc("lib", "mlcommons@mlperf-automations", "detect-os");
        var ws = Locate(("CM_SCRIPT_PATH", Path.Combine(lib, "script")));
        Assert.Equal("mlcommons@mlperf-automations", ws.ScriptRoots[0].Repo);
        Assert.Equal("MLC_", ws.ScriptRoots[0].EnvPrefix);
        Assert.Equal(lib, ws.ScriptRoots[0].RepoPath);
        Assert.Empty(ws.Warnings);
    }

    [Fact]
    public void AVanishedRegisteredRepositoryOrAMissingScriptPathEntryIsAWarningNotAFailure()
    {
        var registry = new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]);
        registry.Add(fx["gone"]);
        var ws = Locate(("CM_SCRIPT_PATH", fx["nowhere"]));
        Assert.Equal(["builtin"], ws.ScriptRoots.Select(r => r.Repo));
        Assert.Equal(2, ws.Warnings.Count);
        Assert.Contains(ws.Warnings, w => w.Contains(fx["gone"], StringComparison.Ordinal) && w.Contains("cm rm repo", StringComparison.Ordinal));
        Assert.Contains(ws.Warnings, w => w.Contains(fx["nowhere"], StringComparison.Ordinal));
    }

    [Fact]
    public void AFolderRegisteredAndOnScriptPathIsSearchedOnce()
    {
        var lib = fx.Mlc("lib", "owner@lib", "x");
        new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]).Add(lib);
        var ws = Locate(("CM_SCRIPT_PATH", Path.Combine(lib, "script")));
        Assert.Equal(["owner@lib", "builtin"], ws.ScriptRoots.Select(r => r.Repo));
    }
}
