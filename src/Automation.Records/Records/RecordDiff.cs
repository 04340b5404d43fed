using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>One difference between two run records: where, what, and the two values (null when absent on that side).</summary>
public sealed record RecordChange(string Section, string Key, string? Left, string? Right)
{
    /// <summary>Relative change of a numeric figure, e.g. "+3.2%".</summary>
    public string? Delta =>
        Json.Number(Left) is { } a && Json.Number(Right) is { } b && a != 0 ? ((b - a) / Math.Abs(a) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : null;
}

/// <summary>`cm diff`: what changed between two runs — command and inputs, scripts and versions, machine, status, figures.</summary>
public static class RecordDiff
{
    public static IReadOnlyList<RecordChange> Compare(JObject left, JObject right)
    {
        var changes = new List<RecordChange>();
        void Maps(string section, JToken? a, JToken? b, Func<string, bool>? include = null)
        {
            var l = Json.ToMap(a);
            var r = Json.ToMap(b);
            foreach (var key in l.Keys.Union(r.Keys).Where(k => include?.Invoke(k) ?? true).Order(StringComparer.Ordinal))
                if (l.GetValueOrDefault(key) != r.GetValueOrDefault(key)) changes.Add(new RecordChange(section, key, l.GetValueOrDefault(key), r.GetValueOrDefault(key)));
        }
        foreach (var key in new[] { "status", "exit_code" })
            if (Json.Str(left[key]) != Json.Str(right[key])) changes.Add(new RecordChange("run", key, Json.Str(left[key]), Json.Str(right[key])));
        var lc = left["command"] as JObject ?? new JObject();
        var rc = right["command"] as JObject ?? new JObject();
        foreach (var key in new[] { "tags", "name", "version_constraint" })
            if (Text(lc[key]) != Text(rc[key])) changes.Add(new RecordChange("command", key, Text(lc[key]), Text(rc[key])));
        Maps("input", lc["inputs"], rc["inputs"]);
        Maps("env", lc["env_overrides"], rc["env_overrides"]);
        Maps("caller env", lc["caller_env"], rc["caller_env"]);
        Maps("script", Nodes(left, "meta_sha256"), Nodes(right, "meta_sha256"));
        Maps("variations", Nodes(left, "variations"), Nodes(right, "variations"));
        Maps("version", Nodes(left, "version"), Nodes(right, "version"));
        Maps("machine", left["machine"]?["host_env"], right["machine"]?["host_env"]);
        Maps("figure", left["figures"], right["figures"], k => true);
        return changes;
    }

    /// <summary>Per script alias (plus variations when a script appears twice), the given node field.</summary>
    private static JObject Nodes(JObject record, string field)
    {
        var o = new JObject();
        foreach (var node in ((record["plan"] as JObject)?["nodes"] as JArray ?? []).OfType<JObject>())
        {
            var name = (string?)node["script"] ?? "?";
            if (o.ContainsKey(name)) name += "," + Text(node["variations"]);
            o[name] = Text(node[field]) ?? "";
        }
        return o;
    }

    private static string? Text(JToken? t) => t switch
    {
        null => null,
        { Type: JTokenType.Null } => null,
        JArray a => string.Join(',', a.Select(v => v.ToString())),
        _ => t.ToString(),
    };
}
