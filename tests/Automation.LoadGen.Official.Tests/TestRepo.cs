namespace Automation.LoadGen.Official.Tests;

/// <summary>Where the repository and the vendored LoadGen archive are, and whether the official engine can be built here.</summary>
public static class TestRepo
{
    public const string LoadGenArchive = "mlperf-inference-loadgen-b66003e.tar.gz";

    public static string Root { get; } = FindRoot();

    /// <summary>shared/vendor/&lt;archive&gt; beside the clone (CI: ../shared) or further up (worktrees).</summary>
    public static string? LoadGenArchivePath { get; } = FindArchive();

    /// <summary>Why the official engine cannot be built here, or null when it can.</summary>
    public static string? OfficialSkipReason { get; } = FindSkipReason();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Automation.sln above {AppContext.BaseDirectory}");
    }

    private static string? FindArchive()
    {
        for (var dir = Directory.GetParent(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "vendor", LoadGenArchive);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? FindSkipReason()
    {
        if (LoadGenArchivePath is null)
            return $"official LoadGen tests skipped: ../shared/vendor/{LoadGenArchive} (the vendored official LoadGen) is not beside the clone";
        var missing = new[] { "cmake", "g++", "python3" }.Where(tool => !OnPath(tool)).ToList();
        return missing.Count == 0 ? null : $"official LoadGen tests skipped: {string.Join(", ", missing)} not found (apt-get install cmake g++ python3)";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}

/// <summary>A fact that is skipped, with the reason, where the official LoadGen cannot be built.</summary>
public sealed class OfficialFactAttribute : Xunit.FactAttribute
{
    public OfficialFactAttribute()
    {
        if (TestRepo.OfficialSkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that is skipped, with the reason, where the official LoadGen cannot be built.</summary>
public sealed class OfficialTheoryAttribute : Xunit.TheoryAttribute
{
    public OfficialTheoryAttribute()
    {
        if (TestRepo.OfficialSkipReason is { } reason) Skip = reason;
    }
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lg-official-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
