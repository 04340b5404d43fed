namespace Automation.Core.Caching;

public enum CacheProblemKind
{
    /// <summary>A declared validate path or a dependency entry is gone (or a dependency is itself invalid).</summary>
    Stale,
    /// <summary>entry.json cannot be read or parsed; lookups treat the entry as absent.</summary>
    Corrupt,
    /// <summary>A file of the entry, its file manifest, or its entry.json changed after the commit (a SHA-256 differs).</summary>
    Modified,
    /// <summary>A folder without entry.json and no build holding its lock: an aborted build.</summary>
    Orphan,
    /// <summary>The index lists a key with no committed entry.</summary>
    IndexWithoutEntry,
    /// <summary>A committed entry the index does not list, so <c>List</c> cannot see it.</summary>
    MissingFromIndex,
}

public sealed record CacheProblem(string Key, CacheProblemKind Kind, string Detail);

/// <param name="Checked">Entry folders with an entry.json.</param>
/// <param name="Repaired">True when problems were fixed: bad entries and orphans removed, index rebuilt.</param>
public sealed record CacheVerifyReport(int Checked, int Valid, IReadOnlyList<CacheProblem> Problems, bool Repaired)
{
    public bool IsHealthy => Problems.Count == 0;
}
