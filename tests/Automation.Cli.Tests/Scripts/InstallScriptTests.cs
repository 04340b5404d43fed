using System.Diagnostics;
using Automation.Core.Execution;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>
/// The install path: detection finds nothing, install_deps run get-generic-sys-util through the package manager
/// detect-os found, detection runs again. With a fixture apt-get (a fake that "installs" a fake tool) on a PATH
/// that hides the real tool; and once for real with apt-get and Debian's small `tree` package (Debian 12's `hello`
/// prints no version, so it cannot be detected).
/// </summary>
public sealed class InstallScriptTests() : ScriptTestBase(ScriptHarness.Fixtures)
{
    /// <summary>A fake apt-get that, asked to install <paramref name="package"/>, writes a fake <paramref name="tool"/> printing <paramref name="banner"/>.</summary>
    private (string AptGet, string ToolFolder) FakeApt(string package, string tool, string banner)
    {
        var installed = Fx.Folder("installed"); // on PATH, empty until the "install"
        var apt = Fx.AddScript("apt-get", $$"""
            verb=""
            for a in "$@"; do last="$a"; case "$a" in install|update) [ -z "$verb" ] && verb="$a" ;; esac; done
            if [ "$verb" = install ] && [ "$last" = '{{package}}' ]; then
              echo '#!/bin/sh' > '{{installed}}/{{tool}}'
              echo "echo '{{banner}}'" >> '{{installed}}/{{tool}}'
              /bin/chmod +x '{{installed}}/{{tool}}'
              echo "Setting up {{package}} ..."
              exit 0
            fi
            echo "E: Unable to locate package $last" >&2
            exit 100
            """, folder: "fake-apt");
        Fx.AddScript("id", "if [ \"$1\" = -u ]; then echo 0; else echo root; fi", folder: "fake-apt");
        return (apt, installed);
    }

    [Fact]
    public async Task Get_cmake_without_cmake_installs_it_through_apt_and_the_second_run_is_served_from_cache()
    {
        var (apt, installed) = FakeApt("cmake", "cmake", "cmake version 3.31.6");
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, "cmake", "cmake3", "apt-get", "dpkg-query", "id") };

        var first = await Cm.RunAsync("get,cmake", env);
        var second = await Cm.RunAsync("get,cmake", env);

        Assert.Equal(Path.Combine(installed, "cmake"), first.Root.Outcome.NewEnv["CM_CMAKE_BIN_WITH_PATH"]);
        Assert.Equal("3.31.6", first.Root.Outcome.Version);
        Assert.Equal(["detect-os", "get-generic-sys-util", "get-cmake"], first.Steps.Select(s => s.Script));
        Assert.Equal("cmake", ScriptHarness.Step(first, "get-generic-sys-util").Outcome.NewEnv["CM_SYS_UTIL_INSTALLED_PACKAGE"]);
        Assert.Equal(["-o DPkg::Lock::Timeout=600 install -y --no-install-recommends cmake"], Fx.CallsOf(apt));
        Assert.True(second.Root.FromCache);
        Assert.Single(second.Steps);
        Assert.Single(Fx.CallsOf(apt));
    }

    [Fact]
    public async Task An_install_that_does_not_produce_the_tool_fails_with_the_detection_error()
    {
        FakeApt("git", "not-git", "whatever");
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, "git", "apt-get", "dpkg-query", "id") };

        var e = await Assert.ThrowsAsync<Core.Detection.DetectionException>(() => Cm.RunAsync("get,git", env));

        Assert.Contains("No usable git", e.Message);
        Assert.Contains("The install (get-generic-sys-util,_git) ran, but did not provide a usable git", e.Message);
    }

    [Fact]
    public async Task Sys_util_without_root_or_sudo_says_what_to_run_by_hand()
    {
        Fx.AddScript("id", "if [ \"$1\" = -u ]; then echo 1000; else echo builder; fi");
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, "id", "sudo") };

        // A package that is not installed: one that is already there needs no root at all.
        var e = await Assert.ThrowsAsync<ScriptFailedException>(() => Cm.RunAsync("get,generic-sys-util,_name.cm-test-absent-package", env));

        Assert.Equal(3, e.ScriptExitCode);
        Assert.Contains("needs root", e.Message);
        Assert.Contains("Run by hand: sudo apt-get install -y cm-test-absent-package", e.Message);
    }

    [Fact]
    public async Task Sys_util_without_a_package_manager_says_so()
    {
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, HostTools.PackageManagers) };

        var e = await Assert.ThrowsAsync<ScriptFailedException>(() => Cm.RunAsync("get,generic-sys-util,_name.libfoo-dev", env));

        Assert.Equal(2, e.ScriptExitCode);
        Assert.Contains("no supported package manager", e.Message);
        Assert.Contains("Install 'libfoo-dev' by hand", e.Message);
    }

    [Fact]
    public async Task A_missing_tool_that_cannot_be_installed_reports_both_the_search_and_the_install_failure()
    {
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, ["cmake", "cmake3", .. HostTools.PackageManagers]) };

        var e = await Assert.ThrowsAsync<Core.Detection.DetectionException>(() => Cm.RunAsync("get,cmake", env));

        Assert.Contains("No usable cmake was found", e.Message);
        Assert.Contains("Installing it (get-generic-sys-util,_cmake) failed too", e.Message);
        Assert.Contains("no supported package manager", e.Message);
    }

    [Fact]
    public async Task Sys_util_name_variation_passes_the_package_name_to_the_manager()
    {
        var (apt, _) = FakeApt("libfoo-dev", "foo", "foo 1.0");
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, "apt-get", "dpkg-query", "id") };

        var run = await Cm.RunAsync("get,generic-sys-util,_name.libfoo-dev", env);

        Assert.Equal("libfoo-dev", run.Root.Outcome.NewEnv["CM_SYS_UTIL_INSTALLED_PACKAGE"]);
        Assert.Equal(["-o DPkg::Lock::Timeout=600 install -y --no-install-recommends libfoo-dev"], Fx.CallsOf(apt));
    }

    [Fact]
    public async Task Sys_util_skips_a_package_that_dpkg_reports_installed_even_without_root()
    {
        if (!File.Exists("/usr/bin/dpkg-query") || !DpkgInstalled("bash")) return; // needs a Debian host, where bash is always installed
        var (apt, _) = FakeApt("bash", "bash", "unused");
        Fx.AddScript("id", "if [ \"$1\" = -u ]; then echo 1000; else echo builder; fi");
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, "apt-get", "id", "sudo") };

        var run = await Cm.RunAsync("get,generic-sys-util,_name.bash", env);

        Assert.Empty(Fx.CallsOf(apt));
        Assert.Equal("bash", run.Root.Outcome.NewEnv["CM_SYS_UTIL_INSTALLED_PACKAGE"]);
    }

    [Fact]
    public async Task Sys_util_check_command_that_succeeds_installs_nothing()
    {
        var (apt, _) = FakeApt("cmake", "cmake", "cmake version 9.9.9");
        var env = new Dictionary<string, string> { ["PATH"] = HostTools.PathWithout(Fx, "apt-get", "id") };

        var run = await Cm.RunAsync("get,generic-sys-util,_cmake", env, new Dictionary<string, string> { ["check"] = "test -d /" });

        Assert.Equal("", run.Root.Outcome.NewEnv["CM_SYS_UTIL_INSTALLED_PACKAGE"]);
        Assert.Empty(Fx.CallsOf(apt));
    }

    [RootAptFact]
    public async Task Get_tree_installs_the_debian_package_for_real_then_serves_it_from_cache()
    {
        var wasInstalled = DpkgInstalled("tree");
        // tree is a leaf package (nothing depends on it), so removing it first is safe; the end restores the state.
        if (wasInstalled) Apt("purge", "-y", "tree");
        try
        {
            var first = await Cm.RunAsync("get,tree");
            var second = await Cm.RunAsync("get,tree");

            Assert.Equal("/usr/bin/tree", first.Root.Outcome.NewEnv["CM_TREE_BIN_WITH_PATH"]);
            Assert.Matches(@"^\d+\.\d+\.\d+$", first.Root.Outcome.NewEnv["CM_TREE_VERSION"]);
            Assert.Equal("tree", ScriptHarness.Step(first, "get-generic-sys-util").Outcome.NewEnv["CM_SYS_UTIL_INSTALLED_PACKAGE"]);
            Assert.True(DpkgInstalled("tree"));
            Assert.True(second.Root.FromCache);
        }
        finally
        {
            if (!wasInstalled) Apt("purge", "-y", "tree");
        }
    }

    private static bool DpkgInstalled(string package) =>
        Run("dpkg-query", "-W", "-f=${Status}", package).Output.Contains("install ok installed");

    private static void Apt(params string[] args) => Assert.Equal(0, Run("apt-get", args).ExitCode);

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error.Result);
    }
}
