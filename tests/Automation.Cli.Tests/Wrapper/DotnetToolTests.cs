using System.Diagnostics;
using Xunit;

namespace Automation.Cli.Tests.Wrapper;

/// <summary>cm as a .NET tool: packed from this checkout, installed from the local package, run outside any checkout.</summary>
public sealed class DotnetToolTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cm-tool-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    [Fact]
    public void PacksInstallsFromALocalSourceAndRunsOurScriptsAnywhere()
    {
        var packages = Path.Combine(root, "packages");
        var tools = Path.Combine(root, "tools");
        Run("dotnet", RepoPaths.Root, "pack", Path.Combine(RepoPaths.Root, "src", "Automation.Cli"), "-c", "Release", "-o", packages, "--nologo", "-v", "quiet");
        Assert.Single(Directory.GetFiles(packages, "Automation.Cm.*.nupkg"));
        Run("dotnet", root, "tool", "install", "--tool-path", tools, "--add-source", packages, "Automation.Cm");

        var elsewhere = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
        var home = Path.Combine(root, "cm-home");
        var output = RunWith(Path.Combine(tools, "cm"), elsewhere, new() { ["CM_REPOS"] = home }, "run", "script", "detect os", "-j", "--quiet");
        Assert.Contains("\"script\": \"detect-os\"", output);
        // Outside a workspace the cache is the CM home's, not the current folder's.
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        Assert.True(Directory.Exists(Path.Combine(home, "cache")));
    }

    private static string Run(string file, string workDir, params string[] args) => RunWith(file, workDir, [], args);

    private static string RunWith(string file, string workDir, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        start.Environment.Remove("CM_CACHE_DIR");
        start.Environment.Remove("CM_SCRIPT_PATH");
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(8))) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)}"); }
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }
}
