using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Tests;

/// <summary>The Fashion-MNIST MLPerf pipeline started from the dashboard API: figures, parsed summaries and accuracy.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PipelineTests(DashboardFixture fx)
{
    [PipelineFact]
    public async Task The_fashion_mnist_offline_submission_run_shows_its_mlperf_summary_and_accuracy()
    {
        var (status, started) = await fx.Post("/api/runs", new JObject
        {
            ["script"] = "app-mlperf-inference",
            ["variations"] = new JArray("fashion-mnist", "offline", "submission"),
            ["inputs"] = new JObject { ["test_query_count"] = "2000" },
        });
        Assert.True(status == 201, started.ToString());
        var id = (string)started["id"]!;
        var events = await fx.ReadEventsUntilEnd(id, TimeSpan.FromMinutes(4));
        var (_, run) = await fx.Get($"/api/runs/{id}");
        Assert.True((string?)run["status"] == "succeeded", $"{run["error"]}\n{string.Join('\n', events.Where(e => (string?)e["type"] == "log").TakeLast(30).Select(e => e["line"]))}");
        Assert.Contains(events, e => (string?)e["type"] == "step" && (string?)e["script"] == "process-mlperf-accuracy");
        // Read through Automation.Results: one Offline result with its headline, accuracy against resnet's target, labels.
        var result = Assert.Single(run["mlperf"]!);
        Assert.Equal("Offline", (string?)result["scenario"]);
        Assert.Equal("samples/s", (string?)result["headline"]!["unit"]);
        Assert.True((double)result["headline"]!["value"]! > 0);
        Assert.Equal(75.695, (double)result["accuracy"]!["target"]!);
        Assert.True((bool)result["accuracy"]!["met"]!);
        Assert.StartsWith("results/", (string?)result["folder"]);
        Assert.Equal("valid", (string?)run["verdict"]);
        Assert.Equal("samples/s", (string?)run["headlines"]![0]!["unit"]);
        Assert.Equal("fashion-mnist", (string?)run["labels"]!["model"]);
        Assert.Equal("submission", (string?)run["labels"]!["mode"]);
        Assert.Equal("onnxruntime", (string?)run["labels"]!["backend"]);
        Assert.Equal("32", (string?)run["labels"]!["batch_size"]);
        Assert.Contains(run["figures"]!.Children<JProperty>(), p => p.Name.StartsWith("CM_MLPERF_", StringComparison.Ordinal));
        // The child's record is this run's: not listed a second time as a command-line run.
        var recordId = (string)Assert.Single(run["record_ids"]!)!;
        Assert.Equal(recordId, (string?)run["record"]!["id"]);
        var (_, list) = await fx.Get("/api/runs");
        Assert.DoesNotContain(list, r => (string?)r["id"] == recordId);
    }

    /// <summary>Issue 16's progress in cm serve: a LoadGen run's progress line arrives as an event while it runs.</summary>
    [PipelineFact]
    public async Task A_long_run_sends_its_progress_as_events()
    {
        var (status, started) = await fx.Post("/api/runs", new JObject
        {
            ["script"] = "app-mlperf-inference",
            ["variations"] = new JArray("fashion-mnist", "offline", "performance-only"),
            ["inputs"] = new JObject { ["target_qps"] = "5000", ["min_duration_ms"] = "3000" },
        });
        Assert.True(status == 201, started.ToString());
        var events = await fx.ReadEventsUntilEnd((string)started["id"]!, TimeSpan.FromMinutes(4));

        var progress = events.Where(e => (string?)e["type"] == "progress").ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, e => Assert.Equal(("app-mlperf-inference", "Offline", "performance"), ((string?)e["script"], (string?)e["scenario"], (string?)e["mode"])));
        Assert.Matches(@"^Offline performance: [0-9]+ s / 3 s min, 1 query issued, [0-9,]+ samples done, [0-9,]+ samples/s$", (string?)progress[0]["line"]);
    }
}
