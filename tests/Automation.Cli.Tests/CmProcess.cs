using System.Diagnostics;

namespace Automation.Cli.Tests;

public sealed record CmResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}

/// <summary>Runs the real cm (the build next to the tests, or CM_TEST_BINARY for the published one) as a child process.</summary>
public static class CmProcess
{
    public static string? PublishedBinary => Environment.GetEnvironmentVariable("CM_TEST_BINARY") is { Length: > 0 } p && File.Exists(p) ? p : null;

    public static ProcessStartInfo StartInfo(string workDir, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = PublishedBinary is { } bin ? new ProcessStartInfo(bin) : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "cm.dll") } };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.WorkingDirectory = workDir;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.Environment.Remove("CM_SCRIPT_PATH");
        psi.Environment.Remove("CM_CACHE_DIR");
        // None of the developer's registered repositories (~/CM/repos.json): a fresh, never-created folder unless
        // the test gives its own CM_REPOS.
        psi.Environment["CM_REPOS"] = Path.Combine(Path.GetTempPath(), "cm-test-repos-" + Guid.NewGuid().ToString("N"));
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    public static CmResult Run(string workDir, params string[] args) => Run(workDir, null, args);

    public static CmResult Run(string workDir, IReadOnlyDictionary<string, string>? env, params string[] args) => Run(workDir, env, TimeSpan.FromMinutes(5), args);

    public static CmResult Run(string workDir, IReadOnlyDictionary<string, string>? env, TimeSpan timeout, params string[] args)
    {
        using var p = Process.Start(StartInfo(workDir, args, env))!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"cm {string.Join(' ', args)} did not finish in {timeout.TotalMinutes} min"); }
        return new CmResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
