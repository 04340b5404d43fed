using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Cli.Rendering;
using Automation.Core.Catalog;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>`cm find script [--tags=...]` and `cm show script ALIAS`.</summary>
public static class FindShowCommands
{
    public static Command Find(GlobalOptions g)
    {
        var tags = new Argument<string[]>("tags") { Arity = ArgumentArity.ZeroOrMore, Description = "Tags to match (all of them)" };
        var tagsOption = new Option<string?>("--tags") { Description = "Comma-separated tags" };
        var script = new Command("script", "List scripts whose tags match") { tags, tagsOption, g.Json, g.CacheDir, g.Verbose };
        script.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var words = (parse.GetValue(tags) ?? []).SelectMany(TagQuery.Split).Concat(TagQuery.Split(parse.GetValue(tagsOption) ?? "")).ToList();
            var query = TagQuery.FromTags(words);
            // Entries only: the catalog index answers without parsing a single meta (docs/repos.md: under 50 ms with a library).
            var catalog = engine.Catalog;
            var found = catalog.FindEntries(query, includeShadowed: true).OrderBy(s => s.Alias, StringComparer.Ordinal).ToList();
            // With --verbose the listed metas are read, so that what the reader read past in them is reported.
            if (Program.Verbose)
                foreach (var s in found) catalog.FindByAliasOrUid(s.QualifiedName);
            if (parse.GetValue(g.Json))
                Console.Out.WriteLine(new JArray(found.Select(s => Json(s, catalog.ShadowedBy(s)))).ToString(Formatting.Indented));
            else
                foreach (var s in found)
                    Console.Out.WriteLine(catalog.ShadowedBy(s) is { } winner
                        ? $"{s.QualifiedName,-40} {s.Repo,-30} {string.Join(',', s.Tags)}  {s.Directory}  (shadowed by {winner.QualifiedName})"
                        : $"{s.Alias,-40} {s.Repo,-30} {string.Join(',', s.Tags)}  {s.Directory}");
            if (found.Count == 0 && !query.IsEmpty) engine.Resolver.SelectScript(query, "the command line");
            return 0;
        });
        return new Command("find", "Find scripts") { script };
    }

    private static JObject Json(ScriptEntry s, ScriptEntry? winner)
    {
        var o = new JObject { ["alias"] = s.Alias, ["uid"] = s.Uid, ["repo"] = s.Repo, ["tags"] = new JArray(s.Tags), ["path"] = s.Directory };
        if (winner is not null)
        {
            o["name"] = s.QualifiedName;
            o["shadowed_by"] = winner.QualifiedName;
        }
        return o;
    }

    public static Command Show(GlobalOptions g)
    {
        var name = new Argument<string>("alias") { Description = "Script alias, uid or tags" };
        var unsupported = new Option<bool>("--unsupported") { Description = "List the meta keys of the script that this engine does not implement, with where they occur" };
        var script = new Command("script", "Show a script's meta and its dependency tree") { name, unsupported, g.Json, g.CacheDir, g.Verbose };
        script.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var request = RunScriptCommand.BuildRequest(engine, [parse.GetValue(name)!], null, DottedFlags.Parse([]));
            // The script first, so that its meta is shown even where its dependency plan cannot be made.
            var meta = request.Name is { } alias ? engine.Catalog.FindByAliasOrUid(alias)! : engine.Resolver.SelectScript(TagQuery.FromTags(request.Tags), "the command line");
            if (parse.GetValue(unsupported))
            {
                ShowUnsupported(meta, parse.GetValue(g.Json));
                return 0;
            }
            var (plan, planError) = TryPlan(engine.Resolver, request);
            if (parse.GetValue(g.Json))
            {
                var json = new JObject { ["path"] = meta.Directory, ["repo"] = meta.Repo, ["env_prefix"] = meta.EnvPrefix, ["meta"] = meta.Raw };
                if (plan is not null) json["plan"] = PlanJson.From(plan);
                else json["plan_error"] = planError;
                Console.Out.WriteLine(json.ToString(Formatting.Indented));
            }
            else Describe(Console.Out, meta, plan, planError);
            return 0;
        });
        return new Command("show", "Show a script or a cache entry") { script, CacheCommands.Show(g, "cache") };
    }

    /// <summary>The dependency plan of a request, or why there is none: a resolver failure must not hide the meta that `show` prints.</summary>
    public static (Plan? Plan, string? Error) TryPlan(Resolver resolver, RunRequest request)
    {
        try { return (resolver.Resolve(request), null); }
        catch (AutomationException e) { return (null, e.Message); }
        // A resolver bug on a library script is a note here; --verbose lets it through with its stack trace.
        catch (Exception e) when (e is not OutOfMemoryException && !Program.Verbose) { return (null, $"internal error in the resolver ({e.GetType().Name}): {e.Message}"); }
    }

    /// <summary>`cm show script` as text: the meta's essentials, then the dependency tree or a note on why there is none.</summary>
    public static void Describe(TextWriter output, ScriptMeta meta, Plan? plan, string? planError)
    {
        output.WriteLine($"{meta.Alias} ({meta.Uid})  {meta.MetaFile}");
        output.WriteLine($"repo: {meta.Repo} (env prefix {meta.EnvPrefix})");
        output.WriteLine($"tags: {string.Join(',', meta.Tags)}");
        output.WriteLine($"cache: {(meta.Cache ? "yes" : "no")}");
        if (meta.Variations.Count > 0)
        {
            output.WriteLine("variations:");
            foreach (var group in meta.Variations.Values.GroupBy(v => v.Group ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
                output.WriteLine($"  {(group.Key.Length == 0 ? "(no group)" : group.Key)}: {string.Join(", ", group.Select(v => "_" + v.Key + (v.IsDefault ? " (default)" : "")))}");
        }
        if (meta.InputMapping.Count > 0)
            output.WriteLine($"inputs: {string.Join(", ", meta.InputMapping.Select(kv => $"--{kv.Key} → {kv.Value}"))}");
        if (meta.NewEnvKeys.Count > 0) output.WriteLine($"exports: {string.Join(", ", meta.NewEnvKeys)}");
        if (plan is null)
        {
            output.WriteLine($"note: no dependency tree: {planError}");
            return;
        }
        output.WriteLine("dependency tree:");
        output.Write(PlanRenderer.Render(plan, n => n.IsCached ? "cached script" : "runs every time"));
    }

    /// <summary>`--unsupported`: the keys of <see cref="MetaKeys"/> this script uses that are not supported, grouped by key, each with where it occurs.</summary>
    private static void ShowUnsupported(ScriptMeta meta, bool json)
    {
        var keys = MetaKeys.Unimplemented(meta.Raw).GroupBy(u => u.Key)
            .OrderBy(g => g.Key.Status).ThenBy(g => g.Key.Level).ThenBy(g => g.Key.Name, StringComparer.Ordinal).ToList();
        if (json)
        {
            Console.Out.WriteLine(new JArray(keys.Select(g => new JObject
            {
                ["key"] = g.Key.Name,
                ["level"] = MetaKeys.Text(g.Key.Level),
                ["status"] = MetaKeys.Text(g.Key.Status),
                ["note"] = g.Key.Note,
                ["where"] = new JArray(g.Select(u => new JObject { ["path"] = u.Where, ["line"] = u.Line, ["column"] = u.Column })),
            })).ToString(Formatting.Indented));
            return;
        }
        if (keys.Count == 0)
        {
            Console.Out.WriteLine($"{meta.Alias}: every key of {meta.MetaFile} is supported");
            return;
        }
        Console.Out.WriteLine($"{meta.Alias}: keys of {meta.MetaFile} this engine does not implement (see docs/cm-compatibility.md):");
        foreach (var g in keys)
        {
            var where = string.Join(", ", g.Select(u => u.Line > 0 ? $"{u.Where} (line {u.Line})" : u.Where));
            Console.Out.WriteLine($"  {MetaKeys.Text(g.Key.Status),-20} {MetaKeys.Text(g.Key.Level),-9} {g.Key.Name}: {where}");
            if (g.Key.Note.Length > 0) Console.Out.WriteLine($"  {"",-20} {"",-9} {g.Key.Note}");
        }
    }
}
