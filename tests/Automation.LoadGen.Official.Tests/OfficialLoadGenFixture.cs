using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Automation.LoadGen.Official.Tests;

/// <summary>Runs the cm binary built next to the tests (the JIT build of src/Automation.Cli) as a child process.</summary>
public static class Cm
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(IEnumerable<string> args, TimeSpan timeout)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "cm.exe" : "cm");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "cm.dll") } };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = TestRepo.Root;
        // None of the developer's registered repositories (~/CM/repos.json): a folder that is never created.
        start.Environment["CM_REPOS"] = Path.Combine(Path.GetTempPath(), "cm-test-repos-" + Guid.NewGuid().ToString("N"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cm {string.Join(' ', args)} ran longer than {timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>`cm run script ... -j` into <paramref name="cacheDir"/>; fails the test with cm's stderr when it fails.</summary>
    public static JsonElement RunScriptJson(string cacheDir, TimeSpan timeout, params string[] args)
    {
        var result = Run(["run", "script", .. args, "--cache-dir", cacheDir, "-j"], timeout);
        Assert.True(result.ExitCode == 0, $"cm exited {result.ExitCode}\nstderr:\n{result.Stderr}\nstdout:\n{result.Stdout}");
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }
}

/// <summary>
/// Builds the official LoadGen and the shim once per test run, the way users do (`cm run script
/// --tags=get,mlperf,inference,loadgen`, offline from the vendored archive), into a temporary cache that the
/// benchmark test reuses. Takes about a minute.
/// </summary>
public sealed class OfficialLoadGenFixture : IDisposable
{
    private readonly Lazy<JsonElement> _build;
    private readonly TempDir _cache = new();

    public OfficialLoadGenFixture()
    {
        _build = new Lazy<JsonElement>(() => Cm.RunScriptJson(_cache.Path, TimeSpan.FromMinutes(10),
            "--tags=get,mlperf,inference,loadgen", $"--source={TestRepo.LoadGenArchivePath}"));
    }

    public string CacheDir => _cache.Path;
    public JsonElement BuildOutput => _build.Value;
    public string ShimLibrary => BuildOutput.GetProperty("new_env").GetProperty(OfficialLoadGen.ShimLibraryEnv).GetString()!;

    public void Dispose() => _cache.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OfficialCollection : ICollectionFixture<OfficialLoadGenFixture>
{
    public const string Name = "official LoadGen build";
}
