using System.Globalization;

namespace Automation.LoadGen.Settings;

/// <summary>
/// The C library number parsing LoadGen's conf reader relies on: strtoul/strtoull with base 0 (0x hex, leading-0
/// octal, decimal, optional sign, wrap on negation) and strtod. A conf value is accepted when one of them consumes
/// the whole token, and is then read with the parser its key asks for; so "1.5" read as an integer is 1 and
/// "08" (valid only as a double) read as an integer is 0, exactly as in LoadGen.
/// </summary>
internal static class CNumber
{
    public static bool IsWholeInteger(string token) => ParseIntegerPrefix(token, out var used) is var _ && used == token.Length && used > 0;

    public static bool IsWholeDouble(string token) => ParseDoublePrefix(token, out var used) is var _ && used == token.Length && used > 0;

    /// <summary>strtoull(token, &amp;end, 0); <paramref name="used"/> is end - token (0 when nothing parsed).</summary>
    public static ulong ParseIntegerPrefix(string s, out int used)
    {
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        var numberBase = 10;
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && i + 2 < s.Length && HexDigit(s[i + 2]) >= 0)
        {
            numberBase = 16;
            i += 2;
        }
        else if (i < s.Length && s[i] == '0')
        {
            numberBase = 8;
        }
        var start = i;
        ulong value = 0;
        var overflow = false;
        for (; i < s.Length; i++)
        {
            var digit = numberBase == 16 ? HexDigit(s[i]) : s[i] - '0';
            if (digit < 0 || digit >= numberBase) break;
            var next = unchecked(value * (ulong)numberBase + (ulong)digit);
            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)numberBase) overflow = true;
            value = next;
        }
        if (i == start)
        {
            used = 0;
            return 0;
        }
        used = i;
        if (overflow) return ulong.MaxValue;
        return negative ? unchecked(0UL - value) : value;
    }

    /// <summary>strtod(token, &amp;end) for decimal, hexadecimal-integer, inf and nan spellings.</summary>
    public static double ParseDoublePrefix(string s, out int used)
    {
        var i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        var rest = s.AsSpan(i);
        foreach (var word in new[] { "infinity", "inf", "nan" })
        {
            if (rest.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                used = i + word.Length;
                var special = word == "nan" ? double.NaN : double.PositiveInfinity;
                return s[0] == '-' ? -special : special;
            }
        }
        if (rest.Length > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X'))
        {
            var magnitude = ParseIntegerPrefix(s[i..], out var hexUsed);
            used = i + hexUsed;
            return s[0] == '-' ? -(double)magnitude : magnitude;
        }
        var j = i;
        var digits = 0;
        while (j < s.Length && char.IsAsciiDigit(s[j])) { j++; digits++; }
        if (j < s.Length && s[j] == '.')
        {
            j++;
            while (j < s.Length && char.IsAsciiDigit(s[j])) { j++; digits++; }
        }
        if (digits == 0)
        {
            used = 0;
            return 0;
        }
        if (j < s.Length && (s[j] == 'e' || s[j] == 'E'))
        {
            var k = j + 1;
            if (k < s.Length && (s[k] == '+' || s[k] == '-')) k++;
            var expStart = k;
            while (k < s.Length && char.IsAsciiDigit(s[k])) k++;
            if (k > expStart) j = k;
        }
        used = j;
        return double.Parse(s.AsSpan(0, j), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
