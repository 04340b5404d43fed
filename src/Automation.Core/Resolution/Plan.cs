using Automation.Core.Meta;
using Automation.Core.Versioning;

namespace Automation.Core.Resolution;

/// <summary>What a user asked `cm run script` for, already parsed from the command line.</summary>
public sealed record RunRequest
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>A script alias or uid instead of tags (`cm run script detect-os`).</summary>
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string> EnvOverrides { get; init; } = ScriptMeta.Empty;
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = ScriptMeta.Empty;
    public VersionConstraint Version { get; init; } = VersionConstraint.None;
    public IReadOnlyDictionary<string, DepOverride> Adr { get; init; } = new Dictionary<string, DepOverride>();
    /// <summary>The caller's CM env (CM_* variables of the calling process).</summary>
    public IReadOnlyDictionary<string, string> CallerEnv { get; init; } = ScriptMeta.Empty;
}

/// <summary>One script call in a plan. Shared by every parent that needs the same script, variations and inputs.</summary>
public sealed record PlanNode
{
    public required string Id { get; init; }
    public required ScriptMeta Script { get; init; }
    public required IReadOnlyList<string> Variations { get; init; }
    /// <summary>The env the script starts from, before its deps' exports are merged in.</summary>
    public required IReadOnlyDictionary<string, string> Env { get; init; }
    public required VersionConstraint Version { get; init; }
    /// <summary>The version picked from `versions`/`default_version` when the script installs rather than detects.</summary>
    public string? PlannedVersion { get; init; }
    public required IReadOnlyList<PlanEdge> Deps { get; init; }
    /// <summary>The cache key when the script is cached, else the node's identity hash.</summary>
    public required string Key { get; init; }
    public required IReadOnlyDictionary<string, string> KeyInputs { get; init; }
    /// <summary>Cached because a caller asked (`force_cache`) and the script allows it (`can_force_cache`).</summary>
    public bool ForcedCache { get; init; }
    /// <summary>A caller's `extra_cache_tags`, added to the entry's tags.</summary>
    public IReadOnlyList<string> ExtraCacheTags { get; init; } = [];
    /// <summary>The customize.py hooks this call runs (predeps, preprocess, postprocess, detect_version), in order.</summary>
    public IReadOnlyList<string> Hooks { get; init; } = [];
    public bool IsCached => Script.Cache || ForcedCache;
    public string Display => Script.Alias + string.Concat(Variations.Select(v => ",_" + v));
}

/// <param name="DecidedAtRunTime">For a predicted plan: why the dep's condition or tags cannot be known before the run
/// (the env keys a script or customize.py sets first); null when the prediction is certain.</param>
/// <param name="Skipped">A predicted dep that the known env skips, shown because the run may decide otherwise.</param>
public sealed record PlanEdge(DepPhase Phase, DepSpec Spec, PlanNode Node, string? DecidedAtRunTime = null, bool Skipped = false);

/// <summary>A resolved DAG: the root and every node in execution order (dependencies first).</summary>
public sealed record Plan(PlanNode Root, IReadOnlyList<PlanNode> Nodes)
{
    /// <summary>What a prediction could not settle (possible cycles, deps it could not look up before the run).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
