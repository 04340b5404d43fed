using System.Text;
using Automation.Core.Meta;

namespace Automation.Cli.Rendering;

/// <summary>
/// `cm run script --tags=... --help`: what this script takes, not the command's generic options: its inputs (with
/// their descriptions and defaults), its variations by group with the defaults marked, and the env keys it reads.
/// </summary>
public static class ScriptHelp
{
    /// <summary>A run with tags or a name and --help/-h: help for the script rather than for the command.</summary>
    public static bool Wanted(IReadOnlyList<string> args) =>
        args.Count >= 2 && args[0] == "run" && args[1] == "script" && args.Any(a => a is "--help" or "-h" or "-?")
        && args.Skip(2).Any(a => a.StartsWith("--tags=", StringComparison.Ordinal) || !a.StartsWith('-'));

    public static string Render(ScriptMeta meta)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{meta.Alias} ({meta.Uid}): {meta.MetaFile}");
        sb.AppendLine($"  tags: {string.Join(',', meta.Tags)}");
        sb.AppendLine($"  run:  cm run script --tags={string.Join(',', meta.Tags.Take(4))}[,_VARIATION...] [--INPUT=VALUE ...] [--env.KEY=VALUE ...]");
        Inputs(sb, meta);
        Variations(sb, meta);
        EnvKeys(sb, meta);
        return sb.ToString();
    }

    private static void Inputs(StringBuilder sb, ScriptMeta meta)
    {
        sb.AppendLine();
        sb.AppendLine(meta.InputMapping.Count == 0 ? "Inputs: none (use --env.KEY=VALUE)" : "Inputs:");
        var width = meta.InputMapping.Keys.DefaultIfEmpty("").Max(k => k.Length) + 2;
        foreach (var (input, key) in meta.InputMapping.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var description = meta.InputDescription?[input];
            var desc = description?.Type == Newtonsoft.Json.Linq.JTokenType.Object ? (string?)description["desc"] : description?.ToString();
            var fallback = meta.DefaultEnv.GetValueOrDefault(key) ?? meta.Env.GetValueOrDefault(key);
            sb.AppendLine($"  --{input.PadRight(width)} → {key}{(fallback is null ? "" : $" (default {fallback})")}{(string.IsNullOrWhiteSpace(desc) ? "" : ": " + desc)}");
        }
    }

    private static void Variations(StringBuilder sb, ScriptMeta meta)
    {
        if (meta.Variations.Count == 0) return;
        sb.AppendLine();
        sb.AppendLine("Variations (_NAME in the tags; * marks a group's default; one per group):");
        foreach (var group in meta.Variations.Values.GroupBy(v => v.Group ?? "").OrderBy(g => g.Key.Length == 0 ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var names = group.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.IsDefault ? "*" : "") + "_" + v.Key + (v.Alias is { } a ? $" (= _{a})" : ""));
            sb.AppendLine($"  {(group.Key.Length == 0 ? "(no group)" : group.Key)}: {string.Join("  ", names)}");
        }
    }

    /// <summary>The keys the meta sets by default and those its deps' conditions read: what --env.KEY can change.</summary>
    private static void EnvKeys(StringBuilder sb, ScriptMeta meta)
    {
        var read = meta.AllDeps().Select(d => d.Dep)
            .Concat(meta.Variations.Values.SelectMany(v => v.Deps.Concat(v.PrehookDeps).Concat(v.PosthookDeps).Concat(v.PostDeps)))
            .SelectMany(d => new[] { d.SkipIfEnv, d.EnableIfEnv, d.SkipIfAnyEnv, d.EnableIfAnyEnv })
            .Where(c => c is not null).SelectMany(c => c!.Values.Keys);
        var keys = meta.DefaultEnv.Keys.Concat(meta.Env.Keys).Concat(meta.InputMapping.Values).Concat(meta.CacheKeyEnv).Concat(read)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0) return;
        sb.AppendLine();
        sb.AppendLine("Env keys it reads (set with --env.KEY=VALUE):");
        foreach (var key in keys)
        {
            var value = meta.DefaultEnv.GetValueOrDefault(key) ?? meta.Env.GetValueOrDefault(key);
            sb.AppendLine($"  {key}{(value is null ? "" : $" = {value}")}");
        }
        if (meta.NewEnvKeys.Count > 0) sb.AppendLine($"Keys it exports: {string.Join(", ", meta.NewEnvKeys)}");
    }
}
