using Automation.Cli.Tests;
using Automation.Records.Crate;
using Automation.Records.Records;
using Automation.Records.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests;

/// <summary>Two runs into one results folder: each keeps its own record, the folder's record and crate name both.</summary>
public sealed class RunHistoryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cm-run-history-").FullName;

    private string Results => Path.Combine(root, "results");

    private CmResult Probe(int batch) => CmProcess.Run(RepoPaths.Root,
        "run", "script", "--tags=app,sweep,probe", $"--batch_size={batch}", $"--results_dir={Results}", $"--env.CM_MLPERF_RESULTS_DIR={Results}",
        "--quiet", "-j", "--cache-dir", Path.Combine(root, "cache"));

    [Fact]
    public void A_second_run_into_the_same_folder_keeps_the_first_runs_record_and_the_crate_names_both()
    {
        var first = Probe(8);
        Assert.True(first.ExitCode == 0, first.All);
        var firstId = (string)RecordsFixture.Read(Path.Combine(Results, RunRecord.FileName))["id"]!;
        var second = Probe(16);
        Assert.True(second.ExitCode == 0, second.All);
        var latest = RecordsFixture.Read(Path.Combine(Results, RunRecord.FileName));
        var secondId = (string)latest["id"]!;
        Assert.NotEqual(firstId, secondId);
        Assert.Equal("16", (string?)latest["command"]!["inputs"]!["batch_size"]);

        // Each run's own copy, oldest first; the first one is still the first run's.
        var copies = RunRecordWriter.RunsIn(Results);
        Assert.Equal([RunRecord.RunCopy(Results, firstId), RunRecord.RunCopy(Results, secondId)], copies);
        Assert.Equal("8", (string?)RunRecordWriter.Load(copies[0])["command"]!["inputs"]!["batch_size"]);
        Assert.Equal(latest.ToString(), RunRecordWriter.Load(copies[1]).ToString());
        // cm replay/diff/report still read the folder's latest record.
        Assert.Equal(secondId, (string?)RunRecordWriter.Load(Results)["id"]);

        // The copies are ours, not outputs of the run.
        var outputs = ((JArray)latest["outputs"]!).Select(o => (string)o["path"]!).ToList();
        Assert.Contains("probe.json", outputs);
        Assert.DoesNotContain(outputs, p => p.StartsWith(RunRecord.RunsFolder + "/", StringComparison.Ordinal));

        var graph = ((JArray)RecordsFixture.Read(Path.Combine(Results, WorkflowRunCrate.FileName))["@graph"]!).OfType<JObject>().ToDictionary(e => (string)e["@id"]!);
        var rootEntity = graph["./"];
        Assert.Contains(rootEntity["mentions"]!, m => (string?)m["@id"] == "#run-" + firstId);
        Assert.Contains(rootEntity["mentions"]!, m => (string?)m["@id"] == "#run-" + secondId);
        var earlier = graph["#run-" + firstId];
        Assert.Equal($"{RunRecord.RunsFolder}/{firstId}/{RunRecord.FileName}", (string?)earlier["instrument"]!["@id"]);
        Assert.True(graph.ContainsKey((string)earlier["instrument"]!["@id"]!), "the earlier run's record is an entity of the crate");
        Assert.Contains(rootEntity["hasPart"]!, p => (string?)p["@id"] == (string?)earlier["instrument"]!["@id"]);
        Assert.Equal(RunRecord.FileName, (string?)graph["#run-" + secondId]["instrument"]!["@id"]);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, true); } catch (IOException) { }
    }
}
