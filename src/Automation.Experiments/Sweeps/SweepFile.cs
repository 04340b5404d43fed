using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Sweeps;

/// <summary>
/// Reads axes from a JSON or YAML file (<c>--sweep_file=F</c>): a mapping of axis name to a list of values or to a
/// string in the command-line syntax, optionally under a top-level <c>sweep:</c> key.
/// <code>
/// sweep:
///   batch_size: [1, 8, 32]
///   threads: "1:4"
/// </code>
/// </summary>
public static class SweepFile
{
    public static IReadOnlyList<SweepAxis> Load(string path)
    {
        if (!File.Exists(path)) throw new AutomationException($"sweep file '{path}' does not exist", path, fix: "Check --sweep_file; the path is relative to the current directory.");
        var text = File.ReadAllText(path);
        JObject root;
        try
        {
            root = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JObject.Parse(text) : YamlMeta.ToJson(text, path);
        }
        catch (JsonReaderException e)
        {
            throw new AutomationException($"sweep file is not valid JSON: {e.Message}", path, fix: "Fix the JSON, or use a .yaml file.");
        }
        catch (MetaException e)
        {
            throw new AutomationException($"sweep file is not a YAML mapping: {e.Message}", path, fix: "Write a mapping of axis name to a list of values.");
        }
        var axes = root["sweep"] is JObject inner ? inner : root;
        var origin = $"sweep file {path}";
        return axes.Properties().Select(p => p.Value switch
        {
            JArray list => SweepValues.FromValues(p.Name, list.Select(v => Scalar(v, p.Name, path)), origin),
            JValue value when value.Type != JTokenType.Null => SweepValues.Parse(p.Name, Scalar(value, p.Name, path), origin),
            _ => throw new AutomationException($"sweep axis '{p.Name}' must be a list of values or a string such as \"1:8:2\"", path, fix: "Write batch_size: [1, 8, 32] or threads: \"1:4\"."),
        }).ToList();
    }

    private static string Scalar(JToken token, string axis, string path) => token switch
    {
        JValue { Type: JTokenType.Boolean } b => (bool)b.Value! ? "yes" : "no",
        JValue { Value: IFormattable f } => f.ToString(null, CultureInfo.InvariantCulture),
        JValue { Value: string s } => s,
        _ => throw new AutomationException($"sweep axis '{axis}' has a value that is not a scalar: {token.ToString(Formatting.None)}", path, fix: "Axis values must be strings or numbers."),
    };
}
