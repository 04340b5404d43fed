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
    public bool IsCached => Script.Cache;
    public string Display => Script.Alias + string.Concat(Variations.Select(v => ",_" + v));
}

public sealed record PlanEdge(DepPhase Phase, DepSpec Spec, PlanNode Node);

/// <summary>A resolved DAG: the root and every node in execution order (dependencies first).</summary>
public sealed record Plan(PlanNode Root, IReadOnlyList<PlanNode> Nodes);
