using Automation.Cli.Hosting;
using Xunit;

namespace Automation.Cli.Tests.Wrapper;

/// <summary>
/// cm run as ./cm runs it (CM_DEV_SOURCE_ROOT set) against a fake checkout whose ./cm only reports how it was called:
/// the check and the hand-over to the wrapper, without publishing anything.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DevRebuildTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cm-dev-").FullName;

    public DevRebuildTests()
    {
        Write("src/App/Program.cs", "class P {}");
        Write("artifacts/cm/.built-at", "");
        Write("cm", "#!/bin/sh\necho \"wrapper rebuild=${CM_DEV_REBUILD:-} root=${CM_DEV_SOURCE_ROOT:-} args=$*\"\nexit 7\n");
        File.SetUnixFileMode(Path.Combine(root, "cm"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(Path.Combine(root, "src/App/Program.cs"), old);
        foreach (var dir in new[] { "src/App", "src" }) Directory.SetLastWriteTimeUtc(Path.Combine(root, dir), old);
        File.SetLastWriteTimeUtc(Path.Combine(root, "artifacts/cm/.built-at"), old.AddHours(1));
    }

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void CurrentSourcesRunThisCm()
    {
        var result = Cm(new() { [DevRebuild.RootVariable] = root }, "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("wrapper", result.All);
        Assert.True(File.Exists(Path.Combine(root, "artifacts/cm/.sources")));
    }

    [Fact]
    public void ChangedSourcesGoBackToTheWrapperWithTheSameArgumentsAndItsExitCode()
    {
        File.SetLastWriteTimeUtc(Path.Combine(root, "src/App/Program.cs"), DateTime.UtcNow);
        var result = Cm(new() { [DevRebuild.RootVariable] = root }, "--version", "a b");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("wrapper rebuild=1 root= args=--version a b\n", result.Stdout);
        Assert.Contains("cm: src/App/Program.cs changed since cm was built.", result.Stderr);
    }

    [Fact]
    public void AChangeFoundRightAfterABuildDoesNotBuildAgain()
    {
        File.SetLastWriteTimeUtc(Path.Combine(root, "src/App/Program.cs"), DateTime.UtcNow.AddDays(1));
        var result = Cm(new() { [DevRebuild.RootVariable] = root, [DevRebuild.JustBuiltVariable] = "1" }, "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("wrapper", result.All);
        Assert.Contains("src/App/Program.cs is dated after the build that just finished", result.Stderr);
    }

    [Fact]
    public void WithoutTheWrappersVariableNothingIsChecked()
    {
        File.SetLastWriteTimeUtc(Path.Combine(root, "src/App/Program.cs"), DateTime.UtcNow);
        var result = Cm([], "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("wrapper", result.All);
        Assert.False(File.Exists(Path.Combine(root, "artifacts/cm/.sources")));
    }

    private CmResult Cm(Dictionary<string, string> env, params string[] args) => CmProcess.Run(root, env, args);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
