using System.Reflection;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Fluid;
using Fluid.Values;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Docs;

/// <summary>
/// Renders docs/scripts.md from script meta with the Liquid template Docs/scripts.md.liquid (embedded). Fluid sees
/// only FluidValue dictionaries and arrays built here, never our records, so Native AOT needs no reflection.
/// </summary>
public static class ScriptDocs
{
    private const string TemplateResource = "Automation.Cli.Docs.scripts.md.liquid";

    public static string Render(IEnumerable<ScriptMeta> scripts)
    {
        var parser = new FluidParser();
        if (!parser.TryParse(ReadTemplate(), out var template, out var error))
            throw new AutomationException($"the docs template {TemplateResource} does not parse: {error}");
        var ordered = scripts.OrderBy(s => s.Category, StringComparer.Ordinal).ThenBy(s => s.Alias, StringComparer.Ordinal).ToList();
        var context = new TemplateContext(new TemplateOptions { StrictVariables = true, StrictFilters = true });
        context.SetValue("count", NumberValue.Create(ordered.Count));
        context.SetValue("categories", Array(ordered.GroupBy(s => s.Category).Select(g => Object(
            ("name", Text(g.Key.Length == 0 ? "Other" : g.Key)),
            ("scripts", Array(g.Select(Describe)))))));
        return template.Render(context).ReplaceLineEndings("\n");
    }

    private static FluidValue Describe(ScriptMeta s)
    {
        var descriptions = s.InputDescription;
        return Object(
            ("alias", Text(s.Alias)),
            ("uid", Text(s.Uid)),
            ("meta", Text($"scripts/{s.Alias}/{Path.GetFileName(s.MetaFile)}")),
            ("tags", Text(string.Join(',', s.Tags))),
            ("cached", Text(s.Cache ? "yes" : "no")),
            ("how", Text(How(s))),
            ("default_version", Text(s.DefaultVersion ?? "")),
            ("deps", Array(s.Deps.Concat(s.PrehookDeps).Concat(s.PosthookDeps).Concat(s.PostDeps).Select(Dep))),
            ("install", Array(s.InstallDeps.Select(Dep))),
            ("variations", Array(s.Variations.Values.Where(v => !v.IsCombined).OrderBy(v => v.Group ?? "~", StringComparer.Ordinal).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => Object(
                ("name", Text("_" + v.Key)),
                ("group", Text(v.Group ?? "")),
                ("default", Text(v.IsDefault ? "yes" : "")),
                ("effect", Text(Cell(Effect(v)))))))),
            ("inputs", Array(s.InputMapping.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Object(
                ("flag", Text("--" + kv.Key)),
                ("key", Text(kv.Value)),
                ("desc", Text(Cell((descriptions?[kv.Key] as JObject)?.Value<string>("desc") ?? ""))))))),
            ("exports", Array(s.NewEnvKeys.Select(k => Text(k)))),
            ("detected", Array(DetectedKeys(s.Detect).Select(k => Text(k)))),
            ("unavailable", Array(s.UnavailableEnv.Select(kv => Text($"{kv.Key}={kv.Value}")))));
    }

    private static string How(ScriptMeta s)
    {
        var parts = new List<string>();
        if (s.Detect is { } detect)
        {
            var names = string.Join(", ", (detect["executables"] as JArray)?.Select(t => (string?)t) ?? [(string?)detect["executables"]]);
            parts.Add(detect.Value<bool?>("read_file") == true ? $"detects the header {names} (version read from the file)" : $"detects {names}");
        }
        if (s.Builtin is { } builtin) parts.Add($"built-in action `{builtin}`");
        if (File.Exists(Path.Combine(s.Directory, "run.sh")) || File.Exists(Path.Combine(s.Directory, "run.bat")))
            parts.Add("run script " + string.Join(" / ", new[] { "run.sh", "run.bat" }.Where(f => File.Exists(Path.Combine(s.Directory, f)))));
        return parts.Count == 0 ? "meta only" : string.Join("; ", parts);
    }

    /// <summary>The env keys a detect block sets (row_env keys keep their {{index}} placeholder as N).</summary>
    private static IEnumerable<string> DetectedKeys(JObject? detect) =>
        detect is null ? [] :
        new[] { "env", "row_env" }.SelectMany(k => (detect[k] as JObject)?.Properties() ?? []).Select(p => p.Name.Replace("{{index}}", "N", StringComparison.Ordinal));

    private static FluidValue Dep(DepSpec d)
    {
        var conditions = new List<string>();
        if (d.Optional) conditions.Add("optional");
        if (d.UpdateTagsFromEnvWithPrefix.Count > 0) conditions.Add("+ " + string.Join(", ", d.UpdateTagsFromEnvWithPrefix.Select(kv => $"{kv.Key}<{string.Join('|', kv.Value)}>")));
        if (d.VersionMin is not null) conditions.Add(">= " + d.VersionMin);
        return Text($"`{string.Join(',', d.Tags)}`{(conditions.Count == 0 ? "" : $" ({string.Join("; ", conditions)})")}");
    }

    private static string Effect(VariationSpec v)
    {
        var parts = v.Env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        if (v.Alias is not null) parts.Add("alias of _" + v.Alias);
        if (v.Base.Count > 0) parts.Add("also _" + string.Join(", _", v.Base));
        foreach (var d in v.Deps.Concat(v.PrehookDeps).Concat(v.PosthookDeps).Concat(v.PostDeps)) parts.Add("dep " + string.Join(',', d.Tags));
        return parts.Count == 0 ? "" : "`" + string.Join("`, `", parts) + "`";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static FluidValue Text(string s) => new StringValue(s);

    private static FluidValue Array(IEnumerable<FluidValue> items) => new ArrayValue(items.ToArray());

    private static FluidValue Object(params (string Key, FluidValue Value)[] fields) =>
        new DictionaryValue(new FluidValueDictionaryFluidIndexable(fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal)));

    private static string ReadTemplate()
    {
        using var stream = typeof(ScriptDocs).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new AutomationException($"the docs template {TemplateResource} is missing from cm", fix: "Rebuild cm.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
