using System.CommandLine;
using Automation.Mlperf.Submission;
using Automation.Records.Reports;
using Automation.Results;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>
/// `cm report RESULTS... [--out DIR] [--title T] [-j]`: the results table (model, scenario, mode, validity, headline
/// figure, accuracy and its target, compliance) of every MLPerf result below the given folders, then the HTML +
/// markdown report with SVG plots (docs/records.md). `-j` prints the table as JSON.
/// </summary>
public static class ReportCommand
{
    public static Command Create(GlobalOptions g)
    {
        var inputs = new Argument<string[]>("results") { Description = "Results folders, submission trees, cm-run-record.json files, or a sweep's experiment.json", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for cm-report.html, cm-report.md and the .svg plots", DefaultValueFactory = _ => "." };
        var title = new Option<string>("--title") { Description = "Report title", DefaultValueFactory = _ => "cm benchmark report" };
        var command = new Command("report", "Print the MLPerf results table and render a self-contained HTML report (and markdown) with SVG plots.")
        {
            inputs, output, title, g.Json, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(inputs)!;
            var table = ResultsReader.Read(paths.Where(Directory.Exists), MlperfRules.AccuracyTargets);
            var json = parse.GetValue(g.Json);
            if (!json && table.Count > 0) Console.Out.Write(ResultsTable.Text(table));
            var runs = ReportSources.Load(paths, MlperfRules.AccuracyTargets);
            var report = ReportBuilder.Build(runs, parse.GetValue(title)!);
            var files = ReportRenderer.Write(report, Path.GetFullPath(parse.GetValue(output)!));
            if (json)
            {
                Console.Out.WriteLine(new JObject { ["results"] = ResultsTable.Json(table), ["report"] = files[0], ["markdown"] = files[1] }.ToString(Formatting.Indented));
                return 0;
            }
            Console.Out.WriteLine($"Report of {runs.Count} run(s) with {report.Charts.Count} plot(s): {files[0]}");
            Console.Out.WriteLine($"Markdown: {files[1]}");
            return 0;
        });
        return command;
    }
}
