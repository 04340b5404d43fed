using Newtonsoft.Json.Linq;

namespace Automation.Core.Execution;

/// <summary>What one script call produced: the env and state it exports, its version and detection evidence.</summary>
public sealed record StepOutcome(
    IReadOnlyDictionary<string, string> NewEnv,
    JObject NewState,
    string? Version = null,
    JObject? Evidence = null,
    IReadOnlyList<string>? ValidatePaths = null)
{
    public IReadOnlyList<string> PathsToValidate => ValidatePaths ?? [];
    /// <summary>Keys of the nearest cached entries this step was built on (recorded in its own entry).</summary>
    public IReadOnlyList<string> DepKeys { get; init; } = [];
    /// <summary>Tags a hook added to the entry (`add_extra_cache_tags`).</summary>
    public IReadOnlyList<string> ExtraCacheTags { get; init; } = [];
    /// <summary>customize.py's preprocess said `skip`: nothing ran, nothing is exported or cached.</summary>
    public bool Skipped { get; init; }
}

/// <summary>A step's outcome plus where it came from, for records and the `-j` output.</summary>
public sealed record StepRecord(
    string Script,
    string Uid,
    IReadOnlyList<string> Variations,
    string Key,
    bool Cached,
    bool FromCache,
    string? WorkDir,
    string? LogPath,
    StepOutcome Outcome,
    DateTimeOffset Started,
    DateTimeOffset Finished);
