using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Cli.Rendering;
using Automation.Core.Catalog;
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
        var script = new Command("script", "Show a script's meta and its dependency tree") { name, g.Json, g.CacheDir, g.Verbose };
        script.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var request = RunScriptCommand.BuildRequest(engine, [parse.GetValue(name)!], null, DottedFlags.Parse([]));
            var plan = engine.Resolver.Resolve(request);
            var meta = plan.Root.Script;
            if (parse.GetValue(g.Json))
            {
                Console.Out.WriteLine(new JObject { ["path"] = meta.Directory, ["repo"] = meta.Repo, ["env_prefix"] = meta.EnvPrefix, ["meta"] = meta.Raw, ["plan"] = PlanJson.From(plan) }.ToString(Formatting.Indented));
                return 0;
            }
            Console.Out.WriteLine($"{meta.Alias} ({meta.Uid})  {meta.MetaFile}");
            Console.Out.WriteLine($"repo: {meta.Repo} (env prefix {meta.EnvPrefix})");
            Console.Out.WriteLine($"tags: {string.Join(',', meta.Tags)}");
            Console.Out.WriteLine($"cache: {(meta.Cache ? "yes" : "no")}");
            if (meta.Variations.Count > 0)
            {
                Console.Out.WriteLine("variations:");
                foreach (var group in meta.Variations.Values.GroupBy(v => v.Group ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
                    Console.Out.WriteLine($"  {(group.Key.Length == 0 ? "(no group)" : group.Key)}: {string.Join(", ", group.Select(v => "_" + v.Key + (v.IsDefault ? " (default)" : "")))}");
            }
            if (meta.InputMapping.Count > 0)
                Console.Out.WriteLine($"inputs: {string.Join(", ", meta.InputMapping.Select(kv => $"--{kv.Key} → {kv.Value}"))}");
            if (meta.NewEnvKeys.Count > 0) Console.Out.WriteLine($"exports: {string.Join(", ", meta.NewEnvKeys)}");
            Console.Out.WriteLine("dependency tree:");
            Console.Out.Write(PlanRenderer.Render(plan, n => n.IsCached ? "cached script" : "runs every time"));
            return 0;
        });
        return new Command("show", "Show a script") { script };
    }
}
