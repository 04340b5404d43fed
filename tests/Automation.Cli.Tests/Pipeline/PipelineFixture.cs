using Newtonsoft.Json.Linq;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>One temp cache for the pipeline tests, so the model is trained once per test run.</summary>
public sealed class PipelineFixture : IDisposable
{
    public string CacheDir { get; } = Directory.CreateTempSubdirectory("cm-pipeline-cache-").FullName;
    public string ResultsRoot { get; } = Directory.CreateTempSubdirectory("cm-pipeline-results-").FullName;

    /// <summary>Why the real-data tests cannot run here, or null when they can.</summary>
    public static string? Unavailable =>
        Directory.Exists("/usr/share/datasets/fashion-mnist") || Environment.UserName == "root"
            ? null
            : "the Debian package dataset-fashion-mnist is not installed and this user cannot install it (run ./run-tests as root)";

    public CmResult Cm(params string[] args) => Cm(TimeSpan.FromMinutes(5), args);

    public CmResult Cm(TimeSpan timeout, params string[] args) =>
        CmProcess.Run(RepoPaths.Root, null, timeout, [.. args, "--cache-dir", CacheDir]);

    public JObject Json(params string[] args) => Json(TimeSpan.FromMinutes(5), args);

    public JObject Json(TimeSpan timeout, params string[] args)
    {
        var r = Cm(timeout, [.. args, "-j"]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"cm {string.Join(' ', args)} failed ({r.ExitCode}):\n{r.Stderr}");
        return JObject.Parse(r.Stdout);
    }

    public void Dispose()
    {
        foreach (var d in new[] { CacheDir, ResultsRoot })
            try { Directory.Delete(d, true); } catch (IOException) { }
    }
}
