using Xunit;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>
/// MLPerf's official submission checker from the vendored tarball (../shared/vendor beside the repository), run
/// with python3 as MLPerf documents: <c>cd tools/submission &amp;&amp; python3 -m submission_checker.main ...</c>.
/// </summary>
internal static class OfficialChecker
{
    public const string Tarball = "mlperf-submission-checker-b66003e.tar.gz";

    private static readonly Lazy<string?> Archive = new(() => FindVendored(Tarball));
    private static readonly Lazy<string?> Missing = new(WhyUnavailable);

    /// <summary>Null when the checker can run, else why not (for the test's skip message).</summary>
    public static string? Unavailable => Missing.Value;

    /// <param name="workRoot">A test folder to unpack the checker into (once), deleted with the test's other folders.</param>
    /// <param name="options">More checker flags, e.g. --skip-dataset-size-check.</param>
    public static (int ExitCode, string Output) Run(string submissionDir, string workRoot, params string[] options)
    {
        var start = new ProcessStartInfo("python3")
        {
            WorkingDirectory = Path.Combine(Extract(Path.Combine(workRoot, "official-checker")), "tools", "submission"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No --skip_compliance: the flag has no effect in this checker (Config stores it, no check reads it), and
        // the open division's compliance checks are skipped anyway; OfficialCompliance.CheckAsClosed runs them.
        foreach (var arg in new[] { "-m", "submission_checker.main", "--input", submissionDir, "--version", "v6.1", "--csv", submissionDir.TrimEnd(Path.DirectorySeparatorChar) + ".summary.csv" }.Concat(options))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the official submission checker ran for over 2 minutes");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>A tarball of the repository root's ../shared/vendor, looked for from every folder above the test binaries.</summary>
    public static string? FindVendored(string tarball)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "vendor", tarball);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? WhyUnavailable()
    {
        if (Archive.Value is null)
            return $"Skipped: the official MLPerf submission checker ({Tarball}) is not in ../shared/vendor beside the repository.";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("python3", "-c \"import yaml\"") { RedirectStandardError = true })!;
            probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : "Skipped: python3 has no PyYAML (Debian package python3-yaml), which the official checker needs.";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "Skipped: python3 is not installed; the official MLPerf submission checker needs it.";
        }
    }

    public static string Extract(string dir) => ExtractVendored(Archive.Value!, dir);

    /// <summary>Unpacks a vendored tarball into <paramref name="dir"/> once (a finished folder is reused).</summary>
    public static string ExtractVendored(string tarball, string dir)
    {
        lock (Archive)
        {
            if (Directory.Exists(dir)) return dir;
            var partial = dir + ".partial";
            if (Directory.Exists(partial)) Directory.Delete(partial, true);
            Directory.CreateDirectory(partial);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, partial, overwriteFiles: true);
            Directory.Move(partial, dir);
            return dir;
        }
    }
}

/// <summary>A fact that is skipped, with the reason, where the official checker cannot run.</summary>
public sealed class OfficialCheckerFactAttribute : FactAttribute
{
    public OfficialCheckerFactAttribute()
    {
        if (OfficialChecker.Unavailable is { } reason) Skip = reason;
    }
}

/// <summary>A theory that is skipped, with the reason, where the official checker cannot run.</summary>
public sealed class OfficialCheckerTheoryAttribute : TheoryAttribute
{
    public OfficialCheckerTheoryAttribute()
    {
        if (OfficialChecker.Unavailable is { } reason) Skip = reason;
    }
}
