using Automation.Core.Resolution;

namespace Automation.Core.Execution;

/// <summary>The executor's view of the cache: a validated lookup, and a locked build of one entry.</summary>
public interface IStepCache
{
    /// <summary>A valid entry for the node's key, or null (a stale entry is dropped on the way).</summary>
    CachedStep? TryGet(PlanNode node);

    /// <summary>Builds the entry under a per-key lock in <c>entryDir</c>; a failed build leaves no entry.</summary>
    Task<CachedStep> GetOrBuildAsync(PlanNode node, Func<string, CancellationToken, Task<StepOutcome>> build, CancellationToken cancellationToken);

    /// <summary>Committed entries whose tags match (CM's cache search for customize.py): path, tags, version, env.</summary>
    IReadOnlyList<Newtonsoft.Json.Linq.JObject> Search(IReadOnlyList<string> tags) => [];
}

public sealed record CachedStep(StepOutcome Outcome, string EntryDir, bool WasBuilt);
