namespace Automation.Core.Catalog;

/// <summary>
/// A tag query as CM users write it: "get,python3,_cuda,-virtual" or "get python3 _cuda".
/// Plain tags must all be present, "-tag" must be absent, "_x" picks variation x and "_-x" excludes it.
/// </summary>
public sealed record TagQuery(
    IReadOnlyList<string> Required,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Variations,
    IReadOnlyList<string> ExcludedVariations)
{
    public static TagQuery Parse(string text) => FromTags(Split(text));

    public static IReadOnlyList<string> Split(string text) =>
        text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static TagQuery FromTags(IEnumerable<string> tags)
    {
        List<string> required = [], excluded = [], variations = [], excludedVariations = [];
        foreach (var tag in tags)
        {
            if (tag.StartsWith("_-", StringComparison.Ordinal)) excludedVariations.Add(tag[2..]);
            else if (tag.StartsWith('_')) variations.Add(tag[1..]);
            else if (tag.StartsWith('-')) excluded.Add(tag[1..]);
            else required.Add(tag);
        }
        return new TagQuery(required, excluded, variations, excludedVariations);
    }

    public bool IsEmpty => Required.Count == 0 && Excluded.Count == 0;

    public bool Matches(IReadOnlyCollection<string> scriptTags) =>
        Required.All(scriptTags.Contains) && !Excluded.Any(scriptTags.Contains);

    public override string ToString() =>
        string.Join(',', Required.Concat(Excluded.Select(t => "-" + t)).Concat(Variations.Select(v => "_" + v)).Concat(ExcludedVariations.Select(v => "_-" + v)));
}
