using System.Text;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Logging;

/// <summary>mlperf_log_summary.txt, section for section and label for label as LoadGen's LogSummary writes it.</summary>
internal static class SummaryWriter
{
    private const string Rule = "================================================";

    public static void AppendPerformance(StringBuilder text, PerformanceFigures f)
    {
        var s = f.Settings;
        void Line(string line) => text.Append(line).Append('\n');

        Line($"{Rule}\nMLPerf Results Summary\n{Rule}");
        Line($"SUT name : {f.SutName}");
        Line($"Scenario : {s.Scenario}");
        Line($"Mode     : {s.Mode}");
        switch (s.Scenario)
        {
            case TestScenario.SingleStream:
            case TestScenario.MultiStream:
                Line($"{CppFormat.Fixed(s.TargetLatencyPercentile * 100, 1)}th percentile latency (ns) : {f.TargetPercentileLatencyNs}");
                break;
            case TestScenario.Server:
                Line($"Completed samples per second    : {CppFormat.Fixed(f.CompletedSamplesPerSecond)}");
                break;
            case TestScenario.Offline:
                Line($"Samples per second: {CppFormat.General(f.SamplesPerSecond)}");
                break;
        }

        Line($"Result is : {(f.IsValid ? "VALID" : "INVALID")}");
        if (f.HasPerfConstraints) Line($"  Performance constraints satisfied : {YesNo(f.PerfConstraintsMet)}");
        Line($"  Min duration satisfied : {YesNo(f.MinDurationMet)}");
        Line($"  Min queries satisfied : {YesNo(f.MinQueriesMet)}");
        Line($"  Early stopping satisfied: {YesNo(f.EarlyStoppingMet)}");
        if (!f.IsValid)
        {
            Line("Recommendations:");
            if (!f.PerfConstraintsMet) Line($" * {f.PerfConstraintsRecommendation}");
            if (!f.MinDurationMet) Line($" * {f.MinDurationRecommendation}");
            if (!f.MinQueriesMet) Line(" * The test exited early, before enough queries were issued.\n   See the detailed log for why this may have occurred.");
        }
        if (s.Scenario != TestScenario.Offline)
        {
            Line("Early Stopping Result:");
            Line(f.EarlyStoppingRecommendation);
        }

        Line($"\n{Rule}\nAdditional Stats\n{Rule}");
        if (s.Scenario == TestScenario.SingleStream)
        {
            Line($"QPS w/ loadgen overhead         : {CppFormat.Fixed(f.QpsWithLoadgenOverhead)}");
            Line($"QPS w/o loadgen overhead        : {CppFormat.Fixed(f.QpsWithoutLoadgenOverhead)}");
            Line("");
        }
        else if (s.Scenario == TestScenario.Server)
        {
            Line($"Scheduled samples per second : {CppFormat.Fixed(f.ScheduledSamplesPerSecond)}");
        }
        else if (s.Scenario == TestScenario.MultiStream)
        {
            Line("Per-query latency:  ");
            AppendLatencies(text, f.QueryLatency!);
        }
        if (s.Scenario != TestScenario.MultiStream) AppendLatencies(text, f.SampleLatency);

        Line($"\n{Rule}\nTest Parameters Used\n{Rule}");
        SettingsLog.AppendSummary(text, s);
    }

    /// <summary>LoadGen's closing lines, written whatever the mode.</summary>
    public static void AppendTrailer(StringBuilder text, int warnings, int errors)
    {
        text.Append(warnings switch
        {
            0 => "\nNo warnings encountered during test.\n",
            1 => "\n1 warning encountered. See detailed log.\n",
            _ => $"\n{warnings} warnings encountered. See detailed log.\n",
        });
        text.Append(errors switch
        {
            0 => "\nNo errors encountered during test.\n",
            1 => "\n1 ERROR encountered. See detailed log.\n",
            _ => $"\n{errors} ERRORS encountered. See detailed log.\n",
        });
    }

    private static void AppendLatencies(StringBuilder text, LatencyStats stats)
    {
        text.Append("Min latency (ns)                : ").Append(stats.MinNs).Append('\n');
        text.Append("Max latency (ns)                : ").Append(stats.MaxNs).Append('\n');
        text.Append("Mean latency (ns)               : ").Append(stats.MeanNs).Append('\n');
        foreach (var p in stats.Percentiles)
        {
            text.Append(CppFormat.Fixed(p.Percentile * 100)).Append(" percentile latency (ns)   : ").Append(p.LatencyNs).Append('\n');
        }
    }

    private static string YesNo(bool value) => value ? "Yes" : "NO";
}
