using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Automation.Core.Meta;

/// <summary>
/// What PyYAML 6's SafeLoader makes of a scalar (YAML 1.1, as CM and MLCFlow read metas): plain scalars go through
/// its implicit resolvers (bool yes/no/on/off/true/false in three casings, ints with 0b/0x/0-octal/underscores/
/// sexagesimal, floats needing a dot, .inf/.nan, null ~/null/empty); quoted and block scalars stay strings. The result
/// is string, bool, long, BigInteger, double or null; timestamps stay the text they were written as.
/// </summary>
internal static partial class PyYamlScalar
{
    public const string StrTag = "tag:yaml.org,2002:str";
    private const string Prefix = "tag:yaml.org,2002:";

    /// <summary>The tag PyYAML's resolver gives a plain scalar.</summary>
    public static string Resolve(string value)
    {
        if (value.Length == 0 || NullPattern().IsMatch(value)) return Prefix + "null";
        if (BoolPattern().IsMatch(value)) return Prefix + "bool";
        if (FloatPattern().IsMatch(value)) return Prefix + "float";
        if (IntPattern().IsMatch(value)) return Prefix + "int";
        if (value == "<<") return Prefix + "merge";
        if (TimestampPattern().IsMatch(value)) return Prefix + "timestamp";
        if (value == "=") return Prefix + "value";
        return StrTag;
    }

    /// <summary>
    /// Constructs the value for a resolved or explicit tag; a problem is returned as text (the caller adds file:line:col)
    /// in the words PyYAML uses where it has some.
    /// </summary>
    public static bool TryConstruct(string tag, string value, out object? result, out string? problem)
    {
        result = null;
        problem = null;
        switch (tag)
        {
            case StrTag:
                result = value;
                return true;
            case Prefix + "null":
                return true;
            case Prefix + "bool":
                switch (value.ToLowerInvariant())
                {
                    case "yes" or "true" or "on": result = true; return true;
                    case "no" or "false" or "off": result = false; return true;
                }
                problem = $"'{value}' is not a boolean";
                return false;
            case Prefix + "int":
                result = Int(value);
                problem = result is null ? $"'{value}' is not an integer" : null;
                return result is not null;
            case Prefix + "float":
                result = Float(value);
                problem = result is null ? $"'{value}' is not a float" : null;
                return result is not null;
            case Prefix + "timestamp":
                // Python would hold a datetime; its str() is the text for dates, which is what metas carry.
                result = value;
                return true;
            default:
                problem = $"could not determine a constructor for the tag '{tag}'";
                return false;
        }
    }

    private static object? Int(string text)
    {
        var value = text.Replace("_", "", StringComparison.Ordinal);
        var negative = value.StartsWith('-');
        if (value.StartsWith('-') || value.StartsWith('+')) value = value[1..];
        if (value.Length == 0) return null;
        BigInteger n;
        if (value == "0") n = 0;
        else if (value.StartsWith("0b", StringComparison.Ordinal)) { if (!Digits(value[2..], 2, out n)) return null; }
        else if (value.StartsWith("0x", StringComparison.Ordinal)) { if (!Digits(value[2..], 16, out n)) return null; }
        else if (value[0] == '0') { if (!Digits(value, 8, out n)) return null; }
        else if (value.Contains(':'))
        {
            n = 0;
            foreach (var part in value.Split(':'))
            {
                if (!Digits(part, 10, out var d)) return null;
                n = n * 60 + d;
            }
        }
        else if (!Digits(value, 10, out n)) return null;
        if (negative) n = -n;
        return n >= long.MinValue && n <= long.MaxValue ? (long)n : n;
    }

    private static bool Digits(string text, int radix, out BigInteger n)
    {
        n = 0;
        if (text.Length == 0) return false;
        foreach (var c in text)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (d >= radix) return false;
            n = n * radix + d;
        }
        return true;
    }

    private static double? Float(string text)
    {
        var value = text.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        var sign = 1.0;
        if (value.StartsWith('-')) sign = -1;
        if (value.StartsWith('-') || value.StartsWith('+')) value = value[1..];
        if (value == ".inf") return sign * double.PositiveInfinity;
        if (value == ".nan") return double.NaN;
        if (value.Contains(':'))
        {
            double total = 0;
            foreach (var part in value.Split(':'))
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return null;
                total = total * 60 + d;
            }
            return sign * total;
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? sign * x : null;
    }

    // PyYAML 6 resolver.py, verbatim in meaning (its re.X whitespace removed).
    [GeneratedRegex(@"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant)]
    private static partial Regex BoolPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:~|null|Null|NULL)$", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
