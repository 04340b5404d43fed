namespace Automation.Core.Catalog;

/// <summary>What finding a script needs (alias, uid, tags, repository), without parsing the rest of its meta.</summary>
public sealed record ScriptEntry(string Alias, string Uid, IReadOnlyList<string> Tags, string Directory, string Repo = "")
{
    /// <summary>The name that reaches this script even when another repository's script shadows its alias.</summary>
    public string QualifiedName => Repo.Length == 0 ? Alias : Repo + ScriptCatalog.QualifierSeparator + Alias;
}
