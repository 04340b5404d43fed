using System.Globalization;
using System.Text.RegularExpressions;
using Automation.Core.Errors;

namespace Automation.Experiments.Sweeps;

/// <summary>
/// Parses one axis' values: a comma-separated list whose items are literals or integer ranges
/// <c>START:STOP[:STEP]</c>, inclusive of STOP when the steps land on it (like <c>seq START STEP STOP</c>).
/// <c>1,8,32</c> → 1 8 32; <c>1:8:2</c> → 1 3 5 7; <c>4:1:-1</c> → 4 3 2 1; <c>1,16:64:16</c> → 1 16 32 48 64.
/// Only items made of integers and colons are ranges, so values such as <c>http://x</c> stay literal.
/// </summary>
public static partial class SweepValues
{
    /// <summary>The most points one range may expand to; a typo such as 1:1000000 should fail, not fill the disk.</summary>
    public const int MaxRangeLength = 10_000;

    [GeneratedRegex(@"^(-?\d+):(-?\d+)(?::(-?\d+))?$")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")]
    private static partial Regex NamePattern();

    public static SweepAxis Parse(string name, string text, string origin)
    {
        CheckName(name, origin);
        var values = new List<string>();
        foreach (var raw in text.Split(','))
        {
            var item = raw.Trim();
            if (item.Length == 0)
                throw new AutomationException($"sweep axis '{name}' from {origin} has an empty value in '{text}'", fix: "Write values as 1,8,32 or a range START:STOP[:STEP] such as 1:8:2.");
            var m = RangePattern().Match(item);
            if (m.Success) values.AddRange(ExpandRange(name, item, m, origin));
            else values.Add(item);
        }
        return FromValues(name, values, origin);
    }

    public static SweepAxis FromValues(string name, IEnumerable<string> values, string origin)
    {
        CheckName(name, origin);
        var distinct = new List<string>();
        foreach (var v in values)
        {
            if (distinct.Contains(v, StringComparer.Ordinal))
                throw new AutomationException($"sweep axis '{name}' from {origin} lists the value '{v}' twice", fix: "Remove the repeated value; each point of a sweep must be distinct.");
            distinct.Add(v);
        }
        if (distinct.Count == 0) throw new AutomationException($"sweep axis '{name}' from {origin} has no values", fix: "Give at least one value, e.g. --sweep.batch_size=1,8,32.");
        return new SweepAxis(name, distinct);
    }

    private static void CheckName(string name, string origin)
    {
        if (!NamePattern().IsMatch(name))
            throw new AutomationException($"sweep axis name '{name}' from {origin} is not a script input name",
                fix: "Use the script's input name (--sweep.batch_size=...), or env.KEY / adr.NAME.FIELD for env and dep overrides; letters, digits, _ and dots only.");
    }

    private static IEnumerable<string> ExpandRange(string name, string item, Match m, string origin)
    {
        var start = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var stop = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var step = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : (stop >= start ? 1 : -1);
        if (step == 0 || (stop - start) * step < 0)
            throw new AutomationException($"sweep range '{item}' of axis '{name}' from {origin} never reaches {stop} with step {step}",
                fix: "A range is START:STOP[:STEP] with STOP included; use a negative STEP to count down (8:1:-1).");
        var count = (stop - start) / step + 1;
        if (count > MaxRangeLength)
            throw new AutomationException($"sweep range '{item}' of axis '{name}' from {origin} expands to {count} values (limit {MaxRangeLength})", fix: "Use a larger STEP or split the sweep.");
        for (var i = 0L; i < count; i++) yield return (start + i * step).ToString(CultureInfo.InvariantCulture);
    }
}
