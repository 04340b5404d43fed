using System.Globalization;
using System.Text.RegularExpressions;
using Automation.Core.Errors;

namespace Automation.Results.Exploration;

/// <summary>`--objective=max:throughput`: the metric to optimise and its direction.</summary>
public sealed record Objective(string Metric, bool Maximise)
{
    public static Objective Parse(string text)
    {
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || parts[0] is not ("max" or "min") || parts[1].Trim().Length == 0)
            throw new AutomationException($"--objective={text} is not valid: it must be max:METRIC or min:METRIC",
                fix: "For example --objective=max:throughput or --objective=min:latency_p99 (metrics: throughput, latency_p50/p90/p99/mean, accuracy, or any figure key).");
        return new Objective(parts[1].Trim(), parts[0] == "max");
    }

    public bool Better(double a, double b) => Maximise ? a > b : a < b;
    public override string ToString() => $"{(Maximise ? "max" : "min")}:{Metric}";
}

/// <summary>`--constraint latency_p99<=10`: a bound a point must meet to be chosen.</summary>
public sealed partial record Constraint(string Metric, string Operator, double Bound)
{
    public static Constraint Parse(string text)
    {
        var m = Pattern().Match(text.Replace(" ", ""));
        if (!m.Success || !double.TryParse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) || !double.IsFinite(bound))
            throw new AutomationException($"--constraint {text} is not valid: it must be METRIC<=NUMBER (or >=, <, >, =)",
                fix: "For example --constraint latency_p99<=10 --constraint accuracy>=85.");
        return new Constraint(m.Groups[1].Value, m.Groups[2].Value, bound);
    }

    public bool Holds(double value) => Operator switch
    {
        "<=" => value <= Bound,
        ">=" => value >= Bound,
        "<" => value < Bound,
        ">" => value > Bound,
        _ => value == Bound,
    };

    /// <summary>The direction the constraint prefers, for the Pareto front: an upper bound wants less.</summary>
    public bool HigherIsBetter => Operator is ">=" or ">" || (Operator == "=" && Metrics.HigherIsBetter(Metric));

    public override string ToString() => $"{Metric}{Operator}{Bound.ToString(CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_.]*)(<=|>=|<|>|=)(.+)$")]
    private static partial Regex Pattern();
}
