using Automation.Core.Errors;
using Automation.Experiments.Kubernetes;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Automation.Experiments.Tests;

public sealed class KubernetesTests
{
    private static readonly ExperimentSpec Spec = new()
    {
        Tags = TestEnvironment.SweepScriptTags,
        Axes = [new SweepAxis("batch_size", ["1", "8", "32"]), new SweepAxis("threads", ["1", "2"])],
        ResultsDir = "/tmp/k8s-results",
    };

    private static readonly KubernetesOptions Options = new() { Image = "registry.example/cm-app-sweep-probe:1", Parallelism = 4, Gpus = "1", Memory = "2Gi" };

    private static async Task<ICollection<NJsonSchema.Validation.ValidationError>> Validate(JToken job)
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "batch-v1-job.schema.json")));
        return schema.Validate(job.ToString());
    }

    [Fact]
    public async Task Indexed_job_has_one_index_per_point_and_its_yaml_validates_against_the_batch_v1_schema()
    {
        var rendered = IndexedJobRenderer.Render(Spec, Options);
        var docs = ReadYaml(rendered.Yaml);
        Assert.Equal(["PersistentVolumeClaim", "ConfigMap", "Job"], docs.Select(d => (string?)d["kind"]));
        var job = docs[2];
        Assert.Empty(await Validate(job));
        Assert.Equal("Indexed", (string?)job["spec"]!["completionMode"]);
        Assert.Equal(6, (int)job["spec"]!["completions"]!);
        Assert.Equal(4, (int)job["spec"]!["parallelism"]!);
        Assert.Equal(1, (int)job["spec"]!["backoffLimitPerIndex"]!);
        var pod = job["spec"]!["template"]!["spec"]!;
        Assert.Equal("cm-workspace", (string?)pod["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]);
        Assert.Contains("--index=\"$JOB_COMPLETION_INDEX\"", (string?)pod["containers"]![0]!["command"]![2]);
        Assert.Equal("1", (string?)pod["containers"]![0]!["resources"]!["limits"]!["nvidia.com/gpu"]); // quoted: YAML keeps it a string

        // The points file travels in the ConfigMap, with pod-side paths on the PVC.
        var points = ExperimentPlanFrom((string)docs[1]["data"]!["points.json"]!);
        Assert.Equal(6, points.Points.Count);
        Assert.All(points.Points, p => Assert.StartsWith("/workspace/results/", p.Dir));
        Assert.Equal("cm", points.Cm.FileName);

        // Deterministic: same input, byte-identical manifest.
        Assert.Equal(rendered.Yaml, IndexedJobRenderer.Render(Spec, Options).Yaml);
    }

    [Fact]
    public async Task Schema_catches_what_the_api_server_would_reject()
    {
        var job = IndexedJobRenderer.Render(Spec, Options).Job;
        var nonIndexed = (JObject)job.DeepClone();
        nonIndexed["spec"]!["completionMode"] = "NonIndexed"; // backoffLimitPerIndex needs Indexed
        Assert.NotEmpty(await Validate(nonIndexed));
        var typo = (JObject)job.DeepClone();
        ((JObject)typo["spec"]!)["paralelism"] = 2;
        Assert.NotEmpty(await Validate(typo));
        var restart = (JObject)job.DeepClone();
        restart["spec"]!["template"]!["spec"]!["restartPolicy"] = "Always";
        Assert.NotEmpty(await Validate(restart));

        Assert.Contains("--k8s.image", Assert.ThrowsAny<AutomationException>(() => IndexedJobRenderer.Render(Spec, Options with { Image = "" })).Message);
        Assert.Contains("DNS-1123", Assert.ThrowsAny<AutomationException>(() => IndexedJobRenderer.Render(Spec, Options with { Name = "Bad_Name" })).Message);
    }

    private static ExperimentPlan ExperimentPlanFrom(string json)
    {
        var file = Path.Combine(TestEnvironment.TempDir("k8s"), "points.json");
        File.WriteAllText(file, json);
        return ExperimentPlan.Load(file);
    }

    /// <summary>Reads the multi-document YAML back into JSON, keeping plain scalars that look like numbers as numbers.</summary>
    private static List<JObject> ReadYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => (JObject)Convert(d.RootNode)).ToList();
    }

    private static JToken Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JObject(m.Children.Select(kv => new JProperty(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode s => new JArray(s.Children.Select(Convert)),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } sc when long.TryParse(sc.Value, out var n) => new JValue(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } sc => new JValue(sc.Value == "true"),
        YamlScalarNode sc => new JValue(sc.Value),
        _ => JValue.CreateNull(),
    };
}
