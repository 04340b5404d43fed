using System.Text.RegularExpressions;
using Automation.Core.Errors;
using Automation.Experiments.Backends;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Kubernetes;

/// <summary>The <c>--k8s.*</c> settings of a Kubernetes rendering.</summary>
public sealed record KubernetesOptions
{
    /// <summary>An image with cm on PATH and the repository at <see cref="RepoDir"/> (e.g. one built by `cm docker script`).</summary>
    public string Image { get; init; } = "";
    public string Namespace { get; init; } = "default";
    /// <summary>Job name (DNS-1123 label); empty = cm-exp-&lt;experiment hash&gt;.</summary>
    public string Name { get; init; } = "";
    public int Parallelism { get; init; } = 1;
    public int BackoffLimitPerIndex { get; init; } = 1;
    public string Pvc { get; init; } = "cm-workspace";
    public string PvcSize { get; init; } = "10Gi";
    /// <summary>Where the PVC is mounted; the cache and the results live under it.</summary>
    public string MountPath { get; init; } = "/workspace";
    public string RepoDir { get; init; } = "/opt/automation";
    public string Cpu { get; init; } = "";
    public string Memory { get; init; } = "";
    public string Gpus { get; init; } = "";
}

/// <summary>
/// Renders a sweep as Kubernetes objects: a PersistentVolumeClaim for the cache and results, a ConfigMap with the
/// points file, and a <c>batch/v1</c> Job with <c>completionMode: Indexed</c> whose pod at index i runs point i
/// (<c>JOB_COMPLETION_INDEX</c>), with <c>backoffLimitPerIndex</c> so one failing point does not fail the others.
/// </summary>
public static partial class IndexedJobRenderer
{
    public const string PointsMount = "/etc/cm-experiment";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123();

    public sealed record Rendered(JObject Pvc, JObject ConfigMap, JObject Job, ExperimentPlan PodPlan)
    {
        public string Yaml => YamlWriter.Write([Pvc, ConfigMap, Job]);
    }

    public static Rendered Render(ExperimentSpec spec, KubernetesOptions options)
    {
        if (options.Image.Length == 0)
            throw new AutomationException("the Kubernetes backend needs an image (--k8s.image=IMAGE)", fix: "Build one with `cm docker script --tags=... --image=NAME`, push it to a registry the cluster can pull from, and pass --k8s.image=NAME.");
        var name = options.Name.Length > 0 ? options.Name : $"cm-exp-{spec.Hash[..10]}";
        if (name.Length > 52 || !Dns1123().IsMatch(name))
            throw new AutomationException($"Kubernetes job name '{name}' is not a DNS-1123 label of at most 52 characters", fix: "Use lower-case letters, digits and '-' (--k8s.name=...).");
        if (options.Parallelism < 1 || options.BackoffLimitPerIndex < 0)
            throw new AutomationException("--k8s.parallelism must be at least 1 and --k8s.backoff_limit_per_index at least 0", fix: "For example --k8s.parallelism=4 --k8s.backoff_limit_per_index=1.");

        // Inside the pod, results go to the PVC and cm is the image's.
        var podSpec = spec with { ResultsDir = $"{options.MountPath.TrimEnd('/')}/results/{name}" };
        var plan = ExperimentPlan.Create(podSpec, options.RepoDir, new CmCommand("cm", []));
        var labels = new JObject { ["app.kubernetes.io/managed-by"] = "cm", ["cm.experiment"] = spec.Hash[..16] };

        var pvc = new JObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JObject { ["name"] = options.Pvc, ["namespace"] = options.Namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JObject
            {
                ["accessModes"] = new JArray("ReadWriteMany"),
                ["resources"] = new JObject { ["requests"] = new JObject { ["storage"] = options.PvcSize } },
            },
        };
        var configMap = new JObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JObject { ["name"] = name + "-points", ["namespace"] = options.Namespace, ["labels"] = labels.DeepClone() },
            ["data"] = new JObject { ["points.json"] = plan.ToJson().ToString(Formatting.Indented) + "\n" },
        };
        var container = new JObject
        {
            ["name"] = "point",
            ["image"] = options.Image,
            ["workingDir"] = options.RepoDir,
            ["command"] = new JArray("/bin/sh", "-c", $"exec cm run experiment-step --points={PointsMount}/points.json --index=\"$JOB_COMPLETION_INDEX\""),
            ["env"] = new JArray(new JObject { ["name"] = "CM_CACHE_DIR", ["value"] = $"{options.MountPath.TrimEnd('/')}/cache" }),
            ["volumeMounts"] = new JArray(
                new JObject { ["name"] = "workspace", ["mountPath"] = options.MountPath },
                new JObject { ["name"] = "points", ["mountPath"] = PointsMount, ["readOnly"] = true }),
        };
        var resources = Resources(options);
        if (resources is not null) container["resources"] = resources;
        var job = new JObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JObject { ["name"] = name, ["namespace"] = options.Namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JObject
            {
                ["completionMode"] = "Indexed",
                ["completions"] = plan.Points.Count,
                ["parallelism"] = Math.Min(options.Parallelism, plan.Points.Count),
                ["backoffLimitPerIndex"] = options.BackoffLimitPerIndex,
                // Every point gets its chance: the job fails only when all indexes have failed.
                ["maxFailedIndexes"] = plan.Points.Count,
                ["template"] = new JObject
                {
                    ["metadata"] = new JObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JObject
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new JArray(container),
                        ["volumes"] = new JArray(
                            new JObject { ["name"] = "workspace", ["persistentVolumeClaim"] = new JObject { ["claimName"] = options.Pvc } },
                            new JObject { ["name"] = "points", ["configMap"] = new JObject { ["name"] = name + "-points" } }),
                    },
                },
            },
        };
        return new Rendered(pvc, configMap, job, plan);
    }

    private static JObject? Resources(KubernetesOptions o)
    {
        var requests = new JObject();
        var limits = new JObject();
        if (o.Cpu.Length > 0) requests["cpu"] = o.Cpu;
        if (o.Memory.Length > 0) { requests["memory"] = o.Memory; limits["memory"] = o.Memory; }
        if (o.Gpus.Length > 0) limits["nvidia.com/gpu"] = o.Gpus;
        if (requests.Count == 0 && limits.Count == 0) return null;
        var r = new JObject();
        if (requests.Count > 0) r["requests"] = requests;
        if (limits.Count > 0) r["limits"] = limits;
        return r;
    }
}
