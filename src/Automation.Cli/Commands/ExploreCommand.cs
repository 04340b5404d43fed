using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.Cli.Hosting;
using Automation.Core.Errors;
using Automation.Experiments;
using Automation.Experiments.Backends;
using Automation.Experiments.Backends.Local;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Automation.Mlperf.Submission;
using Automation.Records.Reports;
using Automation.Results.Exploration;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>
/// `cm explore --tags=... --sweep KEY=v1,v2 [--sweep ...] --objective=max:throughput [--constraint latency_p99<=X]`:
/// the CK platform's design-space exploration on the experiments engine. The sweep runs as `cm run experiment` runs
/// it (resumable: finished points are reused), then the Pareto front over the objective and the constrained metrics
/// and the best point meeting every constraint are printed, written to explore.json, and drawn in the report.
/// </summary>
public static class ExploreCommand
{
    public static Command Create(GlobalOptions g)
    {
        var tags = new Argument<string[]>("tags") { Description = "Script tags or alias", Arity = ArgumentArity.ZeroOrMore };
        var tagsOption = new Option<string?>("--tags") { Description = "Comma-separated script tags, as for `cm run script`" };
        var sweep = new Option<string[]>("--sweep") { Description = "An axis: KEY=v1,v2,... or KEY=START:STOP[:STEP] (repeatable); KEY is an input of the script", AllowMultipleArgumentsPerToken = false };
        var objective = new Option<string>("--objective") { Description = "max:METRIC or min:METRIC (throughput, latency_p50/p90/p99/mean, accuracy, or a figure key)", DefaultValueFactory = _ => "max:throughput" };
        var constraint = new Option<string[]>("--constraint") { Description = "METRIC<=X, METRIC>=X, <, >, = (repeatable)", AllowMultipleArgumentsPerToken = false };
        var resultsDir = new Option<string?>("--results_dir", "--results-dir") { Description = "Folder of the sweep's points, table, explore.json and report (default ./explore/<hash of the command>)" };
        var parallel = new Option<int>("--parallel") { Description = "Points run at once; default 1 (timings of parallel points disturb each other)", DefaultValueFactory = _ => 1 };
        var force = new Option<bool>("--force") { Description = "Run every point again, even those an earlier run finished" };
        var command = new Command("explore", "Explore a design space: run a sweep, print the Pareto front and the best point meeting the constraints, write the report. Other flags go to every point's `cm run script`.")
        {
            tags, tagsOption, sweep, objective, constraint, resultsDir, parallel, force, g.Json, g.CacheDir, g.Verbose,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var goal = Objective.Parse(parse.GetValue(objective)!);
            var bounds = (parse.GetValue(constraint) ?? []).Select(Constraint.Parse).ToList();
            var axes = (parse.GetValue(sweep) ?? []).Select(Axis).ToList();
            if (axes.Count == 0 && !Program.FreeForm.Any(f => f.StartsWith("--sweep.", StringComparison.Ordinal)))
                throw new AutomationException("cm explore needs at least one --sweep KEY=v1,v2", fix: "For example: cm explore --tags=app,mlperf,inference,_fashion-mnist --sweep batch_size=1,8,32 --sweep threads=1,2 --objective=max:throughput.");
            var engine = new Engine(parse.GetValue(g.CacheDir));
            if (parse.GetValue(g.CacheDir) is not null) Environment.SetEnvironmentVariable("CM_CACHE_DIR", engine.Workspace.CacheDir);
            var tagText = string.Join(',', (parse.GetValue(tags) ?? []).Append(parse.GetValue(tagsOption) ?? ""));
            var dir = parse.GetValue(resultsDir) ?? Path.Combine("explore", DefaultName(tagText, parse.GetValue(sweep) ?? [], Program.FreeForm));
            var spec = RunExperimentCommand.BuildSpec(engine, parse.GetValue(tags) ?? [], parse.GetValue(tagsOption), dir, null, null, [], axes);
            var plan = ExperimentPlan.Create(spec, Environment.CurrentDirectory, CmCommand.Current());
            var json = parse.GetValue(g.Json);
            var progress = RunExperimentCommand.ConsoleProgress(plan.Points.Count);
            var result = new ExperimentRunner(new LocalBackend(parse.GetValue(parallel))).RunAsync(plan, parse.GetValue(force), progress, CancellationToken.None).GetAwaiter().GetResult();

            var points = result.Rows.Where(r => r.Status == PointStatus.Ok)
                .Select(r => new ExplorePoint(r.Point.Describe(), r.Point.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), Metrics.From(r.Figures))).ToList();
            var exploration = Exploration.Run(points, goal, bounds);
            var files = WriteReport(spec.ResultsDir, exploration, goal, bounds);
            var summary = Summary(exploration, goal, bounds, result, files);
            File.WriteAllText(Path.Combine(spec.ResultsDir, "explore.json"), summary.ToString(Formatting.Indented) + "\n");
            if (json) Console.Out.WriteLine(summary.ToString(Formatting.Indented));
            else Console.Out.Write(Text(exploration, goal, bounds, result.Rows.Count, files[0]));
            return exploration.Best is null ? 1 : 0;
        });
        return command;
    }

    private static SweepAxis Axis(string text)
    {
        var at = text.IndexOf('=');
        if (at <= 0 || at == text.Length - 1)
            throw new AutomationException($"--sweep {text} is not valid: it must be KEY=v1,v2,... or KEY=START:STOP[:STEP]", fix: "For example --sweep batch_size=1,8,32 --sweep threads=1:4.");
        return SweepValues.Parse(text[..at], text[(at + 1)..], $"--sweep {text}");
    }

    /// <summary>The same command gets the same folder, so running it again resumes it.</summary>
    private static string DefaultName(string tags, IEnumerable<string> sweeps, IEnumerable<string> free) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', new[] { tags }.Concat(sweeps.Order(StringComparer.Ordinal)).Concat(free)))))[..12];

    private static string Metric(ExplorePoint p, string metric) =>
        p.Metrics.TryGetValue(metric, out var v) ? v.ToString(Math.Abs(v) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture) : "-";

    private static string Text(Exploration e, Objective goal, IReadOnlyList<Constraint> bounds, int total, string report)
    {
        var sb = new StringBuilder();
        var columns = e.Axes.Select(a => a.Metric).ToList();
        var width = Math.Max(5, e.Points.Select(p => p.Label.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine($"{e.Points.Count} of {total} points measured; objective {goal}{(bounds.Count > 0 ? "; constraints " + string.Join(", ", bounds) : "")}");
        var headers = columns.Select(Metrics.Title).ToList();
        sb.AppendLine($"  {"point".PadRight(width)}  {string.Join("  ", headers.Select(h => h.PadLeft(Math.Max(h.Length, 10))))}  front");
        var front = e.Front.ToHashSet();
        foreach (var p in e.Points)
            sb.AppendLine($"{(ReferenceEquals(p, e.Best) ? "→" : " ")} {p.Label.PadRight(width)}  {string.Join("  ", columns.Select((c, i) => Metric(p, c).PadLeft(Math.Max(headers[i].Length, 10))))}  {(front.Contains(p) ? "*" : "")}");
        sb.AppendLine($"Pareto front over {string.Join(", ", e.Axes.Select(a => (a.HigherIsBetter ? "max " : "min ") + a.Metric))}: {string.Join("; ", e.Front.Select(p => p.Label))}");
        sb.AppendLine(e.Best is { } best
            ? $"Best meeting the constraints: {best.Label} ({goal.Metric} {Metric(best, goal.Metric)})"
            : $"No point meets every constraint: {string.Join("; ", e.Notes)}");
        sb.AppendLine($"Report: {report}");
        return sb.ToString();
    }

    private static JObject Summary(Exploration e, Objective goal, IReadOnlyList<Constraint> bounds, ExperimentResult result, IReadOnlyList<string> files)
    {
        JObject Point(ExplorePoint p) => new()
        {
            ["label"] = p.Label,
            ["params"] = new JObject(p.Parameters.Select(kv => new JProperty(kv.Key, kv.Value))),
            ["metrics"] = new JObject(e.Axes.Where(a => p.Metrics.ContainsKey(a.Metric)).Select(a => new JProperty(a.Metric, p.Metrics[a.Metric]))),
        };
        return new JObject
        {
            ["objective"] = goal.ToString(),
            ["constraints"] = new JArray(bounds.Select(b => b.ToString())),
            ["axes"] = new JArray(e.Axes.Select(a => new JObject { ["metric"] = a.Metric, ["higher_is_better"] = a.HigherIsBetter })),
            ["points"] = new JArray(e.Points.Select(Point)),
            ["front"] = new JArray(e.Front.Select(Point)),
            ["best"] = e.Best is { } b ? Point(b) : null,
            ["notes"] = new JArray(e.Notes),
            ["ran"] = result.Ran,
            ["reused"] = result.Reused,
            ["table"] = result.JsonPath,
            ["report"] = files[0],
        };
    }

    /// <summary>The sweep's report plus the exploration's own plot: objective against the second axis, front in red.</summary>
    private static IReadOnlyList<string> WriteReport(string resultsDir, Exploration e, Objective goal, IReadOnlyList<Constraint> bounds)
    {
        var report = ReportBuilder.Build(ReportSources.Load([Path.Combine(resultsDir, ResultTable.JsonFile)], MlperfRules.AccuracyTargets), $"cm explore: {goal}{(bounds.Count > 0 ? " with " + string.Join(", ", bounds) : "")}");
        if (e.Axes.Count >= 2)
        {
            var (x, y) = (e.Axes[1], e.Axes[0]);
            var front = e.Front.ToHashSet();
            var title = $"Exploration: {y.Metric} vs {x.Metric} (Pareto front in red)";
            var svg = Records.Reports.Svg.SvgChart.Scatter(title, e.Points.Where(p => p.Metrics.ContainsKey(x.Metric) && p.Metrics.ContainsKey(y.Metric))
                .Select(p => new Records.Reports.Svg.ScatterPoint(p.Label, p.Metrics[x.Metric], p.Metrics[y.Metric], front.Contains(p))).ToList(), Metrics.Title(x.Metric), Metrics.Title(y.Metric));
            var chart = new ReportChart("cm-explore.svg", title, svg);
            var model = (JObject)report.Model.DeepClone();
            ((JArray)model["charts"]!).Insert(0, new JObject { ["file"] = chart.File, ["title"] = chart.Title, ["svg"] = chart.Svg });
            report = new Report(model, [chart, .. report.Charts]);
        }
        return ReportRenderer.Write(report, resultsDir);
    }
}
