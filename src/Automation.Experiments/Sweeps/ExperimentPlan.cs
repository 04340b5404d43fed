using Automation.Core.Errors;
using Automation.Core.Files;
using Automation.Experiments.Backends;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Sweeps;

/// <summary>
/// Every point of an experiment, rendered, plus what a job needs to run one of them elsewhere: the cm command and the
/// working folder. Saved as <c>.experiment/points.json</c> in the results folder; a Slurm array task or a Kubernetes
/// pod picks its point from it by index.
/// </summary>
public sealed record ExperimentPlan(ExperimentSpec Spec, IReadOnlyList<PreparedPoint> Points, string WorkDir, CmCommand Cm)
{
    public const string Schema = "automation.experiment.points/1";

    public static string StateDir(string resultsDir) => Path.Combine(resultsDir, ".experiment");
    public static string DefaultPath(string resultsDir) => Path.Combine(StateDir(resultsDir), "points.json");

    public static ExperimentPlan Create(ExperimentSpec spec, string workDir, CmCommand cm) =>
        new(spec, PointPreparer.Prepare(spec, SweepExpander.Expand(spec), spec.ResultsDir), workDir, cm);

    public PreparedPoint PointAt(int index, string file) =>
        index >= 0 && index < Points.Count ? Points[index]
            : throw new AutomationException($"point index {index} is outside the experiment's {Points.Count} points", file, fix: "Use an index from 0 to the number of points - 1.");

    public JObject ToJson() => new()
    {
        ["schema"] = Schema,
        ["tags"] = Spec.Tags,
        ["fixed_args"] = new JArray(Spec.FixedArgs),
        ["axes"] = new JObject(Spec.Axes.Select(a => new JProperty(a.Name, new JArray(a.Values)))),
        ["results_dir"] = Spec.ResultsDir,
        ["point_dir_template"] = Spec.PointDirTemplate,
        ["point_arg_templates"] = new JArray(Spec.PointArgTemplates),
        ["workdir"] = WorkDir,
        ["cm"] = new JArray(new[] { Cm.FileName }.Concat(Cm.PrefixArgs)),
        ["points"] = new JArray(Points.Select(p => p.ToJson())),
    };

    public string Save(string? path = null)
    {
        path ??= DefaultPath(Spec.ResultsDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, ToJson().ToString(Formatting.Indented) + "\n");
        return path;
    }

    public static ExperimentPlan Load(string path)
    {
        if (!File.Exists(path)) throw new AutomationException($"points file '{path}' does not exist", path, fix: "Pass the .experiment/points.json that `cm run experiment` wrote into the results folder.");
        try
        {
            var o = JObject.Parse(File.ReadAllText(path));
            if ((string?)o["schema"] != Schema) throw new AutomationException($"points file has schema '{o["schema"]}', expected '{Schema}'", path, fix: "Re-create it with this version of cm run experiment.");
            var spec = new ExperimentSpec
            {
                Tags = (string)o["tags"]!,
                FixedArgs = Strings(o["fixed_args"]),
                Axes = ((JObject)o["axes"]!).Properties().Select(p => new SweepAxis(p.Name, Strings(p.Value))).ToList(),
                ResultsDir = (string)o["results_dir"]!,
                PointDirTemplate = (string)o["point_dir_template"]!,
                PointArgTemplates = Strings(o["point_arg_templates"]),
            };
            var cm = Strings(o["cm"]);
            return new ExperimentPlan(spec, ((JArray)o["points"]!).Cast<JObject>().Select(PreparedPoint.FromJson).ToList(), (string)o["workdir"]!, new CmCommand(cm[0], cm.Skip(1).ToList()));
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or NullReferenceException or ArgumentException)
        {
            throw new AutomationException($"points file is damaged: {e.Message}", path, fix: "Re-run `cm run experiment` to write it again.");
        }
    }

    private static List<string> Strings(JToken? token) => token is JArray a ? a.Select(v => (string)v!).ToList() : [];
}
