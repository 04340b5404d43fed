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
        var summary = Assert.Single(run["results"]!["summaries"]!, s => ((string)s["path"]!).Contains("performance", StringComparison.Ordinal));
        Assert.Equal("Offline", (string?)summary["scenario"]);
        Assert.True((double)summary["samples_per_second"]! > 0);
        Assert.NotEmpty(run["results"]!["accuracy"]!);
        Assert.Contains(run["figures"]!.Children<JProperty>(), p => p.Name.StartsWith("CM_MLPERF_", StringComparison.Ordinal));
    }
}
