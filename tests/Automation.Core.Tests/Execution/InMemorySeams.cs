using Automation.Core.Execution;
using Automation.Core.Resolution;
using Automation.Core.World;

namespace Automation.Core.Tests.Execution;

// The executor's cache and step-folder seams in memory, shared by InMemoryEngine and the Reliability suite's run of
// every shipped script (linked there), so that both test the engine over the same stand-ins.

/// <summary>The cache seam as a dictionary: a build runs in /cache/KEY and commits only when it returns.</summary>
public sealed class MemoryStepCache : IStepCache
{
    public Dictionary<string, (StepOutcome Outcome, string Dir)> Entries { get; } = new(StringComparer.Ordinal);

    public CachedStep? TryGet(PlanNode node) =>
        Entries.TryGetValue(node.Key, out var e) ? new CachedStep(e.Outcome, e.Dir, WasBuilt: false) : null;

    public async Task<CachedStep> GetOrBuildAsync(PlanNode node, Func<string, CancellationToken, Task<StepOutcome>> build, CancellationToken cancellationToken)
    {
        if (TryGet(node) is { } hit) return hit;
        var dir = "/cache/" + node.Key;
        var outcome = await build(dir, cancellationToken);
        Entries[node.Key] = (outcome, dir);
        return new CachedStep(outcome, dir, WasBuilt: true);
    }
}

/// <summary>Step folders in an in-memory file system; a failed step's log is kept by copying it.</summary>
public sealed class MemoryStepFolders(InMemoryFileSystem files) : IStepFolders
{
    public string ForStep(string workRoot, string stepName)
    {
        var dir = Path.Combine(workRoot, stepName);
        files.CreateDirectory(dir);
        return dir;
    }

    public string FailedLogPath(string workRoot, string stepName, DateTimeOffset now) => Path.Combine(workRoot, "failed", stepName + ".log");

    public void KeepFailedLog(string logPath, string keptPath)
    {
        files.CreateDirectory(Path.GetDirectoryName(keptPath)!);
        files.CopyFile(logPath, keptPath, overwrite: true);
    }
}
