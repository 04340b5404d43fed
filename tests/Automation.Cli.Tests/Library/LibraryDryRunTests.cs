using Automation.Core.Tests.Meta;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Library;

/// <summary>
/// `--dry-run` on the real MLC library's MLPerf entry points: a prediction with its customize.py steps marked and the
/// deps that the run decides shown as such, as text and as JSON, exit 0; nothing is run.
/// </summary>
public sealed class LibraryDryRunTests(MlcLibrary library) : IClassFixture<MlcLibrary>, IDisposable
{
    private readonly TempWorkspace ws = new();

    public void Dispose() => ws.Dispose();

    public static TheoryData<string[]> Commands => new()
    {
        new[] { "--tags=run-mlperf,inference,_find-performance,_full,_r6.1-dev", "--model=resnet50", "--implementation=reference", "--framework=onnxruntime", "--device=cpu" },
        new[] { "--tags=run-mlperf,inference,_find-performance,_full,_r6.1-dev", "--model=bert-99", "--implementation=reference", "--framework=onnxruntime", "--device=cpu" },
        new[] { "--tags=app,mlperf,inference,_reference,_resnet50,_onnxruntime,_cpu" },
    };

    private CmResult Cm(params string[] args) => ws.Cm(new Dictionary<string, string> { ["CM_SCRIPT_PATH"] = library.ScriptRoot }, args);

    [MlcLibraryTheory]
    [MemberData(nameof(Commands))]
    public void The_plan_is_predicted_with_customize_py_steps_and_run_time_decisions_marked(string[] command)
    {
        var text = Cm(["run", "script", .. command, "--dry-run", "--quiet"]);
        Assert.True(text.ExitCode == 0, text.All);
        Assert.Contains("[customize.py: preprocess", text.Stdout);
        Assert.Contains("decided at run time", text.Stdout);

        var json = Cm(["run", "script", .. command, "--dry-run", "--quiet", "-j"]);
        Assert.True(json.ExitCode == 0, json.All);
        var plan = JObject.Parse(json.Stdout);
        var nodes = (JArray)plan["nodes"]!;
        Assert.True(nodes.Count > 3, json.Stdout);
        Assert.Contains(nodes, n => ((JArray)n["customize_py"]!).Count > 0);
        Assert.Contains(nodes.SelectMany(n => n["deps"]!), d => d["decided_at_run_time"]?.Type == JTokenType.String);
        // A prediction runs nothing: no cache entry was made.
        Assert.Equal(0, ws.CountEntries());
    }
}

/// <summary>The theory form of <see cref="MlcLibraryFactAttribute"/>: skipped where the vendored library is absent.</summary>
public sealed class MlcLibraryTheoryAttribute : TheoryAttribute
{
    public MlcLibraryTheoryAttribute()
    {
        if (MlcLibrary.Unavailable is { } why) Skip = why;
    }
}
