using System.Globalization;
using System.Text;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official.Benchmark;

/// <summary>What one engine achieved in one scenario: every run, and the run that stands for it (for Server, the
/// highest target that was VALID).</summary>
public sealed record ScenarioOutcome(string Engine, TestScenario Scenario, IReadOnlyList<EngineRunReport> Runs)
{
    public EngineRunReport? Representative => Scenario == TestScenario.Server
        ? Runs.Where(r => r.IsValid).MaxBy(r => r.ServerTargetQps ?? 0)
        : Runs.LastOrDefault();

    /// <summary>Peak memory is that of the representative run, or of the largest run when none was valid.</summary>
    public long PeakRssBytes => (Representative ?? Runs.MaxBy(r => r.PeakRssBytes))?.PeakRssBytes ?? 0;

    /// <summary>Server: the VALID run at this target, if any.</summary>
    public EngineRunReport? ValidAt(double target) => Runs.FirstOrDefault(r => r.IsValid && r.ServerTargetQps == target);

    /// <summary>Server: the run at this target, valid or not.</summary>
    public EngineRunReport? At(double target) => Runs.FirstOrDefault(r => r.ServerTargetQps == target);
}

/// <summary>
/// native ÷ official for one scenario: throughput (target ≥ 1.0) and peak memory (target ≤ 0.5). For Server, throughput
/// compares each engine's highest VALID target, memory the highest target both ran VALID, or else the lowest target
/// both ran (<see cref="MemoryAtTarget"/>), since Server memory grows with the target.
/// </summary>
public sealed record EngineRatio(TestScenario Scenario, double? Throughput, double? PeakMemory, double? MemoryAtTarget = null)
{
    public const double ThroughputTarget = 1.0;
    public const double MemoryTarget = 0.5;
}

/// <summary>The benchmark's table: each engine's figures per scenario and, with both engines, native ÷ official.</summary>
public static class SideBySide
{
    public static IReadOnlyList<EngineRatio> Ratios(IReadOnlyList<ScenarioOutcome> outcomes) =>
        outcomes.GroupBy(o => o.Scenario).Select(g =>
        {
            var native = g.FirstOrDefault(o => o.Engine == NativeLoadGen.EngineLabel);
            var official = g.FirstOrDefault(o => o.Engine == OfficialLoadGen.EngineLabel);
            if (native is null || official is null) return null;
            var throughput = Ratio(native.Representative?.Throughput, official.Representative?.Throughput);
            if (g.Key != TestScenario.Server) return new EngineRatio(g.Key, throughput, Ratio(native.PeakRssBytes, official.PeakRssBytes));
            var common = CommonTarget(native, official);
            return new EngineRatio(g.Key, throughput,
                common is { } t ? Ratio(native.At(t)!.PeakRssBytes, official.At(t)!.PeakRssBytes) : null, common);
        }).OfType<EngineRatio>().ToList();

    private static double? CommonTarget(ScenarioOutcome a, ScenarioOutcome b) =>
        a.Runs.Where(r => r.IsValid && r.ServerTargetQps is { } t && b.ValidAt(t) is not null).Select(r => r.ServerTargetQps).Max()
        ?? a.Runs.Where(r => r.ServerTargetQps is { } t && b.At(t) is not null).Select(r => r.ServerTargetQps).Min();

    private static double? Ratio(double? a, double? b) => a is > 0 && b is > 0 ? a / b : null;

    /// <summary>A Markdown table; engines in the order given.</summary>
    public static string Render(IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var engines = outcomes.Select(o => o.Engine).Distinct().ToList();
        var ratios = Ratios(outcomes).ToDictionary(r => r.Scenario);
        var both = ratios.Count > 0;
        var sb = new StringBuilder();
        sb.Append("| scenario | figure | ").Append(string.Join(" | ", engines));
        if (both) sb.Append(" | native ÷ official | target");
        sb.AppendLine(" |");
        sb.Append("|---|---|").Append(string.Concat(engines.Select(_ => "---:|")));
        if (both) sb.Append("---:|---|");
        sb.AppendLine();
        foreach (var scenario in outcomes.Select(o => o.Scenario).Distinct())
        {
            var row = engines.Select(e => outcomes.FirstOrDefault(o => o.Engine == e && o.Scenario == scenario)).ToList();
            ratios.TryGetValue(scenario, out var ratio);
            sb.Append($"| {scenario} | {EngineRunReport.ThroughputUnit(scenario)} | ").Append(string.Join(" | ", row.Select(ThroughputCell)));
            if (both) sb.Append($" | {Ratio(ratio?.Throughput)} | {Check(ratio?.Throughput, r => r >= EngineRatio.ThroughputTarget, "≥ 1.0×")}");
            sb.AppendLine(" |");
            sb.Append($"| {scenario} | peak RSS | ").Append(string.Join(" | ", row.Select(o => MemoryCell(o, ratio?.MemoryAtTarget))));
            if (both) sb.Append($" | {Ratio(ratio?.PeakMemory)} | {Check(ratio?.PeakMemory, r => r <= EngineRatio.MemoryTarget, "≤ 0.5×")}");
            sb.AppendLine(" |");
        }
        return sb.ToString();
    }

    private static string ThroughputCell(ScenarioOutcome? outcome)
    {
        if (outcome is null) return "—";
        if (outcome.Scenario == TestScenario.Server)
        {
            var best = outcome.Representative;
            var tried = string.Join("/", outcome.Runs.Select(r => $"{Short(r.ServerTargetQps ?? 0)}{(r.IsValid ? "" : "✗")}"));
            return best is null ? $"no valid target (tried {tried})" : $"{Number(best.Throughput)} @ {Short(best.ServerTargetQps ?? 0)} target (tried {tried})";
        }
        var run = outcome.Representative;
        return run is null ? "—" : $"{Number(run.Throughput)}{(run.IsValid ? "" : " (INVALID)")}";
    }

    private static string MemoryCell(ScenarioOutcome? outcome, double? target) => outcome switch
    {
        null => "—",
        _ when target is { } t && outcome.At(t) is { } run => $"{MiB(run.PeakRssBytes)} @ {Short(t)} target",
        _ => MiB(outcome.PeakRssBytes),
    };

    public static string Number(double value) => value switch
    {
        >= 1e6 => (value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (value / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => value.ToString("0.0", CultureInfo.InvariantCulture),
    };

    private static string Short(double qps) => qps >= 1e6 ? $"{(qps / 1e6).ToString("0.##", CultureInfo.InvariantCulture)}M"
        : qps >= 1e3 ? $"{(qps / 1e3).ToString("0.##", CultureInfo.InvariantCulture)}k" : qps.ToString("0.##", CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => $"{(bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture)} MiB";

    private static string Ratio(double? value) => value is { } v ? $"{v.ToString("0.00", CultureInfo.InvariantCulture)}×" : "—";

    private static string Check(double? value, Func<double, bool> ok, string target) =>
        value is { } v ? $"{target} {(ok(v) ? "✓" : "✗")}" : target;
}
