using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Experiments.Backends;
using Automation.Records.ArtifactEvaluation;
using Automation.Records.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Commands;

/// <summary>`cm ae check [FILE] [--smoke]` and `cm ae appendix` (artifact evaluation, docs/records.md).</summary>
public static class AeCommands
{
    private const string DefaultClaims = "ae/claims.json";

    public static Command Create(GlobalOptions g)
    {
        var ae = new Command("ae", "Artifact evaluation: check claims, generate the Artifact Appendix");
        ae.Add(Check(g));
        ae.Add(Appendix(g));
        return ae;
    }

    private static Command Check(GlobalOptions g)
    {
        var file = new Argument<string>("claims") { Description = "Claims file (.json or .yaml)", DefaultValueFactory = _ => DefaultClaims };
        var smoke = new Option<bool>("--smoke") { Description = "Run each claim with its smoke_args (reduced inputs)" };
        var only = new Option<string[]>("--claim") { Description = "Check only these claim ids", AllowMultipleArgumentsPerToken = true };
        var results = new Option<string>("--results") { Description = "Folder that {results} in claim commands stands for", DefaultValueFactory = _ => "ae-results" };
        var command = new Command("check", "Run every claim's command and compare its figure with the expected one; exits 1 when any claim fails.")
        {
            file, smoke, only, results, g.Json, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var claims = ClaimsFile.Load(parse.GetValue(file)!);
            var wanted = parse.GetValue(only) ?? [];
            var selected = claims.Claims.Where(c => wanted.Length == 0 || wanted.Contains(c.Id)).ToList();
            if (selected.Count == 0)
                throw new Core.Errors.AutomationException($"no claim in '{claims.Path}' has id {string.Join(" or ", wanted)}", claims.Path, fix: $"Claims: {string.Join(", ", claims.Claims.Select(c => c.Id))}.");
            var cm = CmCommand.Current();
            var checker = new ClaimChecker(cm.FileName, cm.PrefixArgs, Path.GetFullPath(parse.GetValue(results)!), Console.Error);
            var workDir = Environment.CurrentDirectory;
            var outcomes = selected.Select(c => checker.Check(c, parse.GetValue(smoke), workDir)).ToList();
            if (parse.GetValue(g.Json))
                Console.Out.WriteLine(new JObject
                {
                    ["claims_file"] = claims.Path, ["smoke"] = parse.GetValue(smoke), ["passed"] = outcomes.All(o => o.Passed),
                    ["claims"] = new JArray(outcomes.Select(o => new JObject
                    {
                        ["id"] = o.Claim.Id, ["passed"] = o.Passed, ["measured"] = o.Measured, ["expected"] = o.Claim.Expect.Describe(),
                        ["detail"] = o.Detail, ["exit_code"] = o.ExitCode, ["seconds"] = Math.Round(o.Seconds, 3), ["command"] = new JArray(o.Command),
                    })),
                }.ToString(Formatting.Indented));
            else
            {
                foreach (var o in outcomes)
                    Console.Out.WriteLine($"{(o.Passed ? "PASS" : "FAIL")}  {o.Claim.Id}: {o.Claim.Expect.Env ?? "/" + o.Claim.Expect.Regex + "/"} measured {o.Measured ?? "-"}, expected {o.Claim.Expect.Describe()} ({o.Detail}; {o.Seconds:0.#} s)");
                Console.Out.WriteLine($"{outcomes.Count(o => o.Passed)} of {outcomes.Count} claim(s) passed{(parse.GetValue(smoke) ? " (smoke inputs)" : "")}.");
            }
            return outcomes.All(o => o.Passed) ? 0 : 1;
        });
        return command;
    }

    private static Command Appendix(GlobalOptions g)
    {
        var records = new Argument<string[]>("records") { Description = "Run records or results folders (default: the cache's record history)", Arity = ArgumentArity.ZeroOrMore };
        var claimsOption = new Option<string?>("--claims") { Description = $"Claims file to list (default: {DefaultClaims} when present)" };
        var output = new Option<string?>("--out") { Description = "Write the markdown here instead of stdout" };
        var latest = new Option<int>("--latest") { Description = "With no records given, use this many of the newest successful history records", DefaultValueFactory = _ => 20 };
        var command = new Command("appendix", "Generate an Artifact Appendix (markdown): hardware, software with versions, datasets, models, time and disk estimates, one command per claim.")
        {
            records, claimsOption, output, latest, g.CacheDir, g.Verbose,
        };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(records) ?? [];
            List<JObject> loaded;
            if (given.Length > 0) loaded = given.Select(RunRecordWriter.Load).ToList();
            else
            {
                var history = Path.Combine(new Engine(parse.GetValue(g.CacheDir)).Workspace.CacheDir, RunRecord.HistoryFolder);
                loaded = (Directory.Exists(history) ? Directory.EnumerateFiles(history, "*.json").Order(StringComparer.Ordinal).Reverse() : [])
                    .Select(RunRecordWriter.Load).Where(r => (string?)r["status"] == "ok").Take(parse.GetValue(latest)).Reverse().ToList();
            }
            var claimsPath = parse.GetValue(claimsOption) ?? (File.Exists(DefaultClaims) ? DefaultClaims : null);
            var text = ArtifactAppendix.Build(claimsPath is null ? null : ClaimsFile.Load(claimsPath), loaded);
            if (parse.GetValue(output) is { } path) { File.WriteAllText(path, text); Console.Out.WriteLine($"Artifact Appendix from {loaded.Count} record(s): {Path.GetFullPath(path)}"); }
            else Console.Out.Write(text);
            return 0;
        });
        return command;
    }
}
