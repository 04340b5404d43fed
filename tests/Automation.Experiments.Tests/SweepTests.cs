using Automation.Core.Errors;
using Automation.Experiments.Sweeps;
using Xunit;

namespace Automation.Experiments.Tests;

public sealed class SweepTests
{
    private static ExperimentSpec Spec(params SweepAxis[] axes) => new() { Tags = "app,sweep,probe", Axes = axes, ResultsDir = "/tmp/r" };

    [Theory]
    [InlineData("1,8,32", "1 8 32")]
    [InlineData("1:8:2", "1 3 5 7")]
    [InlineData("1:4", "1 2 3 4")]
    [InlineData("4:1:-1", "4 3 2 1")]
    [InlineData("1, 16:64:16", "1 16 32 48 64")]
    [InlineData("Offline,Server", "Offline Server")]
    [InlineData("http://x:80", "http://x:80")]
    public void Axis_values_accept_lists_and_inclusive_ranges(string text, string expected) =>
        Assert.Equal(expected.Split(' '), SweepValues.Parse("batch_size", text, "test").Values);

    [Theory]
    [InlineData("batch_size", "1:8:0", "never reaches")]
    [InlineData("batch_size", "8:1:1", "never reaches")]
    [InlineData("batch_size", "1,,2", "empty value")]
    [InlineData("batch_size", "1,2,1", "twice")]
    [InlineData("batch_size", "1:100000", "expands to")]
    [InlineData("bad name", "1", "not a script input name")]
    public void Bad_axes_fail_with_a_reason(string name, string text, string reason)
    {
        var e = Assert.ThrowsAny<AutomationException>(() => SweepValues.Parse(name, text, "test"));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Product_runs_last_axis_fastest_and_hashes_are_stable_and_distinct()
    {
        var spec = Spec(new SweepAxis("batch_size", ["1", "8"]), new SweepAxis("threads", ["1", "2", "4"]));
        var points = SweepExpander.Expand(spec);
        Assert.Equal(6, points.Count);
        Assert.Equal(["batch_size=1 threads=1", "batch_size=1 threads=2", "batch_size=1 threads=4", "batch_size=8 threads=1"],
            points.Take(4).Select(p => p.Describe()));
        Assert.Equal(6, points.Select(p => p.Hash).Distinct().Count());
        Assert.Equal(points.Select(p => p.Hash), SweepExpander.Expand(spec).Select(p => p.Hash));
        // The same values under a different fixed flag are different points.
        var other = SweepExpander.Expand(spec with { FixedArgs = ["--env.X=1"] });
        Assert.Empty(points.Select(p => p.Hash).Intersect(other.Select(p => p.Hash)));
        // Axis order does not change a point's identity.
        var swapped = SweepExpander.Expand(Spec(new SweepAxis("threads", ["1", "2", "4"]), new SweepAxis("batch_size", ["1", "8"])));
        Assert.Equal(points.Select(p => p.Hash).Order(), swapped.Select(p => p.Hash).Order());
    }

    [Fact]
    public void Sweep_files_in_yaml_and_json_give_the_same_axes()
    {
        var dir = TestEnvironment.TempDir("sweepfile");
        File.WriteAllText(Path.Combine(dir, "s.yaml"), "sweep:\n  batch_size: [1, 8, 32]\n  threads: \"1:3\"\n  scenario: [Offline, Server]\n");
        File.WriteAllText(Path.Combine(dir, "s.json"), """{"batch_size": [1, 8, 32], "threads": "1:3", "scenario": ["Offline", "Server"]}""");
        var yaml = SweepFile.Load(Path.Combine(dir, "s.yaml"));
        var json = SweepFile.Load(Path.Combine(dir, "s.json"));
        Assert.Equal(["batch_size", "threads", "scenario"], yaml.Select(a => a.Name));
        Assert.Equal(yaml.Select(a => string.Join(',', a.Values)), json.Select(a => string.Join(',', a.Values)));
        Assert.Equal(["1", "2", "3"], yaml[1].Values);
        File.WriteAllText(Path.Combine(dir, "bad.yaml"), "batch_size: {a: 1}\n");
        Assert.Contains("must be a list", Assert.ThrowsAny<AutomationException>(() => SweepFile.Load(Path.Combine(dir, "bad.yaml"))).Message);
    }

    [Fact]
    public void Point_templates_render_per_point_and_fail_on_undefined_variables()
    {
        var spec = Spec(new SweepAxis("batch_size", ["1", "8"]), new SweepAxis("threads", ["2"])) with
        {
            PointDirTemplate = "{{ results_dir }}/{{ point.batch_size }}-{{ point.threads }}",
            PointArgTemplates = ["--env.OUT={{ point.dir }}/out.json"],
        };
        var prepared = PointPreparer.Prepare(spec, SweepExpander.Expand(spec), "/tmp/r");
        Assert.Equal(["/tmp/r/1-2", "/tmp/r/8-2"], prepared.Select(p => p.Dir));
        Assert.Contains("--env.OUT=/tmp/r/8-2/out.json", prepared[1].Args);
        Assert.Contains("--batch_size=8", prepared[1].Args);

        var typo = spec with { PointDirTemplate = "{{ results_dir }}/{{ point.batch_sise }}" };
        var e = Assert.ThrowsAny<AutomationException>(() => PointPreparer.Prepare(typo, SweepExpander.Expand(typo), "/tmp/r"));
        Assert.Contains("undefined", e.Message);
        Assert.Contains("batch_size", e.Message); // the fix lists what exists

        var collide = spec with { PointDirTemplate = "{{ results_dir }}/{{ point.threads }}" };
        Assert.Contains("same folder", Assert.ThrowsAny<AutomationException>(() => PointPreparer.Prepare(collide, SweepExpander.Expand(collide), "/tmp/r")).Message);
    }
}
