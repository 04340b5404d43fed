using System.Globalization;
using System.Numerics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Meta;

/// <summary>
/// Scalars as CM's Python code sees them after str(): True/False, 1, 0.5, 1e-05, 1000000000000000.0. CM writes env
/// values into run scripts this way, so our env strings must be spelled the same.
/// </summary>
public static class PythonText
{
    /// <summary>str() of a JSON scalar; null for arrays, objects and null.</summary>
    public static string? Str(JToken token) => token.Type switch
    {
        JTokenType.String => token.Value<string>(),
        JTokenType.Integer => token.ToString(Formatting.None),
        JTokenType.Float => Float(token.Value<double>()),
        JTokenType.Boolean => token.Value<bool>() ? "True" : "False",
        _ => null,
    };

    /// <summary>str() of a scalar value as the YAML reader constructs it (null is Python's None).</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        double d => Float(d),
        long l => l.ToString(CultureInfo.InvariantCulture),
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Python's repr/str of a float: the shortest digits that read back to the same double, in fixed notation when the
    /// decimal exponent is in [-4, 16), else as 1e-05 / 1.5e+16 (sign and at least two exponent digits).
    /// </summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var sign = d < 0 || (d == 0 && double.IsNegative(d)) ? "-" : "";
        if (d == 0) return sign + "0.0";
        // "R" gives the shortest round-trip digits, in either notation; take them apart and lay them out as Python does.
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E');
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0').TrimEnd('0');
        point -= leadingZeros;
        if (digits.Length == 0) return sign + "0.0";

        if (point > -4 && point <= 16)
        {
            if (point <= 0) return sign + "0." + new string('0', -point) + digits;
            if (point >= digits.Length) return sign + digits + new string('0', point - digits.Length) + ".0";
            return sign + digits[..point] + "." + digits[point..];
        }
        var exp = point - 1;
        var head = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return $"{sign}{head}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):D2}";
    }
}
