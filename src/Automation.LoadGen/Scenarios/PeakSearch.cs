using System.Globalization;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Scenarios;

/// <summary>
/// LoadGen's FindPeakPerformance (Server only): the requested target QPS must meet the latency bound; the bound is
/// then widened by (1 + step) until a run misses it, and the QPS between the last pass and the first miss is found by
/// bisection to server_find_peak_qps_decimals_of_precision decimals.
/// </summary>
internal sealed class PeakSearch(TestRun test)
{
    public (PerformanceFigures? Figures, double? PeakQps) Run(EffectiveSettings settings)
    {
        test.Detail.Log("generic_message", "Starting FindPeakPerformance mode");
        if (settings.Scenario != TestScenario.Server)
        {
            test.Detail.LogError("error_invalid_config", "Finding peak performance is only supported in Server scenarios.");
            return (null, null);
        }
        test.Detail.Log("generic_message", $"FindPeakPerformance: Check validity of the base settings field: {Qps(settings)}");
        var lower = test.RunPerformance(settings, announce: false);
        if (!lower.PerfConstraintsMet)
        {
            test.Detail.LogError("error_runtime",
                $"FindPeakPerformance: Initial lower bound does not satisfy performance constraints, msg: {lower.PerfConstraintsRecommendation}");
            return (lower, null);
        }

        PerformanceFigures upper;
        while (true)
        {
            var widened = lower.Settings with { TargetQps = lower.Settings.TargetQps * (1 + settings.Requested.ServerFindPeakQpsBoundaryStepSize) };
            test.Detail.Log("generic_message", $"FindBoundaries: Checking fields [{Qps(lower.Settings)}, {Qps(widened)})");
            upper = test.RunPerformance(widened, announce: false);
            if (!upper.PerfConstraintsMet) break;
            lower = upper;
        }
        test.Detail.Log("generic_message", $"FindPeakPerformance: Found boundaries: [{Qps(lower.Settings)}, {Qps(upper.Settings)})");

        var precision = settings.Requested.ServerFindPeakQpsDecimalsOfPrecision;
        while (!IsFinished(lower.Settings.TargetQps, upper.Settings.TargetQps, precision))
        {
            var mid = lower.Settings with { TargetQps = lower.Settings.TargetQps + (upper.Settings.TargetQps - lower.Settings.TargetQps) / 2 };
            test.Detail.Log("generic_message",
                $"FindPeakPerformanceBinarySearch: Testing the mid value of bounds [{Qps(lower.Settings)}, {Qps(upper.Settings)}): {Qps(mid)}");
            var result = test.RunPerformance(mid, announce: false);
            if (result.PerfConstraintsMet) lower = result;
            else upper = result;
        }
        test.Detail.Log("generic_message", $"FindPeakPerformance: Found peak performance field: {Qps(lower.Settings)}");
        return (lower, lower.Settings.TargetQps);
    }

    public static bool IsFinished(double lowerQps, double upperQps, int decimals)
    {
        var scale = Math.Pow(10, (byte)decimals);
        return Math.Floor(lowerQps * scale) + 1 >= Math.Floor(upperQps * scale);
    }

    private static string Qps(EffectiveSettings s) => s.TargetQps.ToString("F6", CultureInfo.InvariantCulture);
}
