using System.Diagnostics;
using Automation.Core.World;
using Automation.Mlperf.Compliance;
using Xunit;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>
/// MLPerf's official compliance tests from the vendored tarballs, laid out as in an mlcommons/inference checkout
/// (compliance/ beside tools/submission/, whose log_parser.py TEST01 imports), run with a python3 that has numpy; and
/// the official checker's compliance check run on a tree as it runs for the closed division.
/// </summary>
internal static class OfficialCompliance
{
    public const string Tarball = "mlperf-compliance-b66003e.tar.gz";

    private static readonly Lazy<string?> Archive = new(() => OfficialChecker.FindVendored(Tarball));
    private static readonly Lazy<string?> NumpyPython = new(FindPython);

    /// <summary>Null when the official compliance scripts can run here, else why not (for the skip message).</summary>
    public static string? Unavailable =>
        OfficialChecker.Unavailable
        ?? (Archive.Value is null ? $"Skipped: the official MLPerf compliance tests ({Tarball}) are not in ../shared/vendor beside the repository." : null)
        ?? (NumpyPython.Value is null ? "Skipped: no python3 with numpy (Debian package python3-numpy), which MLPerf's TEST01 verification imports." : null);

    public static string Python => NumpyPython.Value!;

    /// <summary>The compliance/ folder under <paramref name="workRoot"/> (unpacked once), with ../tools/submission beside it.</summary>
    public static string Extract(string workRoot)
    {
        var root = Path.Combine(workRoot, "official-inference");
        OfficialChecker.ExtractVendored(Archive.Value!, Path.Combine(root, "compliance-archive"));
        OfficialChecker.Extract(Path.Combine(root, "checker-archive"));
        var layout = Path.Combine(root, "inference");
        lock (Archive)
        {
            if (!Directory.Exists(layout))
            {
                CopyTree(Path.Combine(root, "compliance-archive", "compliance"), Path.Combine(layout, "compliance"));
                CopyTree(Path.Combine(root, "checker-archive", "tools"), Path.Combine(layout, "tools"));
            }
        }
        return Path.Combine(layout, "compliance");
    }

    public static ComplianceScripts Scripts(string workRoot) => ComplianceScripts.Open(Extract(workRoot), Python);

    public static ComplianceVerifier Verifier(string workRoot) => new(Scripts(workRoot), CliWrapProcessRunner.Instance);

    /// <summary>
    /// The official checker's ComplianceCheck on every result of the tree with the division set to closed, which is
    /// how it runs for a closed tree (for open it logs "Compliance tests not needed for open division" and passes).
    /// <paramref name="withPerformanceChecks"/>: also its PerformanceCheck of each TESTnn run (the 600 s minimum
    /// and the rest), which a run at reduced duration fails by design.
    /// </summary>
    public static (int ExitCode, string Output) CheckAsClosed(string submissionDir, string workRoot, bool withPerformanceChecks = true)
    {
        var tools = Path.Combine(OfficialChecker.Extract(Path.Combine(workRoot, "official-checker")), "tools", "submission");
        var driver = Path.Combine(workRoot, "compliance_as_closed.py");
        File.WriteAllText(driver, Driver);
        var start = new ProcessStartInfo("python3") { WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { driver, submissionDir, withPerformanceChecks ? "1" : "0" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the official compliance check ran for over 2 minutes");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }

    private const string Driver = """
        import logging, sys
        sys.path.insert(0, ".")
        from submission_checker.configuration.configuration import Config
        from submission_checker.loader import Loader
        from submission_checker.checks.compliance_check import ComplianceCheck
        logging.basicConfig(level=logging.INFO)
        log = logging.getLogger("main")
        root, with_performance = sys.argv[1], sys.argv[2] == "1"
        config = Config("v6.1", None, skip_dataset_size_check=True, skip_power_check=True)
        results, failed = 0, 0
        for logs in Loader(root, "v6.1", config).load():
            logs.loader_data["division"] = "closed"
            check = ComplianceCheck(log, logs.loader_data["compliance_path"], config, logs)
            if not with_performance:
                check.apply_checks.discard(check.performance_check)
            results += 1
            log.info("compliance tests of %s: %s", logs.loader_data["perf_path"], ",".join(check.test_list))
            if not check():
                failed += 1
        print("COMPLIANCE AS CLOSED: results=%d failed=%d" % (results, failed))
        sys.exit(1 if failed or not results else 0)
        """;

    private static string? FindPython()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, "-c \"import numpy\"") { RedirectStandardError = true })!;
                probe.StandardError.ReadToEnd();
                probe.WaitForExit();
                if (probe.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }
        return null;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>A fact that is skipped, with the reason, where the official compliance scripts cannot run.</summary>
public sealed class OfficialComplianceFactAttribute : FactAttribute
{
    public OfficialComplianceFactAttribute()
    {
        if (OfficialCompliance.Unavailable is { } reason) Skip = reason;
    }
}

/// <summary>A theory that is skipped, with the reason, where the official compliance scripts cannot run.</summary>
public sealed class OfficialComplianceTheoryAttribute : TheoryAttribute
{
    public OfficialComplianceTheoryAttribute()
    {
        if (OfficialCompliance.Unavailable is { } reason) Skip = reason;
    }
}
