using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Backends.Slurm;

/// <summary>
/// The scheduler's view of one job or array task. <see cref="State"/> is normalized to PENDING, RUNNING, COMPLETED,
/// FAILED, CANCELLED or TIMEOUT; <see cref="RawState"/> keeps Slurm's word (NODE_FAIL, OUT_OF_MEMORY, ...).
/// </summary>
public sealed record SlurmJobState(long JobId, long? ArrayJobId, int? ArrayTaskId, string State, string RawState, int? ExitCode, string? Reason = null)
{
    public bool IsTerminal => State is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT";

    /// <summary>The id users see: <c>ARRAY_TASK</c> for array tasks, else the job id.</summary>
    public string DisplayId => ArrayJobId is { } a && ArrayTaskId is { } t ? $"{a}_{t}" : JobId.ToString(CultureInfo.InvariantCulture);

    public static string Normalize(string raw) => raw.ToUpperInvariant() switch
    {
        "PENDING" or "CONFIGURING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD" or "SUSPENDED" or "STOPPED" => "PENDING",
        "RUNNING" or "COMPLETING" or "RESIZING" or "SIGNALING" or "STAGE_OUT" => "RUNNING",
        "COMPLETED" => "COMPLETED",
        "CANCELLED" or "PREEMPTED" or "REVOKED" => "CANCELLED",
        "TIMEOUT" or "DEADLINE" => "TIMEOUT",
        _ => "FAILED", // FAILED, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, SPECIAL_EXIT
    };
}

/// <summary>A job state plus the array task ids a compressed pending entry stands for (squeue shows "0-7" as one row).</summary>
public sealed record SlurmSnapshot(IReadOnlyList<SlurmJobState> Jobs, IReadOnlyDictionary<long, IReadOnlySet<int>> PendingArrayTasks);

/// <summary>Parses the machine-readable outputs of <c>squeue --json</c> and <c>scontrol show job -o</c>.</summary>
public static class SlurmStateParser
{
    /// <summary>squeue --json, data_parser v0.0.38 (Slurm 22.05) and later (job_state as a list, exit_code as an object).</summary>
    public static SlurmSnapshot ParseSqueueJson(string json)
    {
        var root = JObject.Parse(json);
        var jobs = new List<SlurmJobState>();
        var pending = new Dictionary<long, HashSet<int>>();
        foreach (var job in (root["jobs"] as JArray ?? []).OfType<JObject>())
        {
            var raw = job["job_state"] switch
            {
                JArray a => a.Select(s => (string?)s).FirstOrDefault(s => !string.IsNullOrEmpty(s)) ?? "UNKNOWN",
                { } t => (string?)t ?? "UNKNOWN",
                _ => "UNKNOWN",
            };
            var arrayJob = Number(job["array_job_id"]);
            var task = Number(job["array_task_id"]);
            if (arrayJob is > 0 && task is null && (string?)job["array_task_string"] is { Length: > 0 } compressed)
            {
                AddRange(pending, arrayJob.Value, compressed);
                continue;
            }
            jobs.Add(new SlurmJobState(Number(job["job_id"]) ?? 0, arrayJob is > 0 ? arrayJob : null, task is null ? null : (int)task,
                SlurmJobState.Normalize(raw), raw, ExitCode(job["exit_code"]), (string?)job["state_reason"]));
        }
        return new SlurmSnapshot(jobs, pending.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<int>)kv.Value));
    }

    /// <summary><c>scontrol show job -o ID</c>: one line of key=value pairs per job or array task.</summary>
    public static SlurmSnapshot ParseScontrol(string text)
    {
        var jobs = new List<SlurmJobState>();
        var pending = new Dictionary<long, HashSet<int>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = token.IndexOf('=');
                if (eq > 0) fields.TryAdd(token[..eq], token[(eq + 1)..]);
            }
            if (!fields.TryGetValue("JobId", out var idText) || !long.TryParse(idText, CultureInfo.InvariantCulture, out var id)) continue;
            var raw = fields.GetValueOrDefault("JobState") ?? "UNKNOWN";
            long? arrayJob = fields.TryGetValue("ArrayJobId", out var a) && long.TryParse(a, CultureInfo.InvariantCulture, out var av) ? av : null;
            var taskText = fields.GetValueOrDefault("ArrayTaskId");
            int? task = int.TryParse(taskText, CultureInfo.InvariantCulture, out var tv) ? tv : null;
            if (arrayJob is not null && task is null && !string.IsNullOrEmpty(taskText))
            {
                AddRange(pending, arrayJob.Value, taskText);
                continue;
            }
            int? exit = fields.TryGetValue("ExitCode", out var e) && int.TryParse(e.Split(':')[0], CultureInfo.InvariantCulture, out var ev) ? ev : null;
            jobs.Add(new SlurmJobState(id, arrayJob, task, SlurmJobState.Normalize(raw), raw, exit, fields.GetValueOrDefault("Reason")));
        }
        return new SlurmSnapshot(jobs, pending.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<int>)kv.Value));
    }

    /// <summary>Expands Slurm's task lists: <c>0-3,7,9-11%2</c>.</summary>
    public static IEnumerable<int> TaskIds(string list)
    {
        foreach (var part in list.Split('%')[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var step = part.Split(':');
            var bounds = step[0].Split('-');
            var from = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var to = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : from;
            var by = step.Length > 1 ? int.Parse(step[1], CultureInfo.InvariantCulture) : 1;
            for (var i = from; i <= to; i += by) yield return i;
        }
    }

    /// <summary>The inverse: <c>[0,1,2,5]</c> → <c>0-2,5</c>.</summary>
    public static string Compress(IEnumerable<int> ids)
    {
        var parts = new List<string>();
        int? start = null, prev = null;
        foreach (var id in ids.Order())
        {
            if (prev is not null && id == prev + 1) { prev = id; continue; }
            if (start is not null) parts.Add(start == prev ? $"{start}" : $"{start}-{prev}");
            start = prev = id;
        }
        if (start is not null) parts.Add(start == prev ? $"{start}" : $"{start}-{prev}");
        return string.Join(',', parts);
    }

    private static void AddRange(Dictionary<long, HashSet<int>> pending, long arrayJob, string list)
    {
        if (!pending.TryGetValue(arrayJob, out var set)) pending[arrayJob] = set = [];
        try
        {
            set.UnionWith(TaskIds(list));
        }
        catch (FormatException)
        {
            // an unparsable list only means we cannot name the waiting tasks; they still count as not finished
        }
    }

    private static long? Number(JToken? token) => token switch
    {
        JValue { Type: JTokenType.Integer } v => (long)v,
        JObject o when o["set"] is JValue { Type: JTokenType.Boolean } s && !(bool)s => null,
        JObject o => Number(o["number"]),
        _ => null,
    };

    /// <summary>v0.0.38 reports the raw wait status (exit 3 → 768); later versions report {return_code, signal}.</summary>
    private static int? ExitCode(JToken? token) => token switch
    {
        JValue { Type: JTokenType.Integer } v => (int)(long)v is var w && (w & 0x7f) != 0 ? 128 + (w & 0x7f) : (w >> 8) & 0xff,
        JObject o => (int?)Number(o["return_code"]),
        _ => null,
    };
}
