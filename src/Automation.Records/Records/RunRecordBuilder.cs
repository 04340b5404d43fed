using System.Runtime.InteropServices;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Records;

/// <summary>Builds the cm-run-record.json document of one top-level run, succeeded or failed (docs/records.md).</summary>
public static class RunRecordBuilder
{
    public static JObject Build(string id, RunInvocation run, Plan? plan, IReadOnlyList<StepRecord> steps, RunResult? result, Exception? error,
        DateTimeOffset finished, string? resultsDir, Func<PlanNode, StepOutcome?>? cachedOutcome = null)
    {
        // Steps under a reused cache entry do not run; their recorded outcome still says what the run used.
        StepOutcome? OutcomeOf(PlanNode n) =>
            steps.FirstOrDefault(s => s.Key == n.Key && s.Uid == n.Script.Uid)?.Outcome ?? (n.IsCached ? cachedOutcome?.Invoke(n) : null);
        var request = run.Request;
        var record = new JObject
        {
            ["schema"] = RunRecord.Schema,
            ["id"] = id,
            ["cm"] = new JObject { ["version"] = run.CmVersion, ["binary"] = run.CmBinary },
            ["command"] = new JObject
            {
                ["argv"] = new JArray(run.Argv),
                ["cwd"] = run.CurrentDirectory,
                ["tags"] = new JArray(request.Tags),
                ["name"] = request.Name,
                ["inputs"] = Json.Map(request.Inputs),
                ["env_overrides"] = Json.Map(request.EnvOverrides),
                ["adr"] = new JObject(request.Adr.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new JProperty(a.Key, new JObject
                {
                    ["tags"] = new JArray(a.Value.Tags), ["env"] = Json.Map(a.Value.Env),
                    ["version"] = a.Value.Version, ["version_min"] = a.Value.VersionMin, ["version_max"] = a.Value.VersionMax,
                }))),
                ["version_constraint"] = request.Version.IsEmpty ? null : request.Version.ToString(),
                ["caller_env"] = Json.Map(request.CallerEnv),
                ["cache_dir"] = run.CacheDir,
            },
            ["started_utc"] = Json.Utc(run.Started),
            ["finished_utc"] = Json.Utc(finished),
            ["seconds"] = Math.Round((finished - run.Started).TotalSeconds, 3),
            ["status"] = error switch { null => "ok", OperationCanceledException => "cancelled", _ => "failed" },
            ["exit_code"] = ExitCode(error),
            ["error"] = error is null ? null : new JObject { ["type"] = error.GetType().Name, ["message"] = error.Message },
            ["results_dir"] = resultsDir,
            ["plan"] = plan is null ? null : PlanDocument.From(plan, n => OutcomeOf(n)?.Version ?? n.PlannedVersion),
            ["steps"] = new JArray(steps.Select(s => Step(s))),
            ["tools"] = new JArray(steps.Where(s => s.Outcome.Version is not null || s.Outcome.Evidence is not null).Select(Tool)),
            ["machine"] = Machine(steps),
            ["figures"] = result is null ? new JObject() : Json.Map(result.Root.Outcome.NewEnv),
            ["datasets"] = Fair(plan, OutcomeOf, "dataset"),
            ["models"] = Fair(plan, OutcomeOf, "model"),
            ["outputs"] = resultsDir is null ? new JArray() : FileDigest.Files(resultsDir, new HashSet<string>(RunRecord.OwnFiles, StringComparer.Ordinal)),
        };
        return record;
    }

    public static int ExitCode(Exception? error) => error switch
    {
        null => 0,
        AutomationException a => a.ExitCode,
        RunCancelledException c => c.ExitCode,
        OperationCanceledException => 130,
        _ => 70,
    };

    private static JObject Step(StepRecord s) => new()
    {
        ["script"] = s.Script,
        ["uid"] = s.Uid,
        ["variations"] = new JArray(s.Variations),
        ["key"] = s.Key,
        ["cached"] = s.Cached,
        ["from_cache"] = s.FromCache,
        ["version"] = s.Outcome.Version,
        ["started_utc"] = Json.Utc(s.Started),
        ["finished_utc"] = Json.Utc(s.Finished),
        ["seconds"] = Math.Round((s.Finished - s.Started).TotalSeconds, 3),
        ["dir"] = s.WorkDir,
        ["log"] = s.LogPath,
        // What a fresh build of the step occupies; a reused entry cost nothing this time.
        ["disk_bytes"] = s.Cached && !s.FromCache ? FileDigest.FolderBytes(s.WorkDir) : 0,
        ["new_env"] = Json.Map(s.Outcome.NewEnv),
        ["evidence"] = s.Outcome.Evidence?.DeepClone(),
    };

    private static JObject Tool(StepRecord s) => new()
    {
        ["script"] = s.Script,
        ["version"] = s.Outcome.Version,
        ["path"] = Json.Str(s.Outcome.Evidence?["chosen_path"]),
        ["evidence"] = s.Outcome.Evidence?.DeepClone(),
    };

    /// <summary>The machine as detect-os/detect-cpu (and GPU scripts, when the plan has them) exported it, plus the runtime's view.</summary>
    private static JObject Machine(IReadOnlyList<StepRecord> steps)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in steps)
            foreach (var (k, v) in s.Outcome.NewEnv)
                if (k.StartsWith("CM_HOST_", StringComparison.Ordinal) || k.StartsWith("CM_CUDA_", StringComparison.Ordinal) || k.StartsWith("CM_GPU_", StringComparison.Ordinal))
                    env[k] = v;
        return new JObject
        {
            ["host_env"] = Json.Map(env),
            ["os_description"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["processor_count"] = Environment.ProcessorCount,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        };
    }

    /// <summary>
    /// Datasets and models: plan nodes whose meta has a <c>fair</c> block (kind, name, url, license, files_env).
    /// The files named by <c>files_env</c> in the step's exports are hashed, so the record says exactly what was used.
    /// </summary>
    private static JArray Fair(Plan? plan, Func<PlanNode, StepOutcome?> outcomeOf, string kind)
    {
        var list = new JArray();
        if (plan is null) return list;
        foreach (var node in plan.Nodes)
        {
            if (node.Script.Raw["fair"] is not JObject fair || (string?)fair["kind"] != kind) continue;
            var outcome = outcomeOf(node);
            var entry = (JObject)fair.DeepClone();
            entry.Remove("files_env");
            entry["script"] = node.Script.Alias;
            entry["variations"] = new JArray(node.Variations);
            entry["version"] = outcome?.Version;
            var files = new JArray();
            foreach (var key in (fair["files_env"] as JArray ?? []).Select(t => (string?)t).OfType<string>())
                if (outcome is not null && outcome.NewEnv.TryGetValue(key, out var path)) files.Add(Hash(key, path));
            entry["files"] = files;
            list.Add(entry);
        }
        return list;
    }

    private const long HashLimitBytes = 2L << 30;

    private static JObject Hash(string key, string path)
    {
        if (File.Exists(path)) { var d = FileDigest.Describe(path, Path.GetFileName(path)); d["env"] = key; d["location"] = path; return d; }
        if (!Directory.Exists(path)) return new JObject { ["env"] = key, ["location"] = path, ["missing"] = true };
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var total = files.Sum(f => new FileInfo(f).Length);
        var o = new JObject { ["env"] = key, ["location"] = path, ["bytes"] = total };
        o["parts"] = total > HashLimitBytes
            ? null
            : new JArray(files.Select(f => FileDigest.Describe(f, Path.GetRelativePath(path, f).Replace('\\', '/'))));
        return o;
    }
}
