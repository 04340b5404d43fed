using System.Diagnostics;
using Automation.Core.Catalog;
using Automation.Core.Execution;
using Automation.Core.Files;
using Automation.Core.Security;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>
/// One run started from the dashboard: one child `cm run script ... -j` per stage (a script run has one stage, the
/// submission workflow three), in its own folder. Its steps come from the children's step-event file, its log from
/// their stderr and the running steps' cm-run.log files; each stage's start and end is an event of its own.
/// </summary>
public sealed class DashboardRun
{
    public const string RecordFile = "run.json";
    public const string OutputFile = "cm-output.json";
    public const string LogFile = "run.log";
    public const string StepsFile = "steps.jsonl";
    public const string ResultsFolder = "results";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly JObject record;
    private readonly CancellationTokenSource cancel = new();
    private readonly Lock gate = new();
    private readonly Lock saveGate = new();
    private StreamWriter? logWriter;

    private DashboardRun(string dir, JObject record)
    {
        Dir = dir;
        this.record = record;
    }

    public string Id => (string)record["id"]!;
    public string Dir { get; }
    public RunEventLog Events { get; } = new();
    public Task Completion { get; private set; } = Task.CompletedTask;
    public string Status { get { lock (gate) return (string)record["status"]!; } }
    public bool IsActive => Status is "running" or "cancelling";

    public JObject Snapshot()
    {
        lock (gate) return (JObject)record.DeepClone();
    }

    /// <summary>The -j output of stage <paramref name="index"/> (0-based): cm-output.json for the first, cm-output-N.json for the others.</summary>
    public static string OutputName(int index) => index == 0 ? OutputFile : $"cm-output-{index + 1}.json";

    public static DashboardRun Start(string id, string runsDir, RunPlan plan, DashboardOptions options)
    {
        var dir = Path.Combine(runsDir, id);
        Directory.CreateDirectory(Path.Combine(dir, ResultsFolder));
        var first = plan.Stages[0].Spec;
        var record = first.ToJson();
        record.AddFirst(new JProperty("id", id));
        record["kind"] = plan.Kind;
        record["request"] = plan.Request;
        record["command"] = Command(options, first.Arguments(options.Workspace.CacheDir, dir));
        record["stages"] = new JArray(plan.Stages.Select(s => new JObject
        {
            ["name"] = s.Name, ["script"] = s.Spec.Script.Alias, ["status"] = "pending",
            ["command"] = Command(options, s.Spec.Arguments(options.Workspace.CacheDir, dir)),
        }));
        record["status"] = "running";
        record["started"] = DateTimeOffset.UtcNow.ToString("O");
        record["results_dir"] = first.ResultsFolder(dir);
        record["record_ids"] = new JArray();
        var run = new DashboardRun(dir, record);
        run.Save();
        run.logWriter = new StreamWriter(Path.Combine(dir, LogFile), append: true) { AutoFlush = true };
        run.Events.Add(new JObject { ["type"] = "status", ["status"] = "running" });
        run.Completion = Task.Run(() => run.SuperviseAsync(plan, options));
        return run;
    }

    private static JArray Command(DashboardOptions options, IEnumerable<string> args) =>
        new(new[] { options.Cm.FileName }.Concat(options.Cm.PrefixArgs).Concat(args));

    /// <summary>A finished run read back from its folder (after a restart of the dashboard).</summary>
    public static DashboardRun? Load(string dir)
    {
        JObject record;
        try { record = JObject.Parse(File.ReadAllText(Path.Combine(dir, RecordFile))); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
        if (record.Value<string>("id") != Path.GetFileName(dir)) return null;
        if (record.Value<string>("status") is "running" or "cancelling") record["status"] = "interrupted";
        var run = new DashboardRun(dir, record);
        foreach (var step in new FileTailer(Path.Combine(dir, StepsFile)).ReadNewLines(flushPartial: true)) run.AddStep(step);
        foreach (var line in new FileTailer(Path.Combine(dir, LogFile)).ReadNewLines(flushPartial: true))
            run.Events.Add(new JObject { ["type"] = "log", ["line"] = line });
        var index = 0;
        foreach (var stage in (record["stages"] as JArray ?? []).OfType<JObject>())
            run.Events.Add(new JObject { ["type"] = "stage", ["index"] = index++, ["name"] = stage["name"], ["script"] = stage["script"], ["status"] = stage["status"] });
        if (record["checker"] is JObject verdict) run.Events.Add(VerdictEvent(verdict));
        run.Events.Add(new JObject { ["type"] = "status", ["status"] = run.Status });
        run.Events.Complete();
        return run;
    }

    public bool Cancel()
    {
        lock (gate)
        {
            if ((string)record["status"]! != "running") return false;
            record["status"] = "cancelling";
        }
        Events.Add(new JObject { ["type"] = "status", ["status"] = "cancelling" });
        cancel.Cancel();
        return true;
    }

    private async Task SuperviseAsync(RunPlan plan, DashboardOptions options)
    {
        var steps = new FileTailer(Path.Combine(Dir, StepsFile));
        string? error = null;
        int? exitCode = null;
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            if (cancel.IsCancellationRequested || error is not null) { SetStage(i, "skipped", null, null); continue; }
            SetStage(i, "running", null, null);
            var (code, output, stageError) = await RunChildAsync(stage.Spec.Arguments(options.Workspace.CacheDir, Dir), OutputName(i), steps, options);
            exitCode = code;
            if ((string?)output?["record"] is { Length: > 0 } recordPath)
                lock (gate) ((JArray)record["record_ids"]!).Add(RecordId(recordPath));
            if (i == 0) lock (gate) { record["figures"] = output?["new_env"] as JObject ?? new JObject(); record["steps"] = output?["steps"] as JArray; }
            var ok = code == 0 && output is not null && !cancel.IsCancellationRequested;
            if (!ok) error = cancel.IsCancellationRequested ? "cancelled from the dashboard" : Prefix(plan, stage, stageError ?? $"cm exited with code {code}");
            SetStage(i, ok ? "succeeded" : cancel.IsCancellationRequested ? "cancelled" : "failed", code, ok ? null : stageError);
            if (stage.Verdict && !cancel.IsCancellationRequested && CheckerVerdict.From(output, code) is { } verdict)
            {
                lock (gate) record["checker"] = verdict;
                Events.Add(VerdictEvent(verdict));
            }
        }
        Finish(exitCode, error);
    }

    /// <summary>The record's id from the path cm printed: &lt;cache&gt;/.records/&lt;id&gt;.json or &lt;results&gt;/cm-run-record.json (then its "id").</summary>
    private static string RecordId(string path)
    {
        if (Path.GetFileName(path) != "cm-run-record.json") return Path.GetFileNameWithoutExtension(path);
        try { return (string?)JObject.Parse(File.ReadAllText(path))["id"] ?? ""; }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return ""; }
    }

    private static string Prefix(RunPlan plan, RunStage stage, string error) => plan.Stages.Count == 1 ? error : $"{stage.Name} ({stage.Spec.Script.Alias}): {error}";

    private static JObject VerdictEvent(JObject verdict)
    {
        var e = new JObject { ["type"] = "checker" };
        foreach (var p in verdict.Properties()) e[p.Name] = p.Value.DeepClone();
        return e;
    }

    private void SetStage(int index, string status, int? exitCode, string? error)
    {
        JObject stage;
        lock (gate)
        {
            stage = (JObject)((JArray)record["stages"]!)[index];
            stage["status"] = status;
            if (exitCode is not null) stage["exit_code"] = exitCode;
            if (error is not null) stage["error"] = error;
        }
        Save();
        Events.Add(new JObject { ["type"] = "stage", ["index"] = index, ["name"] = stage["name"], ["script"] = stage["script"], ["status"] = status });
    }

    private async Task<(int? ExitCode, JObject? Output, string? Error)> RunChildAsync(IReadOnlyList<string> args, string outputName, FileTailer steps, DashboardOptions options)
    {
        var psi = new ProcessStartInfo(options.Cm.FileName)
        {
            WorkingDirectory = options.Workspace.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in options.Cm.PrefixArgs.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment[JsonlStepEvents.Variable] = Path.Combine(Dir, StepsFile);
        // The child finds the workspace's own scripts/ and the registered repositories (CM_REPOS) itself; extra roots go
        // by CM_SCRIPT_PATH so it sees the scripts the form offered.
        psi.Environment["CM_SCRIPT_PATH"] = string.Join(Path.PathSeparator, options.Workspace.ScriptRoots.Where(r => r.Source == RootSource.ScriptPath).Select(r => r.Path));
        var stepLogs = new Dictionary<string, (string Script, FileTailer Tail)>(StringComparer.Ordinal);
        var errorsBefore = Events.Where("log").Count;
        try
        {
            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = PumpAsync(process.StandardError);
            var exited = process.WaitForExitAsync();
            using var killOnCancel = cancel.Token.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, Task.Delay(PollInterval));
                Poll(steps, stepLogs, final: false);
            }
            await Task.WhenAll(stdout, stderr);
            Poll(steps, stepLogs, final: true);
            await File.WriteAllTextAsync(Path.Combine(Dir, outputName), stdout.Result);
            JObject? output = null;
            try { output = JObject.Parse(stdout.Result); }
            catch (JsonException) { }
            return (process.ExitCode, output, ErrorParagraph(errorsBefore));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return (null, null, $"the dashboard could not run cm: {e.Message}");
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line) Log(line, null);
    }

    private void Poll(FileTailer steps, Dictionary<string, (string Script, FileTailer Tail)> stepLogs, bool final)
    {
        foreach (var line in steps.ReadNewLines(final))
        {
            var step = AddStep(line);
            var dir = step?.Value<string>("dir");
            if (step is null || dir is null) continue;
            if ((string?)step["event"] == "started") stepLogs[dir] = (step.Value<string>("script") ?? "", new FileTailer(Path.Combine(dir, StepRunner.LogName)));
            else if (stepLogs.Remove(dir, out var done)) Drain(done.Script, done.Tail, flush: true);
        }
        foreach (var (script, tail) in stepLogs.Values) Drain(script, tail, final);
    }

    private void Drain(string script, FileTailer tail, bool flush)
    {
        foreach (var line in tail.ReadNewLines(flush)) Log(line, script);
    }

    private JObject? AddStep(string line)
    {
        JObject step;
        try { step = JObject.Parse(line); }
        catch (JsonException) { return null; }
        // A LoadGen run's progress (scenario, elapsed / min duration, queries, samples/s) is an event of its own.
        var e = new JObject { ["type"] = (string?)step["event"] == "progress" ? "progress" : "step" };
        foreach (var p in step.Properties()) e[p.Name] = p.Value;
        Events.Add(e);
        return step;
    }

    private void Log(string line, string? step)
    {
        var e = new JObject { ["type"] = "log", ["line"] = line };
        if (step is not null) e["step"] = step;
        Events.Add(e);
        lock (gate) logWriter?.WriteLine(step is null ? line : $"[{step}] {line}");
    }

    /// <summary>cm prints one "error: ..." paragraph on failure; the last one since the stage began is its error.</summary>
    private string? ErrorParagraph(int skip) =>
        Events.Where("log").Skip(skip).Select(e => (string?)e["line"]).LastOrDefault(l => l is not null && l.StartsWith("error: ", StringComparison.Ordinal))?["error: ".Length..];

    private void Finish(int? exitCode, string? error)
    {
        lock (gate)
        {
            var cancelled = cancel.IsCancellationRequested;
            record["status"] = cancelled ? "cancelled" : error is null ? "succeeded" : "failed";
            record["exit_code"] = exitCode;
            record["finished"] = DateTimeOffset.UtcNow.ToString("O");
            record["duration_s"] = Math.Round((DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)record["started"]!, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds, 3);
            record["error"] = cancelled ? "cancelled from the dashboard" : error;
            record["figures"] ??= new JObject();
            logWriter?.Dispose();
            logWriter = null;
        }
        Save();
        Events.Add(new JObject { ["type"] = "status", ["status"] = Status, ["exit_code"] = exitCode });
        Events.Complete();
    }

    private void Save()
    {
        // One writer at a time, each with the record as it is then: a stage's save never lands after the final one.
        lock (saveGate)
        {
            string text;
            lock (gate) text = record.ToString(Formatting.Indented);
            AtomicFile.WriteAllText(Path.Combine(Dir, RecordFile), UrlCredentials.Redact(text));
        }
    }
}
