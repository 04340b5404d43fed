using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Core.Catalog;
using Automation.Core.Repos;
using Automation.Core.World;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>`cm pull repo`, `cm list repo`, `cm rm repo` (docs/repos.md).</summary>
public static class RepoCommands
{
    private static RepoManager Manager() =>
        new(RepoRegistry.ForHost(PhysicalFileSystem.Instance, ProcessHostEnvironment.Instance), PhysicalFileSystem.Instance, CliWrapProcessRunner.Instance, ProcessHostEnvironment.Instance);

    public static Command Pull(GlobalOptions g)
    {
        var what = new Argument<string>("repo") { Description = "A local folder (registered in place), a git URL (https://, git@host:path, file://), or owner@name for GitHub" };
        var repo = new Command("repo", "Register a script repository: clone a git URL into $CM_REPOS/repos/, or register a local folder where it is") { what, g.Json, g.Verbose };
        repo.SetAction(parse =>
        {
            var outcome = Manager().Pull(parse.GetValue(what)!, line => Console.Error.WriteLine(line));
            var r = outcome.Repo;
            if (parse.GetValue(g.Json))
                Console.Out.WriteLine(new JObject { ["action"] = ActionName(outcome.Action), ["repo"] = RepoJson(r) }.ToString(Formatting.Indented));
            else
                Console.Out.WriteLine($"{ActionName(outcome.Action)}: {r.Alias} ({r.KindName}, env prefix {r.EnvPrefix ?? "by meta format"}) at {r.Path}");
            return 0;
        });
        return new Command("pull", "Pull a repository") { repo };
    }

    public static Command List(GlobalOptions g)
    {
        var repo = new Command("repo", "List script repositories in precedence order: CM_SCRIPT_PATH, registered ones, builtin") { g.Json, g.CacheDir, g.Verbose };
        repo.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var counts = engine.Catalog.AllEntries.GroupBy(e => e.Repo).ToDictionary(x => x.Key, x => x.Count(), StringComparer.Ordinal);
            var rows = engine.Workspace.ScriptRoots.Select(root => new JObject
            {
                ["alias"] = root.Repo,
                ["source"] = SourceName(root.Source),
                ["env_prefix"] = root.EnvPrefix,
                ["path"] = root.RepoPath,
                ["scripts_path"] = root.Path,
                ["scripts"] = counts.GetValueOrDefault(root.Repo),
            }).ToList();
            var missing = Manager().List().Where(r => r.Repo is null).Select(r => new JObject { ["alias"] = null, ["source"] = "registered", ["path"] = r.Path, ["missing"] = true });
            rows.AddRange(missing);
            if (parse.GetValue(g.Json))
            {
                Console.Out.WriteLine(new JArray(rows).ToString(Formatting.Indented));
                return 0;
            }
            foreach (var row in rows)
                Console.Out.WriteLine(row["missing"] is not null
                    ? $"{"(missing)",-36} {"registered",-10} {"",-6} {"",6}  {row["path"]}"
                    : $"{row["alias"],-36} {row["source"],-10} {(string?)row["env_prefix"] ?? "-",-6} {row["scripts"],6}  {row["scripts_path"]}");
            return 0;
        });
        return new Command("list", "List things") { repo };
    }

    public static Command Remove(GlobalOptions g)
    {
        var name = new Argument<string>("repo") { Description = "Alias, uid, folder name or path of a registered repository" };
        var all = new Option<bool>("--all") { Description = "Also delete the folder when cm pull repo cloned it (a folder registered in place is always kept)" };
        var repo = new Command("repo", "Unregister a repository; its files are kept unless --all") { name, all, g.Verbose };
        repo.SetAction(parse =>
        {
            var (removed, deleted) = Manager().Remove(parse.GetValue(name)!, parse.GetValue(all));
            var alias = removed.Repo?.Alias ?? removed.Path;
            Console.Error.WriteLine(deleted ? $"removed {alias} and deleted its clone {removed.Path}"
                : parse.GetValue(all) && !removed.IsClone ? $"unregistered {alias}; {removed.Path} was registered in place, so its files are kept"
                : $"unregistered {alias}; its files are kept in {removed.Path}");
            return 0;
        });
        return new Command("rm", "Remove things") { repo };
    }

    private static string ActionName(PullAction action) => action switch
    {
        PullAction.Registered => "registered",
        PullAction.AlreadyRegistered => "already registered",
        PullAction.Cloned => "cloned",
        _ => "updated",
    };

    private static string SourceName(RootSource source) => source switch
    {
        RootSource.ScriptPath => "CM_SCRIPT_PATH",
        RootSource.Registered => "registered",
        _ => "builtin",
    };

    private static JObject RepoJson(RepoFolder r) => new()
    {
        ["alias"] = r.Alias,
        ["uid"] = r.Uid,
        ["kind"] = r.KindName,
        ["env_prefix"] = r.EnvPrefix,
        ["path"] = r.Path,
        ["scripts_path"] = r.ScriptsPath,
    };
}
