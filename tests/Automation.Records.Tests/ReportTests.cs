using System.Diagnostics;
using Automation.Records.Reports;
using Automation.Records.Reports.Svg;
using Automation.Records.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Tests;

[Collection(RecordsCollection.Name)]
public sealed class ReportTests(RecordsFixture fx)
{
    [PipelineFact]
    public void ReportOfTwoRunsHasTheTableAndThePlots()
    {
        fx.EnsureRuns();
        var outDir = fx.Temp("report");
        var r = fx.CmPlain("report", fx.ResultsA, Path.Combine(fx.ResultsB, "cm-run-record.json"), "--out", outDir, "--title", "Two runs");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var html = File.ReadAllText(Path.Combine(outDir, "cm-report.html"));
        Assert.Contains("<title>Two runs</title>", html);
        Assert.Contains("Offline: latency percentiles", html);
        // One headline chart per scenario in its own unit, never a bar chart mixing scenarios.
        Assert.Contains("Offline: samples/s per run (higher is better)", html);
        Assert.Contains("Offline: throughput vs p99 latency", html);
        Assert.Contains("Performance vs accuracy (Pareto front in red)", html);
        Assert.Equal(2, CountOf(html, "<polyline class=\"series\""));
        Assert.Equal(2, CountOf(html, "<rect class=\"bar\""));
        // Every plot has a title and its axes' units.
        var report = ReportBuilder.Build(ReportSources.Load([fx.ResultsA, fx.ResultsB]), "t");
        Assert.All(report.Charts, c =>
        {
            Assert.Contains($"aria-label=\"{System.Net.WebUtility.HtmlEncode(c.Title)}\"", c.Svg);
            Assert.Matches(@"\((ms|samples/s|%|queries/s)\)|latency \(ms\)", c.Svg);
        });
        Assert.Contains((string)fx.RecordA["figures"]!["CM_MLPERF_ACCURACY"]!, html);
        Assert.DoesNotContain("<script", html);
        var md = File.ReadAllText(Path.Combine(outDir, "cm-report.md"));
        Assert.Contains("| run | scenario |", md);
        Assert.Contains("![Offline: latency percentiles](cm-report-1.svg)", md);
        Assert.True(File.Exists(Path.Combine(outDir, "cm-report-1.svg")));
    }

    /// <summary>The report reads results through ResultsReader, the one reader of the layout: a compliance test's run
    /// copied into the folder is no run of its own, and each scenario is the reader's result.</summary>
    [PipelineFact]
    public void ReportReadsScenariosAsTheResultsReaderDoes()
    {
        fx.EnsureRuns();
        var copy = fx.Temp("layout");
        foreach (var file in Directory.EnumerateFiles(fx.ResultsA, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(fx.ResultsA, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var scenario = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(
            Directory.EnumerateFiles(copy, "mlperf_log_summary.txt", SearchOption.AllDirectories).First(f => f.Contains("/performance/run_1/", StringComparison.Ordinal)))))!;
        var test04 = Path.Combine(scenario, "TEST04", "performance", "run_1");
        Directory.CreateDirectory(test04);
        File.Copy(Path.Combine(scenario, "performance", "run_1", "mlperf_log_summary.txt"), Path.Combine(test04, "mlperf_log_summary.txt"));

        var run = Assert.Single(ReportSources.Load([copy]));
        var read = Automation.Results.ResultsReader.Read([copy]).Where(r => r.HasPerformance).ToList();

        Assert.NotEmpty(read);
        Assert.Equal(read.Select(r => (r.Folder, r.Headline, r.Valid, r.Throughput)), run.Scenarios.Select(r => (r.Folder, r.Headline, r.Valid, r.Throughput)));
        Assert.DoesNotContain(run.Scenarios, r => r.Folder.Contains("TEST04", StringComparison.Ordinal));
        Assert.NotNull(run.Scenarios[0].Latencies?.At(99));
    }

    [PipelineFact]
    public void SweepTablesGetAComparisonPlotPerPoint()
    {
        fx.EnsureRuns();
        var table = new JObject
        {
            ["schema"] = "automation.experiment.table/1",
            ["experiment"] = new JObject { ["tags"] = "app,mlperf", ["hash"] = "x" },
            ["rows"] = new JArray(new[] { (fx.ResultsA, "2000", fx.RecordA), (fx.ResultsB, "1000", fx.RecordB) }.Select((p, i) => new JObject
            {
                ["point_index"] = i, ["status"] = "ok", ["point_dir"] = p.Item1,
                ["params"] = new JObject { ["test_query_count"] = p.Item2 }, ["figures"] = p.Item3["figures"],
            })),
        };
        var file = fx.Temp("sweep/experiment.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, table.ToString());
        var report = ReportBuilder.Build(ReportSources.Load([file]), "sweep");
        Assert.Contains(report.Charts, c => c.Title == "Sweep app,mlperf: samples_per_second" && c.Svg.Contains("test_query_count=1000", StringComparison.Ordinal));
        Assert.Contains(report.Charts, c => c.Title == "Sweep app,mlperf: accuracy (%)");
    }

    [ChromiumPipelineFact]
    public void TheHtmlRendersInHeadlessChromiumWithVisiblePlots()
    {
        var chromium = ChromiumPipelineFactAttribute.Chromium!;
        fx.EnsureRuns();
        var outDir = fx.Temp("report-chromium");
        Assert.Equal(0, fx.CmPlain("report", fx.ResultsA, fx.ResultsB, "--out", outDir).ExitCode);
        var url = new Uri(Path.Combine(outDir, "cm-report.html")).AbsoluteUri;

        var dom = Chromium(chromium, outDir, "--dump-dom", url);
        Assert.Equal(4, CountOf(dom, "<svg"));
        Assert.Contains("<polyline", dom);

        var shot = Path.Combine(outDir, "shot.png");
        Chromium(chromium, outDir, $"--screenshot={shot}", "--window-size=1200,900", url);
        var (width, height, rows) = Png.Read(shot);
        Assert.Equal((1200, 900), (width, height));
        // A blank page inflates to rows of filter bytes and zero deltas; the table, text and coloured plots give variety.
        Assert.True(rows.Distinct().Count() > 64, "the screenshot looks blank");
        Assert.True(rows.Count(b => b != 0) > rows.Length / 50, "the screenshot is almost uniform");
    }

    [Fact]
    public void ScatterAxesZoomOntoANarrowBandFarFromZero()
    {
        // Accuracies of 87.1-89.6 %: the axis fills 86-91 instead of squeezing them into the top tenth of 0-100.
        Assert.Equal((86, 91), SvgChart.Range([87.1, 88.4, 89.6]));
        // Values that spread over more than half their maximum keep 0 in view.
        Assert.Equal((0, 50000), SvgChart.Range([12000, 35201]));
        Assert.Equal((0, 1), SvgChart.Range([]));
        var svg = SvgChart.Scatter("s", [new("a", 1000, 87.1, true), new("b", 2000, 89.6, false)], "x (samples/s)", "accuracy (%)");
        Assert.Contains(">86</text>", svg);
        Assert.Contains(">91</text>", svg);
        Assert.DoesNotContain(">100</text>", svg);
    }

    [Fact]
    public void AxisMaximaAreRoundNumbersAboveTheData()
    {
        Assert.Equal(50000, SvgChart.Nice(35201));
        Assert.Equal(100, SvgChart.Nice(80.9));
        Assert.Equal(1, SvgChart.Nice(0));
        var svg = SvgChart.Bars("t <&>", ["a", "b"], [1, 2], "u");
        Assert.Contains("t &lt;&amp;&gt;", svg);
        Assert.Equal(2, CountOf(svg, "<rect class=\"bar\""));
    }

    private static string Chromium(string chromium, string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={Path.Combine(workDir, ".chromium")}" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("chromium did not finish"); }
        return stdout.Result;
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
