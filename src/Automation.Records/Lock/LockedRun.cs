using Automation.Core.Execution;
using Automation.Core.Resolution;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Lock;

/// <summary>`cm run script --locked FILE` and `--lock FILE`: check a plan before and after it runs, write a lock after.</summary>
public static class LockedRun
{
    /// <summary>Before the run: throws with every difference when the plan is not the locked one; returns the lock (null without --locked).</summary>
    public static JObject? Check(string? lockPath, Plan plan, IStepCache cache)
    {
        if (lockPath is null) return null;
        var lockJson = PlanLock.Load(lockPath);
        var differences = PlanLock.Differences(lockJson, plan, n => KnownVersion(n, cache));
        if (differences.Count > 0) throw PlanLock.Mismatch(lockPath, differences, ran: false);
        return lockJson;
    }

    /// <summary>After the run: a detected tool version the plan could not know beforehand must match too.</summary>
    public static void CheckAfter(string? lockPath, JObject? lockJson, RunResult result)
    {
        if (lockPath is null || lockJson is null) return;
        var differences = PlanLock.VersionDifferences(lockJson, result.Steps);
        if (differences.Count > 0) throw PlanLock.Mismatch(lockPath, differences, ran: true);
    }

    public static void Write(string path, Plan plan, RunRequest request, RunResult result)
    {
        var versions = result.Steps.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.First().Outcome.Version, StringComparer.Ordinal);
        PlanLock.Save(PlanLock.Create(plan, request, n => versions.GetValueOrDefault(n.Key) ?? n.PlannedVersion), path);
    }

    /// <summary>What can be known without running: the planned version, or the version recorded in a valid cache entry.</summary>
    public static string? KnownVersion(PlanNode node, IStepCache cache) =>
        node.PlannedVersion ?? (node.IsCached ? cache.TryGet(node)?.Outcome.Version : null);
}
