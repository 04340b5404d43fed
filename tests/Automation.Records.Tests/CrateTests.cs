using System.Diagnostics;
using Automation.Cli.Tests;
using Automation.Records.Crate;
using Automation.Records.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests;

[Collection(RecordsCollection.Name)]
public sealed class CrateTests(RecordsFixture fx)
{
    /// <summary>Where run-tests installs the npm ro-crate library (guarded by `command -v npm`).</summary>
    public static string NodeModules => Path.Combine(RepoPaths.Root, ".tools", "npm", "node_modules");

    private JObject Crate() { fx.EnsureRuns(); return RecordsFixture.Read(Path.Combine(fx.ResultsA, WorkflowRunCrate.FileName)); }

    [PipelineFact]
    public void TheCrateIsAWorkflowRunCrateWithTheRequiredEntities()
    {
        var crate = Crate();
        Assert.Equal(["https://w3id.org/ro/crate/1.3/context", "https://w3id.org/ro/terms/workflow-run/context"], crate["@context"]!.Values<string>());
        var graph = ((JArray)crate["@graph"]!).OfType<JObject>().ToList();
        var byId = graph.ToDictionary(e => (string)e["@id"]!);
        Assert.Equal(graph.Count, byId.Count);
        bool Is(JObject e, string type) => e["@type"] is JArray a ? a.Any(t => (string?)t == type) : (string?)e["@type"] == type;

        var descriptor = byId["ro-crate-metadata.json"];
        Assert.Equal("./", (string?)descriptor["about"]!["@id"]);
        Assert.Equal("https://w3id.org/ro/crate/1.3", (string?)descriptor["conformsTo"]!["@id"]);
        var root = byId["./"];
        Assert.True(Is(root, "Dataset"));
        foreach (var profile in new[] { "https://w3id.org/ro/wfrun/process/0.6", "https://w3id.org/ro/wfrun/workflow/0.6", "https://w3id.org/workflowhub/workflow-ro-crate/1.1" })
        {
            Assert.Contains(root["conformsTo"]!, c => (string?)c["@id"] == profile);
            Assert.True(byId.ContainsKey(profile), $"profile entity {profile}");
        }
        var workflow = byId[(string)root["mainEntity"]!["@id"]!];
        foreach (var type in new[] { "File", "SoftwareSourceCode", "ComputationalWorkflow" }) Assert.True(Is(workflow, type), type);
        Assert.Contains(root["hasPart"]!, p => (string?)p["@id"] == (string?)workflow["@id"]);

        var run = graph.Single(e => Is(e, "CreateAction") && (string?)e["instrument"]?["@id"] == (string?)workflow["@id"]);
        Assert.Equal("http://schema.org/CompletedActionStatus", (string?)run["actionStatus"]!["@id"]);
        Assert.NotNull(run["startTime"]);
        Assert.NotNull(run["endTime"]);
        Assert.Contains(root["mentions"]!, m => (string?)m["@id"] == (string?)run["@id"]);
        // The other actions are the run's steps, and earlier runs into the same folder (each with its own record).
        var steps = graph.Where(e => Is(e, "CreateAction") && ((string)e["@id"]!).StartsWith("#step-", StringComparison.Ordinal)).ToList();
        Assert.All(graph.Where(e => Is(e, "CreateAction") && e != run && !steps.Contains(e)),
            earlier => Assert.StartsWith(Records.RunRecord.RunsFolder + "/", (string)earlier["instrument"]!["@id"]!));
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.True(Is(byId[(string)s["instrument"]!["@id"]!], "SoftwareApplication")));
        Assert.Contains(graph, e => Is(e, "SoftwareApplication") && (string?)e["name"] == "get-dataset-fashion-mnist" && (string?)e["softwareVersion"] == "1.0");

        var summary = graph.Single(e => Is(e, "File") && ((string)e["@id"]!).EndsWith("performance/run_1/mlperf_log_summary.txt", StringComparison.Ordinal));
        Assert.Equal(64, ((string)summary["sha256"]!).Length);
        Assert.Contains(run["result"]!, r => (string?)r["@id"] == (string?)summary["@id"]);
        var accuracy = byId["#figure-CM_MLPERF_ACCURACY"];
        Assert.True(Is(accuracy, "PropertyValue"));
        Assert.Equal((string?)fx.RecordA["figures"]!["CM_MLPERF_ACCURACY"], (string?)accuracy["value"]);

        var dataset = byId["https://github.com/zalandoresearch/fashion-mnist"];
        Assert.Equal("https://spdx.org/licenses/MIT", (string?)dataset["license"]!["@id"]);
        Assert.All(dataset["hasPart"]!, p => Assert.Equal(64, ((string)byId[(string)p["@id"]!]["sha256"]!).Length));

        // Every reference names an entity of the graph or an absolute IRI (JSON-LD flattened form).
        foreach (var reference in graph.SelectMany(e => e.Descendants().OfType<JObject>()).Where(o => o.Count == 1 && o["@id"] is not null))
        {
            var id = (string)reference["@id"]!;
            Assert.True(byId.ContainsKey(id) || id.StartsWith("http", StringComparison.Ordinal), $"dangling reference {id}");
        }
    }

    [PipelineFact]
    public void TheNpmRoCrateLibraryLoadsTheCrate()
    {
        var crate = Crate();
        if (!Directory.Exists(Path.Combine(NodeModules, "ro-crate")))
        {
            Console.WriteLine($"SKIPPED: the npm ro-crate library is not installed in {NodeModules} (./run-tests installs it when npm is present).");
            return;
        }
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Crate", "check-crate.js"));
        psi.ArgumentList.Add(Path.Combine(fx.ResultsA, WorkflowRunCrate.FileName));
        psi.Environment["NODE_PATH"] = NodeModules;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "node did not finish");
        Assert.True(p.ExitCode == 0, stdout + stderr);
        var seen = JObject.Parse(stdout);
        Assert.Equal("./", (string?)seen["root"]);
        Assert.Contains("ComputationalWorkflow", seen["mainEntityTypes"]!.Select(t => (string)t!));
        Assert.Equal(crate["@graph"]!.Count(e => e["@type"]!.Type == JTokenType.String && (string?)e["@type"] == "CreateAction"), (int)seen["actions"]!);
        Assert.Contains("https://spdx.org/licenses/MIT", seen["datasetLicense"]!.Select(t => (string)t!));
    }
}
