using System.Diagnostics;
using Automation.Core.Detection;
using Automation.Core.Versioning;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Detection;

/// <summary>Detection of tools really installed on this machine (Debian image with git and python3).</summary>
public sealed class RealToolTests
{
    private static readonly Detector Detector = FakeToolFixture.CreateDetector();

    [Fact]
    public async Task Detects_usr_bin_git()
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin" };

        var result = await Detector.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Git, "get-git"), env, VersionConstraint.None, CancellationToken.None);

        Assert.Equal("/usr/bin/git", result.Path);
        Assert.Equal($"git version {result.Version.Original}", FirstLine(Run("/usr/bin/git", "--version")));
        Assert.True(result.Version >= ToolVersion.Parse("2.0"));
    }

    [Fact]
    public async Task Detects_python3_from_the_host_path_and_the_version_matches_sys_version_info()
    {
        var result = await Detector.DetectAsync(
            FakeToolFixture.Spec(ToolSpecs.Python3, "get-python3"), new Dictionary<string, string>(), new VersionConstraint(Min: "3.0"), CancellationToken.None);

        var reported = FirstLine(Run(result.Path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"));
        Assert.Equal(reported, result.Version.Original);
        Assert.Equal(result.Path, result.Env["CM_PYTHON_BIN_WITH_PATH"]);
        Assert.All(result.Candidates.Where(c => c.Version is not null), c => Assert.True(ToolVersion.Parse(c.Version!) <= result.Version));
    }

    [Fact]
    public void Real_path_resolves_linked_folders_and_files()
    {
        // /usr/bin/python3 is a link to python3.11 on Debian; /bin is a link to usr/bin on merged-/usr systems.
        var fs = PhysicalFileSystem.Instance;
        var viaUsr = fs.GetRealPath("/usr/bin/python3");
        Assert.Equal(viaUsr, fs.GetRealPath("/bin/python3"));
        Assert.NotEqual("/usr/bin/python3", viaUsr);
        Assert.True(fs.IsExecutable(viaUsr));
    }

    [Fact]
    public void Executable_bit_and_relative_links_inside_a_fixture()
    {
        using var fx = new FakeToolFixture();
        var fs = PhysicalFileSystem.Instance;
        var tool = fx.AddTool("tool", stdout: "1.0", folder: "opt/tool-1.0/bin");
        var plain = fx.AddFile("notes", "text");
        fx.AddLink("opt/current", "tool-1.0");
        var viaLink = fx.AddLink("bin/tool", "../opt/current/bin/tool");

        Assert.True(fs.IsExecutable(tool));
        Assert.True(fs.IsExecutable(viaLink));
        Assert.False(fs.IsExecutable(plain));
        Assert.False(fs.IsExecutable(Path.Combine(fx.Root, "missing")));
        Assert.Equal(tool, fs.GetRealPath(viaLink));
        Assert.Equal(tool, fs.GetRealPath(Path.Combine(fx.Root, "opt/current/bin/../bin/tool")));
    }

    private static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
