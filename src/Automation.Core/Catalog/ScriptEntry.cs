namespace Automation.Core.Catalog;

/// <summary>What finding a script needs (alias, uid, tags), without parsing the rest of its meta.</summary>
public sealed record ScriptEntry(string Alias, string Uid, IReadOnlyList<string> Tags, string Directory);
