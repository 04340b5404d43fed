using System.Globalization;
using Automation.Core.Files;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Results;

/// <summary>Per-point outcome: ok, failed (non-zero exit or unreadable output), cancelled, timeout, or pending (never ran).</summary>
public static class PointStatus
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Timeout = "timeout";
    public const string Pending = "pending";
}

/// <summary>
/// What one point produced. Written as <c>point.json</c> in the point's folder by whoever ran it (local backend,
/// Slurm array task, Kubernetes pod), so the table can be rebuilt from the folders alone.
/// </summary>
public sealed record PointRecord
{
    public const string FileName = "point.json";

    public required SweepPoint Point { get; init; }
    public required string Dir { get; init; }
    public required string Status { get; init; }
    public int? ExitCode { get; init; }
    public double? DurationSeconds { get; init; }
    public DateTime? StartedUtc { get; init; }
    public string Backend { get; init; } = "local";
    public string? JobId { get; init; }
    /// <summary>The scheduler's own state for the point's job (Slurm: COMPLETED, FAILED, ...), when it ran under one.</summary>
    public string? SchedulerState { get; init; }
    /// <summary>Key figures: the `new_env` of the point's `cm run script -j` output.</summary>
    public IReadOnlyDictionary<string, string> Figures { get; init; } = new Dictionary<string, string>();
    public string Command { get; init; } = "";
    public string? Log { get; init; }
    public string? Error { get; init; }
    /// <summary>True when this run skipped the point because an earlier run finished it.</summary>
    public bool Reused { get; init; }

    public JObject ToJson() => new()
    {
        ["point_hash"] = Point.Hash,
        ["point_index"] = Point.Index,
        ["params"] = new JObject(Point.Parameters.Select(p => new JProperty(p.Key, p.Value))),
        ["status"] = Status,
        ["exit_code"] = ExitCode,
        ["duration_s"] = DurationSeconds,
        ["started_utc"] = StartedUtc?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["backend"] = Backend,
        ["job_id"] = JobId,
        ["scheduler_state"] = SchedulerState,
        ["reused"] = Reused,
        ["point_dir"] = Dir,
        ["figures"] = new JObject(Figures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new JProperty(f.Key, f.Value))),
        ["command"] = Command,
        ["log"] = Log,
        ["error"] = Error,
    };

    public static PointRecord FromJson(JObject o) => new()
    {
        Point = new SweepPoint((int)o["point_index"]!, ((JObject)o["params"]!).Properties().Select(p => new KeyValuePair<string, string>(p.Name, (string)p.Value!)).ToList(), (string)o["point_hash"]!),
        Dir = (string)o["point_dir"]!,
        Status = (string)o["status"]!,
        ExitCode = (int?)o["exit_code"],
        DurationSeconds = (double?)o["duration_s"],
        StartedUtc = o["started_utc"] switch
        {
            JValue { Type: JTokenType.Date } d => ((DateTime)d).ToUniversalTime(),
            JValue { Type: JTokenType.String } t => DateTime.Parse((string)t!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => null,
        },
        Backend = (string?)o["backend"] ?? "local",
        JobId = (string?)o["job_id"],
        SchedulerState = (string?)o["scheduler_state"],
        Figures = o["figures"] is JObject f ? f.Properties().ToDictionary(p => p.Name, p => (string?)p.Value ?? "", StringComparer.Ordinal) : new Dictionary<string, string>(),
        Command = (string?)o["command"] ?? "",
        Log = (string?)o["log"],
        Error = (string?)o["error"],
    };

    /// <summary>The record an earlier run left in <paramref name="dir"/>, or null when there is none or it is unreadable.</summary>
    public static PointRecord? TryLoad(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return FromJson(JObject.Parse(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or ArgumentException or NullReferenceException or FormatException or IOException)
        {
            return null; // a torn or foreign file means "not done": the point runs again
        }
    }

    /// <summary>Writes point.json atomically (temp file + rename), so readers never see half a record.</summary>
    public void Save()
    {
        Directory.CreateDirectory(Dir);
        var path = Path.Combine(Dir, FileName);
        AtomicFile.WriteAllText(path, ToJson().ToString(Formatting.Indented) + "\n");
    }
}
