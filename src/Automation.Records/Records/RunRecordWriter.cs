using Automation.Core.Execution;
using Automation.Core.Resolution;
using Automation.Core.Security;
using Automation.Records.Crate;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>
/// Collects one top-level run's steps as they finish and writes its record when it ends, however it ends: into the
/// results folder (with the RO-Crate) when the run has one, and always a history copy under <c>&lt;cache&gt;/.records/</c>.
/// In a results folder each run also keeps its own copy under <c>cm-runs/&lt;id&gt;/</c>, so a second run into the same
/// folder replaces only the folder's "latest" record, never the first run's.
/// </summary>
public sealed class RunRecordWriter(RunInvocation invocation)
{
    private readonly List<StepRecord> steps = [];

    public string Id { get; } = $"{invocation.Started.UtcDateTime:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
    public Plan? Plan { get; set; }
    /// <summary>A cached node's recorded outcome, for nodes the run served from the cache without running them.</summary>
    public Func<PlanNode, StepOutcome?>? CachedOutcome { get; set; }

    public void OnStep(StepRecord step)
    {
        lock (steps) steps.Add(step);
    }

    /// <summary>Writes the record; returns where (the results-folder copy when there is one). Never throws: a record must not hide the run's own error or fail a run that worked.</summary>
    public string? Write(RunResult? result, Exception? error)
    {
        try
        {
            var resultsDir = ResultsDir(result);
            List<StepRecord> done;
            lock (steps) done = [.. steps];
            // A successful run served wholly from the cache, with no results folder, did nothing to record: its
            // history copy would only crowd real runs out of estimates and the artifact appendix (and cost ~1.5 ms
            // of a ~14 ms cached run).
            if (error is null && resultsDir is null && done.Count > 0 && done.All(s => s.FromCache)) return null;
            var record = RunRecordBuilder.Build(Id, invocation, Plan, done, result, error, DateTimeOffset.UtcNow, resultsDir, CachedOutcome);
            // URLs may carry credentials (--url=https://user:token@host/…): they stay out of records and crates.
            var text = UrlCredentials.Redact(record.ToString(Formatting.Indented));
            Json.WriteAtomically(Path.Combine(invocation.CacheDir, RunRecord.HistoryFolder, Id + ".json"), text);
            // A run that failed before any step ran (a resolution error, a lock mismatch) leaves the results folder
            // and the record of the run that wrote it alone.
            if (resultsDir is null || (error is not null && done.Count == 0)) return Path.Combine(invocation.CacheDir, RunRecord.HistoryFolder, Id + ".json");
            // The run's own copy first, then the folder's latest: an earlier run's copy is never replaced.
            Json.WriteAtomically(RunRecord.RunCopy(resultsDir, Id), text);
            Json.WriteAtomically(Path.Combine(resultsDir, RunRecord.FileName), text);
            var earlier = RunsIn(resultsDir).Where(f => !f.EndsWith(Path.Combine(Id, RunRecord.FileName), StringComparison.Ordinal)).Select(TryLoad).OfType<JObject>().ToList();
            Json.WriteAtomically(Path.Combine(resultsDir, WorkflowRunCrate.FileName), UrlCredentials.Redact(WorkflowRunCrate.Build(record, earlier).ToString(Formatting.Indented)));
            return Path.Combine(resultsDir, RunRecord.FileName);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"warning: could not write the run record: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The folder the run wrote its results to: CM_MLPERF_RESULTS_DIR as the run ended or was planned (a script's
    /// `results_dir` input maps to it when the script writes there). Not the bare `--results_dir` input: the
    /// submission generator reads its results folder through it, and must leave the record of the run that wrote it.
    /// </summary>
    private string? ResultsDir(RunResult? result)
    {
        const string key = "CM_MLPERF_RESULTS_DIR";
        var request = invocation.Request;
        var dir = result?.Env.GetValueOrDefault(key)
                  ?? Plan?.Root.Env.GetValueOrDefault(key)
                  ?? request.EnvOverrides.GetValueOrDefault(key)
                  ?? request.CallerEnv.GetValueOrDefault(key);
        return string.IsNullOrEmpty(dir) ? null : Path.GetFullPath(dir, invocation.CurrentDirectory);
    }

    /// <summary>Every run's own record in a results folder (<c>cm-runs/*/cm-run-record.json</c>), oldest first (ids start with the UTC time).</summary>
    public static IReadOnlyList<string> RunsIn(string resultsDir)
    {
        var dir = Path.Combine(resultsDir, RunRecord.RunsFolder);
        if (!Directory.Exists(dir)) return [];
        // Ids tell the second only (their tail is random): two runs in one second are ordered by when their copy was written.
        return Directory.EnumerateDirectories(dir).Select(d => Path.Combine(d, RunRecord.FileName)).Where(File.Exists)
            .OrderBy(Second, StringComparer.Ordinal).ThenBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).ToList();

        static string Second(string record) => Path.GetFileName(Path.GetDirectoryName(record))! is var id && id.Length > 15 ? id[..15] : id;
    }

    /// <summary>
    /// Forgets run <paramref name="id"/>: its history copy and, in its results folder, its own copy; when the folder's
    /// record is this run's, the newest remaining run's copy takes its place (or it goes when none is left). The
    /// results themselves and the folder's RO-Crate stay. Returns the files removed.
    /// </summary>
    public static IReadOnlyList<string> Remove(string cacheDir, string id, string? resultsDir)
    {
        // The id names files: only what Id makes (UTC time and hex) may reach the disk.
        if (!IsRecordId(id)) throw new ArgumentException($"'{id}' is not a run record id", nameof(id));
        var removed = new List<string>();
        void Delete(string file) { if (File.Exists(file)) { File.Delete(file); removed.Add(file); } }
        Delete(Path.Combine(cacheDir, RunRecord.HistoryFolder, id + ".json"));
        if (resultsDir is null || !Directory.Exists(resultsDir)) return removed;
        var copy = RunRecord.RunCopy(resultsDir, id);
        Delete(copy);
        if (Directory.Exists(Path.GetDirectoryName(copy)) && !Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(copy)!).Any()) Directory.Delete(Path.GetDirectoryName(copy)!);
        var latest = Path.Combine(resultsDir, RunRecord.FileName);
        if (TryLoad(latest) is { } current && (string?)current["id"] == id)
        {
            if (RunsIn(resultsDir).LastOrDefault() is { } previous) File.Copy(previous, latest, overwrite: true);
            else Delete(latest);
        }
        return removed;
    }

    /// <summary>Whether <paramref name="id"/> has the form of a record id (<c>yyyyMMdd-HHmmss-</c> and 8 hex digits).</summary>
    public static bool IsRecordId(string id) =>
        id.Length == 24 && id[8] == '-' && id[15] == '-' && id[..8].All(char.IsAsciiDigit) && id[9..15].All(char.IsAsciiDigit) && id[16..].All(char.IsAsciiHexDigitLower);

    /// <summary>A record, or null when the file is missing, torn or not a run record (listings skip it; <see cref="Load"/> explains).</summary>
    public static JObject? TryLoad(string path)
    {
        try { return Load(path); }
        catch (Core.Errors.AutomationException) { return null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static JObject Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, RunRecord.FileName) : path;
        if (!File.Exists(file))
            throw new Core.Errors.AutomationException($"no run record at '{path}'", file, fix: $"Pass a {RunRecord.FileName} file or a results folder that holds one (every `cm run script` writes one; see docs/records.md).");
        try
        {
            var o = JObject.Parse(File.ReadAllText(file));
            if ((string?)o["schema"] != RunRecord.Schema)
                throw new Core.Errors.AutomationException($"'{file}' is not a run record (schema '{o["schema"]}', expected '{RunRecord.Schema}')", file, fix: "Pass a cm-run-record.json written by `cm run script`.");
            return o;
        }
        catch (JsonReaderException e)
        {
            throw new Core.Errors.AutomationException($"run record '{file}' is not valid JSON: {e.Message}", file, fix: "Re-run the command to write a fresh record.");
        }
    }
}
