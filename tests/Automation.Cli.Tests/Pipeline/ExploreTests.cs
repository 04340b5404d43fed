using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>`cm explore` on a small sweep of the Fashion-MNIST pipeline: batch size × threads with a latency constraint.</summary>
public sealed class ExploreTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [PipelineFact]
    public void ASmallSweepGivesTheParetoFrontTheBestPointAndAReportAndResumes()
    {
        var dir = Path.Combine(fixture.ResultsRoot, "explore");
        string[] args = ["explore", "--tags=app,mlperf,inference,_fashion-mnist,_offline", "--sweep", "batch_size=1,32", "--sweep", "threads=1,2",
            "--test_query_count=2000", "--objective=max:throughput", "--constraint", "latency_p99<=100000", $"--results_dir={dir}"];
        var r = fixture.Cm(TimeSpan.FromMinutes(10), args);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("Pareto front over max throughput, min latency_p99: ", r.Stdout);
        Assert.Contains("Best meeting the constraints: ", r.Stdout);

        var summary = JObject.Parse(File.ReadAllText(Path.Combine(dir, "explore.json")));
        var points = summary["points"]!.Select(p => (Label: (string)p["label"]!, T: (double)p["metrics"]!["throughput"]!, L: (double)p["metrics"]!["latency_p99"]!)).ToList();
        Assert.Equal(4, points.Count);
        Assert.Equal(4, (int)summary["ran"]!);
        // The front and the best point, computed here independently of the product's code.
        var front = points.Where(p => !points.Any(q => q != p && q.T >= p.T && q.L <= p.L && (q.T > p.T || q.L < p.L))).Select(p => p.Label).Order().ToList();
        Assert.Equal(front, summary["front"]!.Select(p => (string)p["label"]!).Order().ToList());
        var best = points.Where(p => p.L <= 100000).MaxBy(p => p.T);
        Assert.Equal(best.Label, (string?)summary["best"]!["label"]);

        // The report draws the exploration with exactly the front's points in red, with a title and units.
        var svg = File.ReadAllText(Path.Combine(dir, "cm-explore.svg"));
        Assert.Contains("Exploration: throughput vs latency_p99 (Pareto front in red)", svg);
        Assert.Contains("latency_p99 (ms)", svg);
        Assert.Contains("throughput (samples/s)", svg);
        var red = System.Text.RegularExpressions.Regex.Matches(svg, "class=\"pareto\" data-label=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Equal(front, red);

        // The same command again resumes: every point is reused, none runs.
        var again = fixture.Cm(TimeSpan.FromMinutes(5), [.. args, "-j"]);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(0, (int)JObject.Parse(again.Stdout)["ran"]!);
    }

    [Fact]
    public void BadObjectivesConstraintsAndSweepsAreRefusedBeforeAnythingRuns()
    {
        foreach (var (arg, reason) in new[] { ("--objective=fast", "max:METRIC or min:METRIC"), ("--constraint=latency<fast", "METRIC<=NUMBER"), ("--sweep=batch_size", "KEY=v1,v2") })
        {
            var r = CmProcess.Run(RepoPaths.Root, "explore", "--tags=app,mlperf,inference", "--sweep", "threads=1,2", arg);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains(reason, r.Stderr);
            Assert.DoesNotContain("[1/", r.Stderr);
        }
    }
}
