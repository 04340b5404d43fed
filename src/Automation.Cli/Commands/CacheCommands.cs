using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Cli.Rendering;
using Automation.Core.Caching;
using Automation.Core.Catalog;
using Automation.Core.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>`cm cache list|show|rm|verify`.</summary>
public static class CacheCommands
{
    public static Command Create(GlobalOptions g)
    {
        var cache = new Command("cache", "Inspect and manage cached script results");
        cache.Add(List(g));
        cache.Add(Show(g));
        cache.Add(Remove(g));
        cache.Add(Verify(g));
        return cache;
    }

    private static Option<string?> TagsOption() => new("--tags") { Description = "Only entries with all these tags (_variation and -tag work too)" };

    private static IReadOnlyCollection<string>? Tags(string? text) => text is null ? null : TagQuery.Split(text).ToList();

    private static Command List(GlobalOptions g)
    {
        var tags = TagsOption();
        var command = new Command("list", "List cache entries") { tags, g.Json, g.CacheDir, g.Verbose };
        command.SetAction(parse =>
        {
            var store = new Engine(parse.GetValue(g.CacheDir)).CreateStore();
            var entries = store.List(Tags(parse.GetValue(tags))).OrderBy(e => e.ScriptAlias, StringComparer.Ordinal).ThenBy(e => e.CreatedUtc).ToList();
            if (parse.GetValue(g.Json)) Console.Out.WriteLine(new JArray(entries.Select(CacheEntryView.Summary)).ToString(Formatting.Indented));
            else
            {
                foreach (var e in entries)
                    Console.Out.WriteLine($"{e.Key}  {e.ScriptAlias}{string.Concat(e.Variations.Select(v => ",_" + v))}{(e.Version is null ? "" : " " + e.Version)}  {e.CreatedUtc:yyyy-MM-dd HH:mm}  {e.Path}");
                Console.Error.WriteLine($"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")} in {store.Root}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>`cm cache show KEY`, also reachable as `cm show cache KEY` (CM's word order).</summary>
    public static Command Show(GlobalOptions g, string name = "show")
    {
        var key = new Argument<string>("key") { Description = "Entry key or a unique prefix of it" };
        var command = new Command(name, "Show one cache entry: env, version, detection evidence, key inputs") { key, g.Json, g.CacheDir, g.Verbose };
        command.SetAction(parse =>
        {
            var store = new Engine(parse.GetValue(g.CacheDir)).CreateStore();
            var entry = Find(store, parse.GetValue(key)!);
            Console.Out.WriteLine(CacheEntryView.Details(entry).ToString(Formatting.Indented));
            return 0;
        });
        return command;
    }

    private static Command Remove(GlobalOptions g)
    {
        var key = new Argument<string?>("key") { Description = "Entry key (or unique prefix) to remove", Arity = ArgumentArity.ZeroOrOne };
        var tags = TagsOption();
        var all = new Option<bool>("--all") { Description = "Remove every entry" };
        var command = new Command("rm", "Remove cache entries (by key, by tags, or --all); entries built on them are invalidated") { key, tags, all, g.CacheDir, g.Verbose };
        command.SetAction(parse =>
        {
            var store = new Engine(parse.GetValue(g.CacheDir)).CreateStore();
            int removed;
            if (parse.GetValue(all)) removed = store.RemoveAll();
            else if (parse.GetValue(key) is { } k) removed = store.Remove(Find(store, k).Key) ? 1 : 0;
            else if (parse.GetValue(tags) is { } t) removed = store.RemoveWhere(Tags(t)!);
            else throw new AutomationException("cm cache rm needs a key, --tags=... or --all", fix: "For example: cm cache rm --tags=get,python3");
            Console.Error.WriteLine($"removed {removed} entr{(removed == 1 ? "y" : "ies")}");
            return 0;
        });
        return command;
    }

    private static Command Verify(GlobalOptions g)
    {
        var repair = new Option<bool>("--repair") { Description = "Remove stale, modified, corrupt and orphan entries and fix the index" };
        var command = new Command("verify", "Check every entry: entry.json readable and unedited, every recorded file unchanged (SHA-256), validate paths and deps present, index consistent") { repair, g.Json, g.CacheDir, g.Verbose };
        command.SetAction(parse =>
        {
            var store = new Engine(parse.GetValue(g.CacheDir)).CreateStore();
            var report = store.Verify(parse.GetValue(repair));
            if (parse.GetValue(g.Json))
                Console.Out.WriteLine(new JObject
                {
                    ["checked"] = report.Checked, ["valid"] = report.Valid, ["repaired"] = report.Repaired,
                    ["problems"] = new JArray(report.Problems.Select(p => new JObject { ["key"] = p.Key, ["kind"] = p.Kind.ToString(), ["detail"] = p.Detail })),
                }.ToString(Formatting.Indented));
            else
            {
                foreach (var p in report.Problems) Console.Out.WriteLine($"{p.Kind,-18} {p.Key}  {p.Detail}");
                Console.Out.WriteLine($"{report.Checked} checked, {report.Valid} valid, {report.Problems.Count} problem(s){(report.Repaired ? ", repaired" : "")}");
            }
            return report.IsHealthy || report.Repaired ? 0 : 1;
        });
        return command;
    }

    private static CacheEntry Find(CacheStore store, string key) =>
        store.FindByPrefix(key) ?? throw new AutomationException($"no cache entry has a key starting with '{key}' in {store.Root}", fix: "Run `cm cache list` to see the keys.");

}
