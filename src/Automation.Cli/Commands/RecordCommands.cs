using System.CommandLine;
using System.Diagnostics;
using Automation.Cli.Hosting;
using Automation.Core.Errors;
using Automation.Core.Versioning;
using Automation.Experiments.Backends;
using Automation.Records.Lock;
using Automation.Records.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>`cm lock`, `cm replay RECORD` and `cm diff RECORD1 RECORD2` (docs/records.md).</summary>
public static class RecordCommands
{
    public static Command Lock(GlobalOptions g)
    {
        var tags = new Argument<string[]>("tags") { Description = "Tags or a script alias", Arity = ArgumentArity.ZeroOrMore };
        var tagsOption = new Option<string?>("--tags") { Description = "Comma-separated tags, as for `cm run script`" };
        var output = new Option<string>("--out") { Description = "Lock file to write", DefaultValueFactory = _ => "cm-lock.json" };
        var version = new Option<string?>("--version") { Description = "Exact version of the tool" };
        var command = new Command("lock", "Resolve a plan as `cm run script` would (same tags and inputs) and write a lock file: script uids and meta sha256, variations, versions, cache keys. Run it later with `cm run script ... --locked FILE`.")
        {
            tags, tagsOption, output, version, g.CacheDir, g.Verbose,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var request = RunScriptCommand.BuildRequest(engine, parse.GetValue(tags) ?? [], parse.GetValue(tagsOption), DottedFlags.Parse(Program.FreeForm)) with
            {
                Version = new VersionConstraint(parse.GetValue(version), null, null),
            };
            var plan = engine.Resolver.Resolve(request);
            var cache = engine.CreateStepCache();
            var lockJson = PlanLock.Create(plan, request, n => LockedRun.KnownVersion(n, cache));
            var path = Path.GetFullPath(parse.GetValue(output)!);
            PlanLock.Save(lockJson, path);
            var unknown = plan.Nodes.Count(n => LockedRun.KnownVersion(n, cache) is null && (n.Script.Detect is not null));
            Console.Out.WriteLine($"Locked {plan.Nodes.Count} steps of {plan.Root.Display} in {path}." +
                (unknown > 0 ? $" {unknown} detected tool version(s) are not known until they run; `cm run script ... --lock FILE` records them." : ""));
            return 0;
        });
        return command;
    }

    public static Command Replay(GlobalOptions g)
    {
        var record = new Argument<string>("record") { Description = "A cm-run-record.json, or a results folder holding one" };
        var resultsDir = new Option<string?>("--results_dir", "--results-dir") { Description = "Write the replay's results here instead of the recorded folder" };
        var command = new Command("replay", "Run a recorded run again: the same tags, inputs, env overrides and caller CM_* env, from the same folder. Exits with the replay's exit code.")
        {
            record, resultsDir, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(record)!;
            var rec = RunRecordWriter.Load(path);
            var cmd = rec["command"] as JObject ?? throw new AutomationException($"run record '{path}' has no command", path, fix: "Replay a record written by `cm run script`.");
            var argv = (cmd["argv"] as JArray ?? []).Select(a => (string)a!).ToList();
            if (parse.GetValue(resultsDir) is { } dir) argv = ReplaceResultsDir(argv, Path.GetFullPath(dir));
            var cm = CmCommand.Current();
            var psi = new ProcessStartInfo(cm.FileName) { UseShellExecute = false };
            foreach (var a in cm.Arguments(argv)) psi.ArgumentList.Add(a);
            var cwd = (string?)cmd["cwd"];
            psi.WorkingDirectory = cwd is not null && Directory.Exists(cwd) ? cwd : Environment.CurrentDirectory;
            foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CM_", StringComparison.Ordinal) && k is not "CM_SCRIPT_PATH" and not "CM_CACHE_DIR").ToList())
                psi.Environment.Remove(key);
            foreach (var (k, v) in Json.ToMap(cmd["caller_env"])) psi.Environment[k] = v;
            Console.Error.WriteLine($"replaying {rec["id"]}: cm {string.Join(' ', argv)}");
            using var process = Process.Start(psi) ?? throw new AutomationException("could not start cm for the replay", fix: "Check that the cm binary is still in place.");
            process.WaitForExit();
            return process.ExitCode;
        });
        return command;
    }

    public static Command Diff(GlobalOptions g)
    {
        var left = new Argument<string>("record1") { Description = "The earlier run: a cm-run-record.json or a results folder" };
        var right = new Argument<string>("record2") { Description = "The later run" };
        var command = new Command("diff", "Show what changed between two recorded runs: command and inputs, scripts, versions, machine, status and figures.")
        {
            left, right, g.Json, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var a = RunRecordWriter.Load(parse.GetValue(left)!);
            var b = RunRecordWriter.Load(parse.GetValue(right)!);
            var changes = RecordDiff.Compare(a, b);
            if (parse.GetValue(g.Json))
            {
                Console.Out.WriteLine(new JObject
                {
                    ["left"] = a["id"], ["right"] = b["id"],
                    ["changes"] = new JArray(changes.Select(c => new JObject { ["section"] = c.Section, ["key"] = c.Key, ["left"] = c.Left, ["right"] = c.Right, ["delta"] = c.Delta })),
                }.ToString(Formatting.Indented));
                return 0;
            }
            Console.Out.WriteLine($"--- {a["id"]} ({a["started_utc"]})");
            Console.Out.WriteLine($"+++ {b["id"]} ({b["started_utc"]})");
            if (changes.Count == 0) Console.Out.WriteLine("no differences in command, scripts, versions, machine or figures");
            foreach (var section in changes.GroupBy(c => c.Section))
            {
                Console.Out.WriteLine($"[{section.Key}]");
                foreach (var c in section)
                    Console.Out.WriteLine($"  {c.Key}: {c.Left ?? "(absent)"} -> {c.Right ?? "(absent)"}{(c.Delta is { } d ? $" ({d})" : "")}");
            }
            return 0;
        });
        return command;
    }

    private static List<string> ReplaceResultsDir(List<string> argv, string dir)
    {
        var result = new List<string>();
        for (var i = 0; i < argv.Count; i++)
        {
            if (argv[i].StartsWith("--results_dir=", StringComparison.Ordinal)) continue;
            if (argv[i] == "--results_dir") { i++; continue; }
            result.Add(argv[i]);
        }
        result.Add("--results_dir=" + dir);
        return result;
    }
}
