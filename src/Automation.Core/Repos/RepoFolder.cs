using Automation.Core.Catalog;

namespace Automation.Core.Repos;

/// <summary>How a repository root was recognised: CM's `cmr.yaml`, MLC's `meta.yaml`, or a plain folder of script folders.</summary>
public enum RepoKind { Cm, Mlc, Plain }

/// <summary>
/// A script repository on disk: its alias (from the repo meta, else the folder name), where its scripts are, and
/// the env prefix its scripts expect (`CM_` for CM repos, `MLC_` for MLC repos, by meta format for plain folders).
/// </summary>
public sealed record RepoFolder(string Path, string Alias, string? Uid, RepoKind Kind, string ScriptsPath, string? EnvPrefix, string? MetaFile, string? Prefix)
{
    public ScriptRoot ToRoot(RootSource source) => new(ScriptsPath, Alias, EnvPrefix, source, Path, Prefix);

    public string KindName => Kind switch { RepoKind.Cm => "cm", RepoKind.Mlc => "mlc", _ => "plain" };
}
