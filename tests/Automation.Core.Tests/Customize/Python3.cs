using Automation.Cli.Tests;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Customize;

/// <summary>The python3 the customize host tests run (CM_PYTHON_HOST or CM_PYTHON_BIN, else python3 on PATH), as the engine picks it.</summary>
public static class Python3
{
    public static string? Executable { get; } = Find();

    /// <summary>The host package (src/Automation.Core/Customize/python) in this checkout.</summary>
    public static string HostDir => Path.Combine(RepoPaths.Root, "src", "Automation.Core", "Customize", "python");

    /// <summary>The host's Python tests and their helpers (tests/Automation.Core.Tests/Customize/python).</summary>
    public static string TestsDir => Path.Combine(RepoPaths.Root, "tests", "Automation.Core.Tests", "Customize", "python");

    /// <summary>Runs python3 -B (no .pyc in the checkout) in the tests folder, with the host package named for the tests.</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        CliWrapProcessRunner.Instance.RunAsync(new ProcessRequest(
            Executable ?? throw new InvalidOperationException("python3 is missing; the test should have been skipped"),
            ["-B", .. arguments], TestsDir,
            new Dictionary<string, string> { ["CM_CUSTOMIZE_HOST_DIR"] = HostDir, ["PYTHONDONTWRITEBYTECODE"] = "1" },
            Timeout: TimeSpan.FromMinutes(5)));

    private static string? Find()
    {
        foreach (var variable in (string[])["CM_PYTHON_HOST", "CM_PYTHON_BIN"])
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured) return configured;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, "python3"))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that needs python3 (the customize host's interpreter); skipped with a message where there is none.</summary>
public sealed class WithPython3FactAttribute : FactAttribute
{
    public const string NoPython = "python3 is not on PATH (nor named by CM_PYTHON_HOST/CM_PYTHON_BIN), so the customize.py host is not tested here.";

    public WithPython3FactAttribute()
    {
        if (Python3.Executable is null) Skip = NoPython;
    }
}

/// <summary>A fact that needs python3 and the vendored MLC library; skipped with the reason where either is missing.</summary>
public sealed class WithPython3AndLibraryFactAttribute : FactAttribute
{
    public WithPython3AndLibraryFactAttribute()
    {
        if (Python3.Executable is null) Skip = WithPython3FactAttribute.NoPython;
        else if (VendoredLibrary.Unavailable is { } why) Skip = why;
    }
}
