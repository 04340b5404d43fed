using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.Dashboard.Runs;
using Automation.Dashboard.Security;
using Automation.Records.Records;
using Automation.Results;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Catalog;

/// <summary>
/// Every run the workspace knows, newest first: the dashboard's own runs, run records of `cm run script` (the
/// history under &lt;cache&gt;/.records/ and records in results folders), sweep points (one per row of each
/// experiment.json, grouped by sweep), and MLPerf results folders or submission trees that no record names (found
/// under &lt;workspace&gt;/results and the `cm serve --results_dir` folders). Each run appears once: a record a
/// dashboard run or a sweep point wrote belongs to it. MLPerf results are read through Automation.Results.
/// </summary>
public sealed class RunIndex(DashboardOptions options, RunManager runs)
{
    private const int MaxHistory = 1000;
    private const int MaxDepth = 8;
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private readonly ResultsFolders folders = new(options);
    private readonly RecordCache records = new();
    private readonly Lock gate = new();
    private (DateTime At, IReadOnlyList<RunEntry> Entries)? last;

    public ResultsFolders Folders => folders;

    /// <summary>
    /// The list, rebuilt at most once a second (a page asks for it and its plots at once), and at once when one of the
    /// dashboard's runs changed status (its figures and results are then on disk).
    /// </summary>
    public IReadOnlyList<RunEntry> All()
    {
        lock (gate)
            if (last is { } hit && DateTime.UtcNow - hit.At < Fresh && hit.Entries.All(e => e.Live is null || e.Live.Status == e.Status)) return hit.Entries;
        var entries = Build();
        lock (gate) last = (DateTime.UtcNow, entries);
        return entries;
    }

    /// <summary>Forgets the list, so the next request sees a run just deleted or started.</summary>
    public void Invalidate()
    {
        lock (gate) last = null;
    }

    public RunEntry? Find(string? id) => id is null || id.Length > 64 ? null : All().FirstOrDefault(e => e.Id == id);

    private IReadOnlyList<RunEntry> Build()
    {
        var runsDir = Path.GetFullPath(options.RunsDir);
        var found = Scan();
        var byId = new Dictionary<string, JObject>(StringComparer.Ordinal);
        foreach (var file in HistoryFiles().Concat(found.Records))
            if (records.Read(file) is { } r && (string?)r["id"] is { } id && RunRecordWriter.IsRecordId(id)) byId.TryAdd(id, r);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<RunEntry>();

        foreach (var run in runs.All)
        {
            var snap = run.Snapshot();
            var ids = (snap["record_ids"] as JArray ?? []).Select(t => (string?)t).OfType<string>().ToList();
            claimed.UnionWith(ids);
            var resultsDir = (string?)snap["results_dir"];
            entries.Add(new RunEntry
            {
                Id = run.Id, Kind = RunKind.Dashboard, Live = run,
                Script = (string?)snap["script"] ?? "",
                Variations = Strings(snap["variations"]),
                Inputs = Map(snap["inputs"]), Env = Map(snap["env"]),
                Status = run.Status,
                Started = Time(snap["started"]), DurationS = (double?)snap["duration_s"], Error = (string?)snap["error"],
                Folder = run.Dir, ResultsDir = resultsDir,
                Figures = Map(snap["figures"]),
                Results = resultsDir is null ? [] : ReadResults(resultsDir),
                Record = ids.Select(i => byId.GetValueOrDefault(i)).FirstOrDefault(r => r is not null),
            });
        }

        // Records by the folder they wrote to, newest first: a sweep point's record is the one in its point folder.
        var unclaimed = byId.Values.Where(r => !claimed.Contains((string)r["id"]!)).ToList();
        var byResultsDir = unclaimed.Where(r => (string?)r["results_dir"] is { Length: > 0 })
            .GroupBy(r => Normal((string)r["results_dir"]!)).ToDictionary(g => g.Key, g => g.OrderByDescending(r => (string)r["id"]!, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        var tables = found.Tables
            .Concat(runs.All.SelectMany(r => Files(r.Dir, SweepTable.FileName)))
            .Concat(byResultsDir.Keys.Select(d => Path.Combine(Path.GetDirectoryName(d) ?? d, SweepTable.FileName)).Where(File.Exists))
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal);
        foreach (var table in tables.Select(SweepTable.TryRead).OfType<SweepTable>())
            foreach (var row in table.Rows)
            {
                var pointDir = row.PointDir is { Length: > 0 } p ? Normal(p) : null;
                var record = pointDir is null ? null : byResultsDir.GetValueOrDefault(pointDir)?.FirstOrDefault();
                if (record is not null) claimed.Add((string)record["id"]!);
                entries.Add(new RunEntry
                {
                    Id = $"sweep-{table.Id}-{row.Index}", Kind = RunKind.SweepPoint,
                    Sweep = new SweepRef(table.Id, table.Name, table.Path, row.Index, row.Params),
                    Script = RecordScript(record) ?? table.Name,
                    Variations = record is null ? [] : RecordVariations(record),
                    Inputs = record is null ? row.Params : Map(record.SelectToken("command.inputs")), Env = Map(record?.SelectToken("command.env_overrides")),
                    Status = row.Status switch { "ok" => "succeeded", "timeout" => "failed", "" => "succeeded", var s => s },
                    Started = row.Started ?? Time(record?["started_utc"]), DurationS = row.DurationS, Error = row.Error,
                    Folder = pointDir is not null && Directory.Exists(pointDir) ? pointDir : null, ResultsDir = pointDir,
                    Figures = row.Figures.Count > 0 ? row.Figures : Map(record?["figures"]),
                    Results = pointDir is null ? [] : ReadResults(pointDir),
                    Record = record,
                });
            }

        // Command-line runs. A folder's MLPerf results belong to the newest run that wrote them (the files of an
        // earlier run into the same folder were replaced; its exported figures still tell its result).
        var newestFor = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in unclaimed.Where(r => !claimed.Contains((string)r["id"]!)).OrderByDescending(r => (string)r["id"]!, StringComparer.Ordinal))
        {
            var key = OwnedResults(r);
            if (key is not null) newestFor.TryAdd(key, (string)r["id"]!);
        }
        foreach (var r in unclaimed.Where(r => !claimed.Contains((string)r["id"]!)))
        {
            var id = (string)r["id"]!;
            var resultsDir = (string?)r["results_dir"] is { Length: > 0 } d ? Normal(d) : null;
            if (resultsDir is not null && SafePaths.IsInside(runsDir, resultsDir)) continue; // a dashboard run's child, listed as that run
            var owned = OwnedResults(r);
            var figures = Map(r["figures"]);
            entries.Add(new RunEntry
            {
                Id = id, Kind = RunKind.Cli,
                Script = RecordScript(r) ?? "",
                Variations = RecordVariations(r),
                Inputs = Map(r.SelectToken("command.inputs")), Env = Map(r.SelectToken("command.env_overrides")),
                Status = (string?)r["status"] == "ok" ? "succeeded" : "failed",
                Started = Time(r["started_utc"]), DurationS = (double?)r["seconds"], Error = (string?)r.SelectToken("error.message"),
                Folder = resultsDir is not null && Directory.Exists(resultsDir) ? resultsDir : null, ResultsDir = resultsDir,
                Figures = figures,
                Results = owned is not null && newestFor.GetValueOrDefault(owned) == id ? ReadResults(owned) : [],
                Record = r,
            });
        }

        // Results folders and submission trees no run above accounts for.
        var known = entries.Select(e => e.ResultsDir).OfType<string>().Select(Normal).ToHashSet(StringComparer.Ordinal);
        var scenarioDirs = entries.SelectMany(e => e.Results).Select(r => Normal(r.Folder)).ToHashSet(StringComparer.Ordinal);
        var loose = found.ScenarioFolders.Where(f => !SafePaths.IsInside(runsDir, f) && !scenarioDirs.Contains(Normal(f)))
            .Select(f => ReadOne(f)).OfType<MlperfResult>()
            .Where(r => !known.Contains(Normal(r.Root)) && !known.Any(k => SafePaths.IsInside(k, r.Folder)))
            .GroupBy(r => Normal(r.Root));
        foreach (var group in loose)
        {
            var newest = group.Select(r => r.PerformanceSummary ?? r.Folder).Where(p => File.Exists(p) || Directory.Exists(p)).Select(p => File.GetLastWriteTimeUtc(p)).DefaultIfEmpty(DateTime.MinValue).Max();
            entries.Add(new RunEntry
            {
                Id = "folder-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(group.Key)))[..12], Kind = RunKind.Folder,
                Script = Path.GetFileName(group.Key),
                Started = newest == DateTime.MinValue ? null : new DateTimeOffset(newest, TimeSpan.Zero),
                Folder = group.Key, ResultsDir = group.Key,
                Results = group.ToList(),
            });
        }
        return entries.OrderByDescending(e => e.Started ?? DateTimeOffset.MinValue).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>What a record's results are: the scenario folder it exported, else its whole results folder.</summary>
    private static string? OwnedResults(JObject record) =>
        (string?)record.SelectToken("figures.CM_MLPERF_SCENARIO_RESULTS_DIR") is { Length: > 0 } scenario ? Normal(scenario)
        : (string?)record["results_dir"] is { Length: > 0 } dir ? Normal(dir) : null;

    private IReadOnlyList<MlperfResult> ReadResults(string dir)
    {
        if (!Directory.Exists(dir)) return [];
        try { return ResultsReader.ScenarioFolders(dir).Select(ReadOne).OfType<MlperfResult>().ToList(); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    private MlperfResult? ReadOne(string scenarioDir)
    {
        try { return ResultsReader.Read(scenarioDir, options.AccuracyTargets); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or Newtonsoft.Json.JsonException) { return null; }
    }

    private IEnumerable<string> HistoryFiles()
    {
        var dir = Path.Combine(options.Workspace.CacheDir, RunRecord.HistoryFolder);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.json").OrderByDescending(f => f, StringComparer.Ordinal).Take(MaxHistory)
            : [];
    }

    private sealed record Found(List<string> Records, List<string> Tables, List<string> ScenarioFolders);

    /// <summary>One walk of the search folders for run records, sweep tables and MLPerf scenario folders (not into the dashboard's runs folder).</summary>
    private Found Scan()
    {
        var found = new Found([], [], []);
        var runsDir = Path.GetFullPath(options.RunsDir);
        foreach (var root in folders.SearchRoots.Where(Directory.Exists))
        {
            foreach (var file in Files(root, RunRecord.FileName)) if (!SafePaths.IsInside(runsDir, file)) found.Records.Add(file);
            foreach (var file in Files(root, SweepTable.FileName)) if (!SafePaths.IsInside(runsDir, file)) found.Tables.Add(file);
            try { found.ScenarioFolders.AddRange(ResultsReader.ScenarioFolders(root).Where(f => !SafePaths.IsInside(runsDir, f))); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    private static IEnumerable<string> Files(string root, string name) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, name, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
            : [];

    private static string? RecordScript(JObject? record) =>
        record is null ? null
        : (string?)record.SelectToken("plan.root") is { } root && (record.SelectToken("plan.nodes") as JArray)?.OfType<JObject>().FirstOrDefault(n => (string?)n["id"] == root) is { } node ? (string?)node["script"]
        : (string?)record.SelectToken("command.name") is { Length: > 0 } name ? name
        : string.Join(',', Strings(record.SelectToken("command.tags")).Where(t => !t.StartsWith('_')));

    private static IReadOnlyList<string> RecordVariations(JObject record) =>
        Strings(record.SelectToken("command.tags")).Where(t => t.StartsWith('_')).Select(t => t[1..]).ToList();

    internal static IReadOnlyList<string> Strings(JToken? token) => (token as JArray ?? []).Select(t => (string?)t).OfType<string>().ToList();

    internal static IReadOnlyDictionary<string, string> Map(JToken? token) =>
        (token as JObject ?? []).Properties().Where(p => p.Value.Type != JTokenType.Null).ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);

    private static DateTimeOffset? Time(JToken? token) => token?.Type switch
    {
        JTokenType.Date => new DateTimeOffset(((DateTime)token).ToUniversalTime(), TimeSpan.Zero),
        JTokenType.String => DateTimeOffset.TryParse((string?)token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null,
        _ => null,
    };

    private static string Normal(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
}
