using System.Globalization;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Automation.Core.Versioning;

/// <summary>
/// A version made of dotted numbers, as tools print it and as the script libraries write it: "3.11.7", "12.4",
/// "v1.2.3-rc", "r6.1" (MLPerf rounds), "5.1.dev0+gabc", "3.13.0b1", "2.39.5.windows.1".
/// Ordering follows PEP 440 (the libraries are Python packages and pip orders them so): the numbers first, trailing
/// zeros ignored, then dev &lt; alpha &lt; beta &lt; rc &lt; the release &lt; post; a "+local" part and unrecognised
/// trailing text are ignored. A leading 'v' or 'r' before the first digit is not part of the number.
/// Text without a leading number ("master", "custom") is not a ToolVersion: see <see cref="TryCompare"/>.
/// </summary>
public sealed partial record ToolVersion : IComparable<ToolVersion>
{
    private readonly long[] release;
    private readonly Suffix suffix;

    private ToolVersion(string original, long[] release, Suffix suffix, NuGetVersion value)
    {
        Original = original;
        this.release = release;
        this.suffix = suffix;
        Value = value;
    }

    public string Original { get; }

    /// <summary>The NuGet form (first four numbers, pre-release when dev/alpha/beta/rc) for readers of Major/Minor/Patch.</summary>
    public NuGetVersion Value { get; }

    public static bool TryParse(string? text, out ToolVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        var head = Head().Match(trimmed);
        if (!head.Success) return false;
        var numbers = new List<long>();
        foreach (var part in head.Groups["num"].Value.Split('.'))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
            numbers.Add(n);
        }
        var suffix = Suffix.Parse(trimmed[head.Length..]);
        if (!TryNuGet(numbers, suffix, out var value)) return false;
        version = new ToolVersion(trimmed, [.. numbers], suffix, value);
        return true;
    }

    public static ToolVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a version (expected digits separated by dots, e.g. 3.11.7).");

    /// <summary>
    /// Orders two version texts as constraints need them: identical texts are equal ("master" = "master"), two numeric
    /// versions compare as numbers; anything else (a name against a number, two different names) has no order.
    /// </summary>
    public static bool TryCompare(string a, string b, out int order)
    {
        order = 0;
        if (string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal)) return true;
        if (!TryParse(a, out var va) || !TryParse(b, out var vb)) return false;
        order = va.CompareTo(vb);
        return true;
    }

    /// <summary>
    /// Whether this (found) version is the one asked for. As CM's check of a detected version against `version`:
    /// a plain requested version names a release line, so "3.11" accepts "3.11.7" and "12" accepts "12.4.1".
    /// </summary>
    public bool Matches(ToolVersion requested) =>
        CompareTo(requested) == 0
        || (requested.suffix.IsRelease && requested.release.Length < release.Length && release.AsSpan(0, requested.release.Length).SequenceEqual(requested.release));

    public int CompareTo(ToolVersion? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(release.Length, other.release.Length); i++)
        {
            var order = At(release, i).CompareTo(At(other.release, i));
            if (order != 0) return order;
        }
        return suffix.CompareTo(other.suffix);
    }

    public bool Equals(ToolVersion? other) => other is not null && CompareTo(other) == 0;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        var significant = release.Length;
        while (significant > 0 && release[significant - 1] == 0) significant--;
        for (var i = 0; i < significant; i++) hash.Add(release[i]);
        hash.Add(suffix);
        return hash.ToHashCode();
    }

    public override string ToString() => Original;

    public static bool operator <(ToolVersion a, ToolVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ToolVersion a, ToolVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ToolVersion a, ToolVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ToolVersion a, ToolVersion b) => a.CompareTo(b) >= 0;

    private static long At(long[] numbers, int i) => i < numbers.Length ? numbers[i] : 0;

    private static bool TryNuGet(List<long> numbers, Suffix suffix, out NuGetVersion value)
    {
        var text = string.Join('.', numbers.Take(4).Concat(Enumerable.Repeat(0L, Math.Max(0, 2 - numbers.Count))));
        if (suffix.NuGetLabel() is { } label && NuGetVersion.TryParse($"{text}-{label}", out value!)) return true;
        return NuGetVersion.TryParse(text, out value!);
    }

    /// <summary>What follows the numbers: PEP 440's pre/post/dev parts, or a semver label after '-' ("-custom").</summary>
    private readonly record struct Suffix(int PreRank, string PreLabel, long PreNumber, long? Post, long? Dev) : IComparable<Suffix>
    {
        // PreRank: an unrecognised label, then a < b < rc; a release without a pre-release sorts above all of them.
        private const int Unrecognised = 0, Release = 10;
        private static readonly string[] Phases = ["", "a", "b", "rc"];

        public bool IsRelease => PreRank == Release && Post is null && Dev is null;

        public static Suffix Parse(string rest)
        {
            var m = Pep440().Match(rest);
            if (m.Length > 0)
            {
                var pre = m.Groups["pre"].Value.ToLowerInvariant();
                var rank = pre switch { "" => Release, "a" or "alpha" => 1, "b" or "beta" => 2, _ => 3 };
                return new Suffix(rank, "", Number(m.Groups["pren"]) ?? 0,
                    m.Groups["post"].Success ? Number(m.Groups["postn"]) ?? 0 : null,
                    m.Groups["dev"].Success ? Number(m.Groups["devn"]) ?? 0 : null);
            }
            var label = Label().Match(rest);
            return label.Success ? new Suffix(Unrecognised, label.Groups["label"].Value, 0, null, null) : new Suffix(Release, "", 0, null, null);
        }

        public int CompareTo(Suffix other)
        {
            var order = SortRank.CompareTo(other.SortRank);
            if (order == 0) order = string.Compare(PreLabel, other.PreLabel, StringComparison.OrdinalIgnoreCase);
            if (order == 0) order = PreNumber.CompareTo(other.PreNumber);
            if (order == 0) order = (Post ?? -1).CompareTo(other.Post ?? -1);
            if (order == 0) order = (Dev ?? long.MaxValue).CompareTo(other.Dev ?? long.MaxValue);
            return order;
        }

        public bool Equals(Suffix other) => CompareTo(other) == 0;

        public override int GetHashCode() =>
            HashCode.Combine(SortRank, PreLabel.ToUpperInvariant(), PreNumber, Post ?? -1, Dev ?? long.MaxValue);

        /// <summary>NuGet's pre-release label, so that Value.IsPrerelease says what PEP 440 says.</summary>
        public string? NuGetLabel()
        {
            if (PreRank == Unrecognised) return string.Join('.', Regex.Split(PreLabel, "[^0-9A-Za-z-]+").Where(p => p.Length > 0));
            if (PreRank != Release) return $"{Phases[PreRank]}.{PreNumber}" + (Dev is { } d ? $".dev.{d}" : "");
            return Post is null && Dev is { } dev ? $"dev.{dev}" : null;
        }

        // PEP 440: "1.0.dev0" (no pre, no post) sorts before "1.0a0".
        private int SortRank => PreRank == Release && Post is null && Dev is not null ? -1 : PreRank;

        private static long? Number(Group g) =>
            g.Success && long.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    // A leading 'v' (v1.2.3) or 'r' (MLPerf rounds: r6.1) is a prefix only when a digit follows.
    [GeneratedRegex(@"^(?:[vVrR](?=\d))?(?<num>\d+(?:\.\d+)*)")]
    private static partial Regex Head();

    // PEP 440's suffixes in their order; a keyword must not run on into a word (".windows" is not "w", "-candidate" not "c").
    [GeneratedRegex(@"^(?:[-_.]?(?<pre>alpha|beta|preview|pre|rc|a|b|c)(?![A-Za-z])[-_.]?(?<pren>\d+)?)?(?:[-_.]?(?<post>post|rev|r)(?![A-Za-z])[-_.]?(?<postn>\d+)?)?(?:[-_.]?(?<dev>dev)(?![A-Za-z])[-_.]?(?<devn>\d+)?)?", RegexOptions.IgnoreCase)]
    private static partial Regex Pep440();

    // A semver pre-release label: after '-' or directly after the numbers ("12.4-custom", "1.2foo").
    [GeneratedRegex(@"^-?(?<label>[A-Za-z][0-9A-Za-z.-]*)")]
    private static partial Regex Label();
}
