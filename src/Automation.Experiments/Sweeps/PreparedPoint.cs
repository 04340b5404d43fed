using Automation.Core.Errors;
using Automation.Experiments.Templates;
using Fluid.Values;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Sweeps;

/// <summary>A point ready to run: its folder and the arguments of its `cm run script` (after the cm binary).</summary>
public sealed record PreparedPoint(SweepPoint Point, string Dir, IReadOnlyList<string> Args)
{
    public JObject ToJson() => new()
    {
        ["index"] = Point.Index,
        ["hash"] = Point.Hash,
        ["params"] = new JObject(Point.Parameters.Select(p => new JProperty(p.Key, p.Value))),
        ["dir"] = Dir,
        ["args"] = new JArray(Args),
    };

    public static PreparedPoint FromJson(JObject o) => new(
        new SweepPoint((int)o["index"]!, ((JObject)o["params"]!).Properties().Select(p => new KeyValuePair<string, string>(p.Name, (string)p.Value!)).ToList(), (string)o["hash"]!),
        (string)o["dir"]!,
        ((JArray)o["args"]!).Select(a => (string)a!).ToList());
}

/// <summary>Renders every point's folder and flags from the experiment's templates; checks folders are distinct.</summary>
public static class PointPreparer
{
    public static IReadOnlyList<PreparedPoint> Prepare(ExperimentSpec spec, IReadOnlyList<SweepPoint> points, string resultsDir)
    {
        var prepared = new List<PreparedPoint>(points.Count);
        var seen = new Dictionary<string, SweepPoint>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            var variables = Variables(spec, point, resultsDir, dir: null);
            var dir = Path.GetFullPath(StrictTemplate.Render(spec.PointDirTemplate, variables, $"point folder of {point.Describe()}").Trim());
            if (seen.TryGetValue(dir, out var other))
                throw new AutomationException($"the point folder template '{spec.PointDirTemplate}' gives the same folder {dir} to points '{other.Describe()}' and '{point.Describe()}'",
                    fix: "Use every swept axis in --point_dir, e.g. {{ results_dir }}/{{ point.batch_size }}-{{ point.threads }}, or {{ point.hash }}.");
            seen[dir] = point;
            variables = Variables(spec, point, resultsDir, dir);
            // A lone word may be an alias (`cm run script detect-os`), which --tags= would not find.
            var args = new List<string> { "run", "script", IsWord(spec.Tags) ? spec.Tags : "--tags=" + spec.Tags };
            args.AddRange(spec.FixedArgs);
            args.AddRange(point.Parameters.Select(p => $"--{p.Key}={p.Value}"));
            args.AddRange(spec.PointArgTemplates.Select(t => StrictTemplate.Render(t, variables, $"point flag of {point.Describe()}")));
            args.AddRange(["-j", "--quiet"]);
            prepared.Add(new PreparedPoint(point, dir, args));
        }
        return prepared;
    }

    private static bool IsWord(string tags) => tags.Length > 0 && char.IsAsciiLetterOrDigit(tags[0]) && tags.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Template variables: results_dir, tags, experiment, and point.{AXIS..., index, hash, slug, dir}.</summary>
    public static Dictionary<string, FluidValue> Variables(ExperimentSpec spec, SweepPoint point, string resultsDir, string? dir)
    {
        var entries = point.Parameters.Select(p => new KeyValuePair<string, FluidValue>(p.Key, StrictTemplate.Str(p.Value))).ToList();
        entries.Add(new("index", NumberValue.Create(point.Index)));
        entries.Add(new("hash", StrictTemplate.Str(point.Hash)));
        entries.Add(new("slug", StrictTemplate.Str(point.Slug)));
        if (dir is not null) entries.Add(new("dir", StrictTemplate.Str(dir)));
        return new Dictionary<string, FluidValue>(StringComparer.Ordinal)
        {
            ["results_dir"] = StrictTemplate.Str(resultsDir),
            ["tags"] = StrictTemplate.Str(spec.Tags),
            ["experiment"] = StrictTemplate.Str(spec.Hash[..16]),
            ["point"] = StrictTemplate.Map(entries),
        };
    }
}
