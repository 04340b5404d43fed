using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests.Support;

/// <summary>
/// One temp cache and two real Fashion-MNIST pipeline runs shared by the record tests (the model is trained once):
/// run A (2000 queries, with --lock) and run B (1000 queries).
/// </summary>
public sealed class RecordsFixture : IDisposable
{
    public const string Tags = "--tags=app,mlperf,inference,_fashion-mnist,_offline,_submission";
    public string CacheDir { get; } = Directory.CreateTempSubdirectory("cm-records-cache-").FullName;
    public string Root { get; } = Directory.CreateTempSubdirectory("cm-records-").FullName;
    public string ResultsA => Path.Combine(Root, "a");
    public string ResultsB => Path.Combine(Root, "b");
    public string LockA => Path.Combine(Root, "a.lock.json");
    private readonly Lazy<(CmResult A, CmResult B)> runs;

    public RecordsFixture()
    {
        runs = new(() => (
            Cm("run", "script", Tags, "--test_query_count=2000", $"--results_dir={ResultsA}", "--quiet", "--lock", LockA),
            Cm("run", "script", Tags, "--test_query_count=1000", $"--results_dir={ResultsB}", "--quiet")));
    }

    /// <summary>Runs A and B once; fails the calling test with cm's stderr when either failed.</summary>
    public void EnsureRuns()
    {
        var (a, b) = runs.Value;
        foreach (var r in new[] { a, b })
            if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"pipeline run failed ({r.ExitCode}):\n{r.Stderr}");
    }

    public JObject RecordA { get { EnsureRuns(); return Read(Path.Combine(ResultsA, "cm-run-record.json")); } }
    public JObject RecordB { get { EnsureRuns(); return Read(Path.Combine(ResultsB, "cm-run-record.json")); } }

    public static JObject Read(string path) => JObject.Parse(File.ReadAllText(path));

    public string Temp(string name) => Path.Combine(Root, name);

    public CmResult Cm(params string[] args) => CmProcess.Run(RepoPaths.Root, [.. args, "--cache-dir", CacheDir]);

    /// <summary>A cm command that takes no --cache-dir (report, diff, replay, ae): the cache comes from CM_CACHE_DIR.</summary>
    public CmResult CmPlain(params string[] args) =>
        CmProcess.Run(RepoPaths.Root, new Dictionary<string, string> { ["CM_CACHE_DIR"] = CacheDir }, args);

    public void Dispose()
    {
        foreach (var d in new[] { CacheDir, Root })
            try { Directory.Delete(d, true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class RecordsCollection : ICollectionFixture<RecordsFixture>
{
    public const string Name = "records pipeline";
}

/// <summary>Runs only where the Fashion-MNIST pipeline can run (Debian's dataset-fashion-mnist, or root to install it).</summary>
public sealed class PipelineFactAttribute : FactAttribute
{
    public PipelineFactAttribute()
    {
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist") && Environment.UserName != "root")
            Skip = "the Debian package dataset-fashion-mnist is not installed and this user cannot install it (run ./run-tests as root)";
    }
}

/// <summary>A pipeline fact that also needs headless Chromium (./run-tests installs it as root).</summary>
public sealed class ChromiumPipelineFactAttribute : FactAttribute
{
    public static string? Chromium => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public ChromiumPipelineFactAttribute()
    {
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist") && Environment.UserName != "root")
            Skip = "the Debian package dataset-fashion-mnist is not installed and this user cannot install it (run ./run-tests as root)";
        else if (Chromium is null) Skip = "chromium is not installed (apt-get install chromium; ./run-tests does as root)";
    }
}
