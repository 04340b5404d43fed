using System.Runtime.CompilerServices;
using Automation.Experiments.Backends;

namespace Automation.Experiments.Tests;

/// <summary>Shared paths: the repository, the cm.dll built next to the tests, and a private cache for child runs.</summary>
public static class TestEnvironment
{
    /// <summary>The script every end-to-end sweep runs. Switch here (e.g. to an MLPerf pipeline) when one is quick enough.</summary>
    public const string SweepScriptTags = "app,sweep,probe";

    public static string RepoRoot { get; } = FindRepo();
    public static CmCommand Cm { get; } = CmCommand.ForDll(Path.Combine(AppContext.BaseDirectory, "cm.dll"));
    public static string CacheDir { get; } = Path.Combine(Path.GetTempPath(), $"cm-exp-tests-cache-{Environment.ProcessId}");

    [ModuleInitializer]
    internal static void KeepChildRunsOutOfTheSharedCache()
    {
        Environment.SetEnvironmentVariable("CM_CACHE_DIR", CacheDir);
        // Nor do they see the developer's registered repositories (~/CM/repos.json): this folder is never created.
        Environment.SetEnvironmentVariable("CM_REPOS", Path.Combine(Path.GetTempPath(), $"cm-exp-tests-repos-{Environment.ProcessId}"));
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"cm-exp-{name}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepo()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Automation.sln"))) return dir;
        throw new InvalidOperationException("tests must run inside the repository");
    }
}
