using Automation.Core.Resolution;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>Optional observer of a run's steps as they happen (the dashboard shows them live).</summary>
public interface IStepEvents
{
    void Started(PlanNode node, string workDir);
    void Finished(StepRecord record);
    void Failed(PlanNode node, Exception error);
}

/// <summary>
/// Appends one JSON object per event to a file, flushed at once, so another process can tail it.
/// Enabled by the AUTOMATION_STEP_EVENTS variable (not CM_*: the caller's CM env is part of the plan).
/// </summary>
public sealed class JsonlStepEvents(string path) : IStepEvents
{
    public const string Variable = "AUTOMATION_STEP_EVENTS";
    private readonly Lock gate = new();

    public static JsonlStepEvents? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } file ? new JsonlStepEvents(Path.GetFullPath(file)) : null;

    public void Started(PlanNode node, string workDir) =>
        Write(new JObject { ["event"] = "started", ["script"] = node.Script.Alias, ["variations"] = new JArray(node.Variations), ["cached"] = node.IsCached, ["dir"] = workDir });

    public void Finished(StepRecord record) =>
        Write(new JObject
        {
            ["event"] = "finished", ["script"] = record.Script, ["variations"] = new JArray(record.Variations), ["cached"] = record.Cached,
            ["from_cache"] = record.FromCache, ["dir"] = record.WorkDir, ["log"] = record.LogPath,
        });

    public void Failed(PlanNode node, Exception error) =>
        Write(new JObject { ["event"] = "failed", ["script"] = node.Script.Alias, ["variations"] = new JArray(node.Variations), ["error"] = error.Message });

    /// <summary>Appends one event (with its time); also used for events of a step's own, such as a LoadGen run's progress.</summary>
    public void Write(JObject line)
    {
        line["utc"] = DateTimeOffset.UtcNow.ToString("O");
        var text = line.ToString(Formatting.None) + "\n";
        lock (gate)
        {
            try { File.AppendAllText(path, text); }
            catch (IOException) { } // progress is advisory: a full disk or a removed folder must not fail the run
            catch (UnauthorizedAccessException) { }
        }
    }
}
