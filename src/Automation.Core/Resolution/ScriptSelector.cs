using Automation.Core.Catalog;
using Automation.Core.Meta;

namespace Automation.Core.Resolution;

/// <summary>Asks which of several equally good scripts to use (CM asks on a terminal; quiet runs take the first).</summary>
public interface IScriptChooser
{
    /// <summary>The index of the chosen candidate; candidates are already in CM's order.</summary>
    int Choose(string tags, IReadOnlyList<ScriptMeta> candidates);
}

/// <summary>CM's choice without a terminal or with --quiet: the first candidate in order.</summary>
public sealed class FirstCandidate : IScriptChooser
{
    public static FirstCandidate Instance { get; } = new();
    public int Choose(string tags, IReadOnlyList<ScriptMeta> candidates) => 0;
}

/// <summary>
/// Picks the script for a tag query as CM/MLC do: scripts having every tag, less those that do not define each
/// requested variation, ordered by the meta's <c>sort</c> value then path, a registered library's script before one we
/// ship; one candidate wins outright, several go to the chooser. The choice is remembered for the rest of the run,
/// as CM does, so a user is never asked twice.
/// </summary>
public sealed class ScriptSelector(ScriptCatalog catalog, IScriptChooser? chooser = null)
{
    private readonly IScriptChooser chooser = chooser ?? FirstCandidate.Instance;
    private readonly Dictionary<string, ScriptMeta> remembered = new(StringComparer.Ordinal);

    public ScriptCatalog Catalog => catalog;

    public ScriptMeta Select(TagQuery query, string requestedBy)
    {
        if (query.Required.Count == 0)
            throw new UnknownTagsException($"no script tags were given (asked by {requestedBy})", "Give tags such as --tags=get,python3 or a script alias; `cm find script` lists them.");
        var candidates = Candidates(query, requestedBy);
        if (candidates.Count == 1) return candidates[0];
        var memo = string.Join(',', query.Required.Order(StringComparer.Ordinal)) + "|" + string.Join(',', query.Excluded.Order(StringComparer.Ordinal));
        if (remembered.TryGetValue(memo, out var earlier) && candidates.Contains(earlier)) return earlier;
        var index = chooser.Choose(query.ToString(), candidates);
        if (index < 0 || index >= candidates.Count)
            throw new AmbiguousScriptException($"no script was chosen for tags '{query}' (asked by {requestedBy})", "Pick one of the listed scripts, or run with --quiet to take the first.");
        return remembered[memo] = candidates[index];
    }

    /// <summary>Every script that could serve the query, in CM's order (the first is what a quiet run takes).</summary>
    public IReadOnlyList<ScriptMeta> Candidates(TagQuery query, string requestedBy)
    {
        var matches = catalog.Find(query);
        if (matches.Count == 0) throw UnknownTags(query, requestedBy);
        var wanted = query.Variations.Concat(query.ExcludedVariations).ToList();
        var defining = matches.Where(m => wanted.All(v => DefinesVariation(m, v))).ToList();
        if (defining.Count == 0) throw NoVariation(query, requestedBy, matches, wanted);
        return defining.OrderBy(m => m.Repo == ScriptRoot.BuiltinRepo ? 1 : 0).ThenBy(m => m.Sort).ThenBy(m => m.Directory, StringComparer.Ordinal).ToList();
    }

    /// <summary>A variation name the script defines, directly, as an alias, or through a `name.#` wildcard.</summary>
    public static bool DefinesVariation(ScriptMeta script, string name)
    {
        if (script.Variations.ContainsKey(name)) return true;
        foreach (var key in script.Variations.Keys)
            if (key.EndsWith(".#", StringComparison.Ordinal) && name.Length > key.Length - 1 && name.StartsWith(key[..^1], StringComparison.Ordinal))
                return true;
        return false;
    }

    private UnknownTagsException UnknownTags(TagQuery query, string requestedBy)
    {
        var entries = catalog.Entries;
        var allTags = entries.SelectMany(s => s.Tags).ToHashSet(StringComparer.Ordinal);
        var missing = query.Required.Where(t => !allTags.Contains(t)).ToList();
        var hints = missing.Select(t => (t, near: Suggest.Nearest(t, allTags.Concat(entries.Select(s => s.Alias))))).Where(x => x.near is not null).Select(x => $"'{x.t}' → '{x.near}'").ToList();
        var what = missing.Count > 0 ? $"no script has the tag{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}" : $"no script has all of the tags '{query}'";
        return new UnknownTagsException($"{what} (asked by {requestedBy})",
            (hints.Count > 0 ? $"Did you mean {string.Join(", ", hints)}? " : "") + "Run `cm find script` to list scripts and their tags, or register a script repository with `cm pull repo`.");
    }

    private static UnknownVariationException NoVariation(TagQuery query, string requestedBy, IReadOnlyList<ScriptMeta> matches, IReadOnlyList<string> wanted)
    {
        var first = matches[0];
        var lacking = wanted.Where(v => !DefinesVariation(first, v)).Select(v => "_" + v).ToList();
        var near = lacking.Count > 0 ? Suggest.Nearest(lacking[0][1..], first.Variations.Keys) : null;
        var valid = first.Variations.Keys.Where(k => !k.Contains(',')).Order(StringComparer.Ordinal).Select(k => "_" + k).ToList();
        return new UnknownVariationException(
            $"tags '{string.Join(',', query.Required)}' (asked by {requestedBy}) match {string.Join(", ", matches.Select(m => $"'{m.Alias}'"))}, but none defines the variation{(lacking.Count > 1 ? "s" : "")} {string.Join(", ", lacking)}",
            first.MetaFile, first.Alias,
            (near is null ? "" : $"Did you mean '_{near}'? ") + (valid.Count == 0 ? $"'{first.Alias}' has no variations." : $"Variations of '{first.Alias}': {string.Join(", ", valid)}."));
    }
}
