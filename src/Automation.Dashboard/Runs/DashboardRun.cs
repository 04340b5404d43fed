using System.Diagnostics;
using Automation.Core.Catalog;
using Automation.Core.Execution;
using Automation.Core.Files;
using Automation.Core.Security;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>
/// One run started from the dashboard: a child `cm run script ... -j` in its own folder. Its steps come from the
/// child's step-event file, its log from the child's stderr and the running steps' cm-run.log files.
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
    private StreamWriter? logWriter;

    private DashboardRun(string dir, JObject record)
    {
        Dir = dir;
        this.record = record;
    }

    public string Id => (string)record["id"]!;
    public string Dir { get; }
    public string ResultsDir => Path.Combine(Dir, ResultsFolder);
    public RunEventLog Events { get; } = new();
    public Task Completion { get; private set; } = Task.CompletedTask;
    public string Status { get { lock (gate) return (string)record["status"]!; } }
    public bool IsActive => Status is "running" or "cancelling";

    public JObject Snapshot()
    {
        lock (gate) return (JObject)record.DeepClone();
    }

    public static DashboardRun Start(string id, string runsDir, ValidatedRun spec, DashboardOptions options)
    {
        var dir = Path.Combine(runsDir, id);
        Directory.CreateDirectory(Path.Combine(dir, ResultsFolder));
        var args = spec.Arguments(options.Workspace.CacheDir, Path.Combine(dir, ResultsFolder));
        var record = spec.ToJson();
        record.AddFirst(new JProperty("id", id));
        record["command"] = new JArray(new[] { options.Cm.FileName }.Concat(options.Cm.PrefixArgs).Concat(args));
        record["status"] = "running";
        record["started"] = DateTimeOffset.UtcNow.ToString("O");
        record["results_dir"] = spec.HasResultsDir ? Path.Combine(dir, ResultsFolder) : null;
        var run = new DashboardRun(dir, record);
        run.Save();
        run.logWriter = new StreamWriter(Path.Combine(dir, LogFile), append: true) { AutoFlush = true };
        var psi = new ProcessStartInfo(options.Cm.FileName)
        {
            WorkingDirectory = options.Workspace.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in options.Cm.PrefixArgs.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment[JsonlStepEvents.Variable] = Path.Combine(dir, StepsFile);
        // The child finds the workspace's own scripts/ and the registered repositories (CM_REPOS) itself; extra roots go
        // by CM_SCRIPT_PATH so it sees the scripts the form offered.
        psi.Environment["CM_SCRIPT_PATH"] = string.Join(Path.PathSeparator, options.Workspace.ScriptRoots.Where(r => r.Source == RootSource.ScriptPath).Select(r => r.Path));
        run.Events.Add(new JObject { ["type"] = "status", ["status"] = "running" });
        run.Completion = Task.Run(() => run.SuperviseAsync(psi));
        return run;
    }

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

    private async Task SuperviseAsync(ProcessStartInfo psi)
    {
        int? exitCode = null;
        string? error = null;
        var stepLogs = new Dictionary<string, (string Script, FileTailer Tail)>(StringComparer.Ordinal);
        var steps = new FileTailer(Path.Combine(Dir, StepsFile));
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
            exitCode = process.ExitCode;
            await File.WriteAllTextAsync(Path.Combine(Dir, OutputFile), stdout.Result);
            error = ErrorParagraph();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            error = $"the dashboard could not run cm: {e.Message}";
        }
        Finish(exitCode, error);
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
        var e = new JObject { ["type"] = "step" };
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

    /// <summary>cm prints one "error: ..." paragraph on failure; the last one is the run's error.</summary>
    private string? ErrorParagraph() =>
        Events.Where("log").Select(e => (string?)e["line"]).LastOrDefault(l => l is not null && l.StartsWith("error: ", StringComparison.Ordinal))?["error: ".Length..];

    private void Finish(int? exitCode, string? error)
    {
        JObject? output = null;
        try { output = JObject.Parse(File.ReadAllText(Path.Combine(Dir, OutputFile))); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { }
        lock (gate)
        {
            var cancelled = cancel.IsCancellationRequested;
            record["status"] = cancelled ? "cancelled" : exitCode == 0 && output is not null ? "succeeded" : "failed";
            record["exit_code"] = exitCode;
            record["finished"] = DateTimeOffset.UtcNow.ToString("O");
            record["duration_s"] = Math.Round((DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)record["started"]!, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds, 3);
            record["error"] = cancelled ? "cancelled from the dashboard" : error;
            record["figures"] = output?["new_env"] as JObject ?? new JObject();
            record["steps"] = output?["steps"] as JArray;
            logWriter?.Dispose();
            logWriter = null;
        }
        Save();
        Events.Add(new JObject { ["type"] = "status", ["status"] = Status, ["exit_code"] = exitCode });
        Events.Complete();
    }

    private void Save()
    {
        string text;
        lock (gate) text = record.ToString(Formatting.Indented);
        AtomicFile.WriteAllText(Path.Combine(Dir, RecordFile), UrlCredentials.Redact(text));
    }
}
