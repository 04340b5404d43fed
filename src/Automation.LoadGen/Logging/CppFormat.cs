using System.Globalization;

namespace Automation.LoadGen.Logging;

/// <summary>The C++ number spellings LoadGen's logs use, so our files read the same.</summary>
public static class CppFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>std::to_string(double): printf "%f".</summary>
    public static string ToStringF(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        double.NaN => "NaN",
        _ => value.ToString("F6", Invariant),
    };

    /// <summary>LoadGen's DoubleToString(value, precision): std::fixed with the given precision.</summary>
    public static string Fixed(double value, int precision = 2) => value.ToString("F" + precision, Invariant);

    /// <summary>A double written to an ostream with default flags: printf "%g" with precision 6.</summary>
    public static string General(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return value.ToString(Invariant) == "-0" ? "-0" : "0";
        const int precision = 6;
        var scientific = value.ToString("E" + (precision - 1), Invariant);
        var exponent = int.Parse(scientific[(scientific.IndexOf('E') + 1)..], Invariant);
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = TrimZeros(scientific[..scientific.IndexOf('E')]);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }
        return TrimZeros(value.ToString("F" + (precision - 1 - exponent), Invariant));
    }

    private static string TrimZeros(string number) =>
        number.Contains('.') ? number.TrimEnd('0').TrimEnd('.') : number;
}
