namespace Automation.Core.Resolution;

/// <summary>
/// The bound on nested script calls (deps of deps, customize.py's nested runs) that the prediction and the run share.
/// A call that repeats exactly is a cycle and is caught as one; a chain that calls a script again with an env that
/// changes each time never repeats, and without a bound it would recurse until the process's stack overflowed.
/// </summary>
public static class CallChain
{
    /// <summary>Far beyond any real library: the MLPerf inference plans nest about 10 calls deep.</summary>
    public const int MaxDepth = 100;

    /// <summary>Throws when one more call below <paramref name="stack"/> (outermost first) would pass <see cref="MaxDepth"/>.</summary>
    public static void CheckDepth(IReadOnlyList<(string Id, string Display, string File, string Alias)> stack, string next)
    {
        if (stack.Count < MaxDepth) return;
        var names = stack.Select(s => s.Display).Append(next).ToList();
        var shown = names.Count <= 12 ? names : [.. names.Take(4), $"... ({names.Count - 10} more)", .. names.TakeLast(6)];
        var repeated = stack.GroupBy(s => s.Alias, StringComparer.Ordinal).Where(g => g.Count() > 1).OrderByDescending(g => g.Count())
            .Take(3).Select(g => $"'{g.Key}' {g.Count()} times").ToList();
        throw new DependencyDepthException(
            $"dependency chain deeper than {MaxDepth} calls: {string.Join(" -> ", shown)}" +
            (repeated.Count > 0 ? $"; on the way {string.Join(", ", repeated)}, each time with a different env, so no call repeats exactly and the chain never ends" : ""),
            stack[^1].File, stack[^1].Alias,
            "Guard the dep that calls back (skip_if_env/enable_if_env) so the chain ends, or remove it.");
    }
}
