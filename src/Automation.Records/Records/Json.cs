using System.Globalization;
using Automation.Core.Files;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>Small JObject helpers shared by records, locks, crates and reports (AOT: JObject only, never typed deserialization).</summary>
public static class Json
{
    public static JObject Map(IEnumerable<KeyValuePair<string, string>> map)
    {
        var o = new JObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }

    public static Dictionary<string, string> ToMap(JToken? token) =>
        token is JObject o
            ? o.Properties().ToDictionary(p => p.Name, p => p.Value.Type == JTokenType.Null ? "" : p.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static string? Str(JToken? token) => token is null || token.Type == JTokenType.Null ? null : token.ToString();

    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Writes a document into its folder (created) through <see cref="AtomicFile"/>, so a reader never sees half of it.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, text);
    }
}
