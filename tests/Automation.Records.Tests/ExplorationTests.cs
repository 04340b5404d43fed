using Automation.Core.Errors;
using Automation.Results.Exploration;

namespace Automation.Records.Tests;

public sealed class ExplorationTests
{
    private static ExplorePoint P(string label, double throughput, double latency, double accuracy) =>
        new(label, new Dictionary<string, string>(), new Dictionary<string, double> { ["throughput"] = throughput, ["latency_p99"] = latency, ["accuracy"] = accuracy });

    private static readonly ExplorePoint[] Points =
    [
        P("a", 100, 10, 80), P("b", 200, 20, 85), P("c", 150, 30, 84), P("d", 300, 40, 70), P("e", 300, 40, 70.5),
    ];

    [Fact]
    public void TheFrontHoldsExactlyThePointsNoOtherBeats()
    {
        var front = ParetoFront.Of(Points, [new("throughput", true), new("latency_p99", false)]).Select(p => p.Label).Order().ToList();
        // c is beaten by b (more throughput, less latency); d and e tie on both, so neither dominates the other.
        Assert.Equal(["a", "b", "d", "e"], front);
        var withAccuracy = ParetoFront.Of(Points, [new("throughput", true), new("accuracy", true)]).Select(p => p.Label).Order().ToList();
        Assert.Equal(["b", "e"], withAccuracy);
    }

    [Fact]
    public void TheBestPointMeetsEveryConstraintAndSaysWhyOthersFailed()
    {
        var result = Exploration.Run(Points, Objective.Parse("max:throughput"), [Constraint.Parse("latency_p99<=30"), Constraint.Parse("accuracy >= 84")]);
        Assert.Equal("b", result.Best!.Label);
        Assert.Contains(result.Notes, n => n.StartsWith("d: fails latency_p99<=30, accuracy>=84", StringComparison.Ordinal));
        Assert.Equal(["throughput", "latency_p99", "accuracy"], result.Axes.Select(a => a.Metric));
        Assert.Null(Exploration.Run(Points, Objective.Parse("min:latency_p99"), [Constraint.Parse("accuracy>99")]).Best);
    }

    [Theory]
    [InlineData("throughput")]
    [InlineData("best:throughput")]
    [InlineData("max:")]
    public void ABadObjectiveIsRefusedWithTheForm(string text) =>
        Assert.Contains("max:METRIC or min:METRIC", Assert.Throws<AutomationException>(() => Objective.Parse(text)).Message);

    [Theory]
    [InlineData("latency_p99")]
    [InlineData("latency_p99<=fast")]
    [InlineData("<=3")]
    [InlineData("accuracy>=NaN")]
    public void ABadConstraintIsRefusedWithTheForm(string text) =>
        Assert.Contains("METRIC<=NUMBER", Assert.Throws<AutomationException>(() => Constraint.Parse(text)).Message);

    [Fact]
    public void MetricsComeFromTheMlperfFiguresAndAnyNumericFigure()
    {
        var m = Metrics.From(new Dictionary<string, string>
        {
            ["CM_MLPERF_RESULT_METRIC"] = "samples_per_second", ["CM_MLPERF_RESULT_VALUE"] = "1234.5",
            ["CM_MLPERF_RESULT_LATENCY_P99_NS"] = "2500000", ["CM_MLPERF_ACCURACY"] = "88.1", ["CM_SWEEP_PROBE_SCORE"] = "7", ["CM_TEXT"] = "x",
        });
        Assert.Equal(1234.5, m["throughput"]);
        Assert.Equal(2.5, m["latency_p99"]);
        Assert.Equal(88.1, m["accuracy"]);
        Assert.Equal(7, m["CM_SWEEP_PROBE_SCORE"]);
        Assert.False(m.ContainsKey("CM_TEXT"));
    }
}
