using System.CommandLine;
using Automation.Records.Reports;

namespace Automation.Cli.Commands;

/// <summary>`cm report RESULTS... [--out DIR] [--title T]`: HTML + markdown report with SVG plots (docs/records.md).</summary>
public static class ReportCommand
{
    public static Command Create(GlobalOptions g)
    {
        var inputs = new Argument<string[]>("results") { Description = "Results folders, cm-run-record.json files, or a sweep's experiment.json", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for cm-report.html, cm-report.md and the .svg plots", DefaultValueFactory = _ => "." };
        var title = new Option<string>("--title") { Description = "Report title", DefaultValueFactory = _ => "cm benchmark report" };
        var command = new Command("report", "Render a self-contained HTML report (and markdown) with SVG plots: latency percentiles per scenario, throughput per run, sweep comparison.")
        {
            inputs, output, title, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var runs = ReportSources.Load(parse.GetValue(inputs)!);
            var report = ReportBuilder.Build(runs, parse.GetValue(title)!);
            var files = ReportRenderer.Write(report, Path.GetFullPath(parse.GetValue(output)!));
            Console.Out.WriteLine($"Report of {runs.Count} run(s) with {report.Charts.Count} plot(s): {files[0]}");
            Console.Out.WriteLine($"Markdown: {files[1]}");
            return 0;
        });
        return command;
    }
}
