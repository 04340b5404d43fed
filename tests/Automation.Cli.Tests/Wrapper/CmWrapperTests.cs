using System.Diagnostics;
using Xunit;

namespace Automation.Cli.Tests.Wrapper;

/// <summary>
/// The repository's ./cm script itself, copied into a fake checkout with a fake `dotnet` first on PATH: whether it
/// publishes, what it hands the binary, and that it never overwrites a binary that may still be running.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CmWrapperTests : IDisposable
{
    // Stands in for `dotnet publish ... -o DIR`: writes DIR/cm, a script that says which build it is and what it got.
    private const string FakeDotnet = """
        #!/bin/sh
        echo "$*" >> "$FAKE_DOTNET_LOG"
        n=$(wc -l < "$FAKE_DOTNET_LOG" | tr -d ' ')
        out=; prev=
        for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
        mkdir -p "$out"
        printf '#!/bin/sh\necho "build=%s root=${CM_DEV_SOURCE_ROOT:-} just=${CM_DEV_JUST_BUILT:-} rebuild=${CM_DEV_REBUILD:-} args=$*"\n' "$n" > "$out/cm"
        chmod +x "$out/cm"
        """;

    private readonly string root = Directory.CreateTempSubdirectory("cm-wrapper-").FullName;
    private string Log => Path.Combine(root, "dotnet.log");
    private string Out => Path.Combine(root, "artifacts", "cm");

    public CmWrapperTests()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "cm"), Path.Combine(root, "cm"));
        Directory.CreateDirectory(Path.Combine(root, "src", "Automation.Cli"));
        Directory.CreateDirectory(Path.Combine(root, "fake-bin"));
        File.WriteAllText(Path.Combine(root, "fake-bin", "dotnet"), FakeDotnet.Replace("\r", "") + "\n");
        File.SetUnixFileMode(Path.Combine(root, "fake-bin", "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void FirstRunPublishesThenRunsTheNewBinaryMarkedJustBuilt()
    {
        var (code, stdout) = Wrapper([], "--version", "a b");
        Assert.Equal(0, code);
        Assert.Equal($"build=1 root={root} just=1 rebuild= args=--version a b", stdout);
        Assert.Contains("publish", File.ReadAllText(Log));
        Assert.True(File.Exists(Path.Combine(Out, ".built-at")));
        Assert.False(File.Exists(Path.Combine(Out, ".build-started")));
    }

    [Fact]
    public void LaterRunsExecTheBinaryWithTheCheckoutAndNothingElse()
    {
        Wrapper([], "--version");
        var (code, stdout) = Wrapper([], "run", "script");
        Assert.Equal(0, code);
        Assert.Equal($"build=1 root={root} just= rebuild= args=run script", stdout);
        Assert.Single(File.ReadAllLines(Log));
    }

    [Fact]
    public void RebuildRequestPublishesAgainWithoutTouchingTheRunningBinarysFile()
    {
        Wrapper([], "--version");
        File.WriteAllText(Path.Combine(Out, ".sources"), "src/\n");
        // An open handle, like a running cm's, keeps reading the old bytes for as long as nobody writes into that file.
        using var running = new StreamReader(Path.Combine(Out, "cm"));

        var (code, stdout) = Wrapper(new() { ["CM_DEV_REBUILD"] = "1" }, "--version");
        Assert.Equal(0, code);
        Assert.Equal($"build=2 root={root} just=1 rebuild= args=--version", stdout);
        Assert.Contains("build=1 ", running.ReadToEnd());
        Assert.False(File.Exists(Path.Combine(Out, ".sources")));
    }

    [Fact]
    public void ABinaryPublishedBeforeTheCheckExistedIsRebuiltOnce()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "cm"), "#!/bin/sh\necho old\n");
        File.SetUnixFileMode(Path.Combine(Out, "cm"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(Out, ".built-from"), "");
        Assert.StartsWith("build=1 ", Wrapper([], "--version").Stdout);
        Assert.False(File.Exists(Path.Combine(Out, ".built-from")));
        Assert.StartsWith("build=1 ", Wrapper([], "--version").Stdout);
    }

    [Fact]
    public void InstallBuildsWhenNeededAndLinksCmAndCmrIntoTheGivenFolder()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "cmr"), Path.Combine(root, "cmr"));
        var bin = Path.Combine(root, "user-bin");
        var (code, stdout) = Wrapper([], "install", bin);
        Assert.Equal(0, code);
        Assert.Contains($"linked {bin}/cm and {bin}/cmr", stdout);
        Assert.Equal(Path.Combine(Out, "cm"), new FileInfo(Path.Combine(bin, "cm")).LinkTarget);
        Assert.Equal(Path.Combine(root, "cmr"), new FileInfo(Path.Combine(bin, "cmr")).LinkTarget);
        Assert.Single(File.ReadAllLines(Log));

        // cmr through its link runs the linked cm: tags from the first word, the rest unchanged.
        var (cmrCode, cmrOut) = Run(Path.Combine(bin, "cmr"), [], "get python3", "-j", "--quiet");
        Assert.Equal(0, cmrCode);
        Assert.EndsWith("args=run script --tags=get,python3 -j --quiet", cmrOut);
        Assert.EndsWith("args=run script --tags=detect,os", Run(Path.Combine(bin, "cmr"), [], "detect,os").Stdout);
        Assert.EndsWith("args=run script --tags=get,x --env.A=1", Run(Path.Combine(bin, "cmr"), [], "--tags=get,x", "--env.A=1").Stdout);
    }

    private (int Code, string Stdout) Wrapper(Dictionary<string, string> env, params string[] args) => Run(Path.Combine(root, "cm"), env, args);

    private (int Code, string Stdout) Run(string file, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PATH"] = Path.Combine(root, "fake-bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["FAKE_DOTNET_LOG"] = Log;
        foreach (var name in new[] { "CM_DEV_SOURCE_ROOT", "CM_DEV_REBUILD", "CM_DEV_JUST_BUILT" }) start.Environment.Remove(name);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{Path.GetFileName(file)} exited {p.ExitCode}: {stderr.Result}");
        return (p.ExitCode, stdout.TrimEnd('\n'));
    }
}
