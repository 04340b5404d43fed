using Automation.Core.Errors;
using Automation.Core.Resolution;
using Automation.Core.Security;
using Automation.Records.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Lock;

/// <summary>
/// A lock file pins a resolved plan: each node's script uid and meta sha256, variations, version and cache key
/// (with the inputs that make it). <c>--locked</c> compares a fresh plan against it (docs/records.md).
/// </summary>
public static class PlanLock
{
    public const string Schema = "automation.lock/1";

    /// <param name="version">The node's version as far as it is known: planned, from its cache entry, or from a finished run.</param>
    public static JObject Create(Plan plan, RunRequest request, Func<PlanNode, string?> version) => new()
    {
        ["schema"] = Schema,
        ["created_utc"] = Json.Utc(DateTimeOffset.UtcNow),
        ["request"] = new JObject
        {
            ["tags"] = new JArray(request.Tags),
            ["name"] = request.Name,
            ["inputs"] = Json.Map(request.Inputs),
            ["env_overrides"] = Json.Map(request.EnvOverrides),
            ["version_constraint"] = request.Version.IsEmpty ? null : request.Version.ToString(),
        },
        ["nodes"] = new JArray(plan.Nodes.Select(n => new JObject
        {
            ["script"] = n.Script.Alias,
            ["uid"] = n.Script.Uid,
            ["meta_sha256"] = n.Script.ContentHash,
            ["variations"] = new JArray(n.Variations),
            ["version"] = version(n),
            ["cached"] = n.IsCached,
            ["key"] = n.Key,
            ["key_inputs"] = Json.Map(n.KeyInputs),
        })),
    };

    /// <summary>Written as shared: URL credentials in inputs are masked (the cache keys, hashes of the real values, still compare).</summary>
    public static void Save(JObject lockJson, string path) => Json.WriteAtomically(path, UrlCredentials.Redact(lockJson.ToString(Formatting.Indented)));

    public static JObject Load(string path)
    {
        if (!File.Exists(path))
            throw new AutomationException($"lock file '{path}' does not exist", path, fix: "Write one with `cm lock --tags=... --out FILE` or `cm run script ... --lock FILE`.");
        JObject o;
        try { o = JObject.Parse(File.ReadAllText(path)); }
        catch (JsonReaderException e) { throw new AutomationException($"lock file '{path}' is not valid JSON: {e.Message}", path, fix: "Write it again with `cm lock`."); }
        if ((string?)o["schema"] != Schema || o["nodes"] is not JArray)
            throw new AutomationException($"'{path}' is not a lock file (schema '{o["schema"]}', expected '{Schema}' with a 'nodes' list)", path, fix: "Write it again with `cm lock`.");
        return o;
    }

    /// <summary>Everything in the plan that differs from the lock, one sentence each; empty when the plan matches.</summary>
    public static IReadOnlyList<string> Differences(JObject lockJson, Plan plan, Func<PlanNode, string?> knownVersion)
    {
        var locked = ((JArray)lockJson["nodes"]!).OfType<JObject>().ToList();
        var remaining = plan.Nodes.ToList();
        var differences = new List<string>();
        var pairs = new List<(JObject Lock, PlanNode Node)>();
        foreach (var match in new Func<JObject, PlanNode, bool>[]
                 {
                     (l, n) => (string?)l["key"] == n.Key && (string?)l["uid"] == n.Script.Uid,
                     (l, n) => (string?)l["uid"] == n.Script.Uid && Variations(l) == string.Join(',', n.Variations),
                     (l, n) => (string?)l["uid"] == n.Script.Uid,
                 })
            foreach (var l in locked.Where(l => !pairs.Any(p => ReferenceEquals(p.Lock, l))).ToList())
                if (remaining.FirstOrDefault(n => match(l, n)) is { } node) { pairs.Add((l, node)); remaining.Remove(node); }

        foreach (var l in locked.Where(l => !pairs.Any(p => ReferenceEquals(p.Lock, l))))
            differences.Add($"the locked step {Display(l)} is no longer in the plan");
        foreach (var n in remaining)
            differences.Add($"the plan now has {n.Display} (uid {n.Script.Uid}), which the lock does not");
        foreach (var (l, n) in pairs)
        {
            var name = n.Script.Alias;
            if (Variations(l) != string.Join(',', n.Variations))
                differences.Add($"{name}: variations '{Variations(l)}' locked, now '{string.Join(',', n.Variations)}'");
            if ((string?)l["meta_sha256"] is { } hash && hash != n.Script.ContentHash)
                differences.Add($"{name}: the script changed (meta sha256 {Short(hash)} locked, now {Short(n.Script.ContentHash)} in {n.Script.MetaFile})");
            if ((string?)l["version"] is { } lv && knownVersion(n) is { } v && lv != v)
                differences.Add($"{name}: version {lv} locked, now {v}");
            if ((string?)l["key"] != n.Key && (string?)l["meta_sha256"] == n.Script.ContentHash)
                differences.Add($"{name}: {KeyInputDifferences(l, n)}");
        }
        return differences;
    }

    /// <summary>After a run: versions found by detection that the plan could not know beforehand.</summary>
    public static IReadOnlyList<string> VersionDifferences(JObject lockJson, IEnumerable<Core.Execution.StepRecord> steps)
    {
        var locked = ((JArray)lockJson["nodes"]!).OfType<JObject>().ToList();
        return steps.Where(s => s.Outcome.Version is not null)
            .Select(s => (Step: s, Lock: locked.FirstOrDefault(l => (string?)l["key"] == s.Key && (string?)l["uid"] == s.Uid)))
            .Where(p => p.Lock is not null && (string?)p.Lock["version"] is { } lv && lv != p.Step.Outcome.Version)
            .Select(p => $"{p.Step.Script}: version {p.Lock!["version"]} locked, but this run detected {p.Step.Outcome.Version}")
            .ToList();
    }

    public static AutomationException Mismatch(string lockPath, IReadOnlyList<string> differences, bool ran) =>
        new($"{(ran ? "the run" : "the plan")} does not match lock file '{lockPath}': {string.Join("; ", differences)}",
            lockPath,
            fix: ran
                ? "The run's outputs are kept but do not reproduce the locked run; install the locked tool versions, or write a new lock with `cm lock` if the change is intended."
                : "Nothing was run. Use the locked scripts, inputs and tools, or write a new lock with `cm lock --tags=... --out FILE` if the change is intended.");

    private static string KeyInputDifferences(JObject l, PlanNode n)
    {
        var before = Json.ToMap(l["key_inputs"]);
        string? Now(string k) => n.KeyInputs.GetValueOrDefault(k) is { } v ? UrlCredentials.Redact(v) : null;
        var changes = before.Keys.Union(n.KeyInputs.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != Now(k))
            .Select(k => $"{k} '{before.GetValueOrDefault(k) ?? "(unset)"}' locked, now '{Now(k) ?? "(unset)"}'")
            .ToList();
        return changes.Count == 0 ? $"cache key {Short((string?)l["key"] ?? "")} locked, now {Short(n.Key)}" : "inputs differ: " + string.Join(", ", changes);
    }

    private static string Variations(JObject l) => string.Join(',', (l["variations"] as JArray ?? []).Select(v => (string?)v));
    private static string Display(JObject l) => $"{l["script"]}{string.Concat((l["variations"] as JArray ?? []).Select(v => ",_" + v))} (uid {l["uid"]})";
    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
