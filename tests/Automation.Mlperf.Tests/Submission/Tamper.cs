using Xunit;
using System.Text.RegularExpressions;
using Automation.Mlperf.Submission;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Tests.Submission;

/// <summary>Ways to break a generated tree, each the kind of edit a checker must catch.</summary>
internal static class Tamper
{
    public static string ScenarioDir(string submitterDir, string benchmark, string scenario) =>
        SubmissionLayout.ScenarioDir(submitterDir, FakeResults.System, benchmark, scenario);

    public static void Replace(string path, string pattern, string replacement)
    {
        var text = File.ReadAllText(path);
        var changed = Regex.Replace(text, pattern, replacement);
        Assert.NotEqual(text, changed);
        File.WriteAllText(path, changed);
    }

    /// <summary>Sets an MLLOG key's value in a detail log.</summary>
    public static void SetLogValue(string detailLog, string key, string value) =>
        Replace(detailLog, $"(\"key\": \"{Regex.Escape(key)}\", \"value\": )[^,]+,", $"${{1}}{value},");

    public static void EditJson(string path, Action<JObject> edit)
    {
        var json = JObject.Parse(File.ReadAllText(path));
        edit(json);
        File.WriteAllText(path, json.ToString());
    }
}
