using System.Text.RegularExpressions;

namespace Automation.Core.Tests.Customize;

/// <summary>One API name a customize.py uses: the object it is reached on (automation, mlc.utils, ...) and the name.</summary>
public sealed record ApiUse(string Kind, string Name);

/// <summary>
/// Reads customize.py sources for the names they use on the host's API: automation.X / i['automation'].X,
/// action_object.X, cache_action.X, mlc.X, cmind.X, utils.X (on whichever utils the file imports) and
/// `from utils|mlc|cmind[.utils] import a, b`. Docstrings/commented-out blocks and comment lines are ignored.
/// </summary>
public static partial class CustomizeApiScanner
{
    public static IReadOnlySet<ApiUse> Scan(string source)
    {
        var code = CommentLine().Replace(TripleQuoted().Replace(source, ""), "");
        var uses = new HashSet<ApiUse>();
        void Add(string kind, Regex pattern)
        {
            foreach (Match m in pattern.Matches(code)) uses.Add(new ApiUse(kind, m.Groups["name"].Value));
        }

        Add("automation", AutomationAttribute());
        Add("automation", AutomationItemAttribute());
        Add("action_object", ActionObjectAttribute());
        Add("cache_action", CacheActionAttribute());
        Add("mlc", MlcAttribute());
        Add("cmind", CmindAttribute());
        foreach (var kind in UtilsBindings(code))
            Add(kind, UtilsAttribute());
        foreach (Match m in FromImport().Matches(code))
            foreach (var name in WithoutComment(m.Groups["names"].Value).Split([',', '(', ')', '\n', '\r', '\\'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var imported = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                if (imported != "*") uses.Add(new ApiUse(m.Groups["module"].Value, imported));
            }
        return uses;
    }

    private static string WithoutComment(string names) =>
        names.StartsWith('(') || !names.Contains('#') ? names : names[..names.IndexOf('#')];

    /// <summary>What `utils` names in this file: mlc.utils, cmind.utils or the top-level utils (mlc.utils when it imports none).</summary>
    private static IEnumerable<string> UtilsBindings(string code)
    {
        var kinds = new List<string>();
        if (code.Contains("from mlc import utils", StringComparison.Ordinal)) kinds.Add("mlc.utils");
        if (code.Contains("from cmind import utils", StringComparison.Ordinal)) kinds.Add("cmind.utils");
        if (ImportUtils().IsMatch(code)) kinds.Add("utils");
        return kinds.Count > 0 ? kinds : ["mlc.utils"];
    }

    [GeneratedRegex("'''[\\s\\S]*?'''|\"\"\"[\\s\\S]*?\"\"\"")]
    private static partial Regex TripleQuoted();

    [GeneratedRegex(@"^[ \t]*#.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"(?<![\w.])automation\.(?<name>\w+)")]
    private static partial Regex AutomationAttribute();

    [GeneratedRegex(@"\[['""]automation['""]\]\.(?<name>\w+)")]
    private static partial Regex AutomationItemAttribute();

    [GeneratedRegex(@"\baction_object\.(?<name>\w+)")]
    private static partial Regex ActionObjectAttribute();

    [GeneratedRegex(@"\bcache_action\.(?<name>\w+)")]
    private static partial Regex CacheActionAttribute();

    [GeneratedRegex(@"(?<![\w.])mlc\.(?<name>\w+)")]
    private static partial Regex MlcAttribute();

    [GeneratedRegex(@"(?<![\w.])cmind\.(?<name>\w+)")]
    private static partial Regex CmindAttribute();

    [GeneratedRegex(@"(?<![\w.])utils\.(?<name>\w+)")]
    private static partial Regex UtilsAttribute();

    [GeneratedRegex(@"^[ \t]*import[ \t]+utils\b", RegexOptions.Multiline)]
    private static partial Regex ImportUtils();

    [GeneratedRegex(@"^[ \t]*from[ \t]+(?<module>utils|mlc|cmind|mlc\.utils|cmind\.utils)[ \t]+import[ \t]+(?<names>\([^)]*\)|[^\n]+)", RegexOptions.Multiline)]
    private static partial Regex FromImport();
}
