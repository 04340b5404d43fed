using Automation.Cli.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Reliability.Tests.Figures;

/// <summary>
/// Issue 17's figure: 1,000 generated command lines (cm's commands with their options, free-form flags, values of
/// every kind, missing and doubled values, junk words) against a workspace of small fixture scripts (groups, defaults,
/// aliases, wildcards, deps, versions, a failing and a broken one): no stack trace, no exit 70, no hang, each within
/// 2 s. Scripts really run (their run.sh only echoes). Deterministic (seed 1017); every 40th line also through a real
/// `dotnet cm.dll` process. Left out: what waits or reaches out by design (`serve`, `pull`, `run experiment`,
/// `loadgen-bench`, `docker --build`) and `--verbose`, whose purpose is to print stack traces.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class GeneratedCliLineFigureTests(ITestOutputHelper output)
{
    private const int Count = 1000;

    [Fact]
    public void Generated_command_lines_end_in_a_result_or_a_clear_error()
    {
        using var ws = Fixture();
        var random = new Random(1017);
        var tally = new FigureTally("generated command lines");
        InProcessCm.Run(ws.Root, ["run", "script", "--tags=fx,plain", "--quiet"], TimeSpan.FromMinutes(1)); // JIT warm-up, not counted
        for (var i = 0; i < Count; i++)
        {
            var line = new LineGenerator(random, ws.Root).Next();
            var describe = $"line {i}";
            tally.RunInProcess(ws.Root, line, describe);
            if (i % 40 == 0) tally.RunAsProcess(ws.Root, line, describe);
        }
        output.WriteLine(tally.Figure);
        if (!tally.Silent) output.WriteLine(tally.Problems);
        tally.AssertClean();
    }

    private static TempWorkspace Fixture()
    {
        var ws = new TempWorkspace();
        ws.AddScript("fx-plain", """{"alias":"fx-plain","uid":"fa00000000000001","tags":["fx","plain"],"input_mapping":{"name":"FX_NAME"},"new_env_keys":["FX_*"]}""",
            "echo FX_OUT=\"$FX_NAME\" >> tmp-run-env.out");
        ws.AddScript("fx-cached", """
            {"alias":"fx-cached","uid":"fa00000000000002","tags":["fx","cached"],"cache":true,"default_version":"1.2",
             "versions":{"1.2":{},"2.0":{"env":{"FX_V":"2"}}},"new_env_keys":["FX_*"],"input_mapping":{"size":"FX_SIZE"},"cache_key_env":["FX_SIZE"]}
            """, "echo FX_CACHED=yes >> tmp-run-env.out");
        ws.AddScript("fx-vars", """
            {"alias":"fx-vars","uid":"fa00000000000003","tags":["fx","vars"],"new_env_keys":["FX_*"],
             "variations":{"a":{"group":"g","default":true,"env":{"FX_G":"a"}},"b":{"group":"g","default_variations":{"h":"y"}},
               "x":{"group":"h"},"y":{"group":"h","env":{"FX_H":"y"}},"al":{"alias":"b"},"batch.#":{"env":{"FX_BATCH":"#"}},
               "a,x":{"env":{"FX_AX":"1"}},"withdep":{"deps":[{"tags":"fx,cached","version_min":"1.0","names":["cached"]}]}}}
            """, "echo FX_VARS=\"$FX_G$FX_H$FX_BATCH\" >> tmp-run-env.out");
        ws.AddScript("fx-deps", """
            {"alias":"fx-deps","uid":"fa00000000000004","tags":["fx","deps"],
             "deps":[{"tags":"fx,cached","names":["cached"]},{"tags":"fx,vars,_b","names":["vars"]},{"tags":"fx,plain","enable_if_env":{"FX_GO":["yes"]}}]}
            """, "true");
        ws.AddScript("fx-fail", """{"alias":"fx-fail","uid":"fa00000000000005","tags":["fx","fail"]}""", "echo failing >&2\nexit 3");
        Directory.CreateDirectory(Path.Combine(ws.Root, "scripts", "fx-bad"));
        File.WriteAllText(Path.Combine(ws.Root, "scripts", "fx-bad", "meta.yaml"), "alias: fx-bad\ntags: [fx, bad\n");
        return ws;
    }

    /// <summary>One random command line: a command, its options in good and bad forms, free-form flags, junk.</summary>
    private sealed class LineGenerator(Random random, string root)
    {
        private static readonly string[] Tags =
        [
            "fx", "fx,plain", "fx,cached", "fx,vars", "fx,vars,_b", "fx,vars,_al", "fx,vars,_batch.8", "fx,vars,_a,_b", "fx,vars,_-a", "fx,vars,_x,_y",
            "fx,vars,_withdep", "fx,vars,_batch.", "fx,deps", "fx,fail", "fx,bad", "fx,nosuch", "_", "", ",", ",,", "-fx", "fx,-plain", "fx-plain", "fa00000000000003",
            "fx vars", "FX", "fx,vars,_ünï", new string('t', 5000), "fx,vars,_" + new string('b', 300), "*", "fx,vars,_al,_b",
        ];

        private static readonly string[] Values =
        [
            "", "x", "1", "-1", "0", "1e999", "NaN", "zzz", "1.2", "2.0", "v1.0", "r6.1", "master", "0.0.0.0.0", "99999999999999999999", "yes", "no",
            "a b", "ünï", "'", "\"", "<<<FX_NAME>>>", "$(echo hi)", "%s", "*", "[", "{", "}", "a=b", "a,b", "\\", new string('v', 5000), "-j", "--dry-run",
        ];

        // Relative paths (the line runs in the workspace) and two special files; never a system folder.
        private static readonly string[] Paths = ["out", "sub/dir/file", "-j", "", ".", "cache", "fx.lock", "with space", "ünï", "/dev/null", "cache/.locks", "cache/.catalog-index", "a:b", "*", "nosuch/x.json"];

        private static readonly string[] Junk = ["--", "-", "---", "--=", "-=", "--env.", "--env.=x", "--env.X", "--adr.", "--adr.x", "--adr.cached.version_min=zzz", "--adr.cached.tags=_nosuch",
            "--adr.vars.env.FX_G=z", "--adr.a.b.c.d=1", "-jq", "-qj", "--json=false", "--json=maybe", "--quiet=2", "-x", "--foo", "--foo=bar", "=", "==", "run", "script", "?", "--help", "-h"];

        public string[] Next()
        {
            var line = new List<string>();
            switch (random.Next(16))
            {
                case <= 5: RunScript(line); break;
                case 6: line.AddRange(["find", "script"]); Some(line, () => Pick(Pick(Tags), "--tags=" + Pick(Tags), "-j", "--tags", "--cache-dir", "--cache-dir=" + Pick(Paths))); break;
                case 7: line.AddRange(["show", "script"]); Some(line, () => Pick(Pick(Tags), "-j", "--unsupported", "--cache-dir=" + Pick(Paths))); break;
                case 8: line.AddRange(["cache", Pick("list", "show", "rm", "verify", "gc", "")]); Some(line, () => Pick(Pick(Tags), Pick(Values), "--all", "--repair", "-j", "--tags=" + Pick(Tags), "--cache-dir=" + Pick(Paths))); break;
                case 9: line.Add(Pick("lock", "replay", "diff")); Some(line, () => Pick("--tags=" + Pick(Tags), "--out=" + Pick(Paths), "--out", Pick(Paths), RecordPath(), "--version=" + Pick(Values), "--results_dir=" + Pick(Paths))); break;
                case 10: line.Add("report"); Some(line, () => Pick(Pick(Paths), "--out=" + Pick(Paths), "--title=" + Pick(Values), "--out", "cache/.records")); break;
                case 11: line.AddRange(["docs", Pick("scripts", "compat", "")]); Some(line, () => Pick("--out=" + Pick(Paths), "--library=" + Pick(Paths), "--library", Pick(Values))); break;
                case 12: line.AddRange(["docker", "script"]); Some(line, () => Pick(Pick(Tags), "--tags=" + Pick(Tags), "--output=" + Pick(Paths), "--image=" + Pick(Values), "--base_image=" + Pick(Values), "--name=" + Pick(Values))); break;
                case 13: line.Add(Pick("import", "list", "rm", "ae")); Some(line, () => Pick("repo", "check", "appendix", Pick(Paths), "scripts/fx-bad", "--to=" + Pick(Paths), "--force", "--all", "--smoke", "--claim=" + Pick(Values), "--latest=" + Pick(Values), "--claims=" + Pick(Paths), "-j")); break;
                case 14: Some(line, () => Pick(Pick(Junk), Pick(Values), Pick(Tags))); break;
                default: line.AddRange([Pick("RUN", "nosuch", "", "script", "run", "find"), Pick("script", "scripts", "", "run")]); Some(line, () => Pick(Pick(Junk), Pick(Tags))); break;
            }
            if (random.Next(8) == 0) line.Insert(random.Next(line.Count + 1), Pick(Junk));
            return [.. line];
        }

        private void RunScript(List<string> line)
        {
            line.AddRange(["run", "script"]);
            line.Add(random.Next(4) == 0 ? Pick(Tags) : "--tags=" + Pick(Tags));
            Some(line, () => random.Next(10) switch
            {
                0 => Pick("--dry-run", "-j", "--json", "--quiet", "-q", "-jq"),
                1 => Pick("--version", "--version_min", "--version_max", "--version-min") + Pick("=" + Pick(Values), ""),
                2 => $"--env.{Pick("FX_NAME", "FX_GO", "FX_G", "X", "", "A.B", "1", "FX_SIZE")}={Pick(Values)}",
                3 => $"--adr.{Pick("cached", "vars", "nosuch", "")}.{Pick("tags", "version", "version_min", "env.FX_V", "names", "")}={Pick(Values)}",
                4 => $"--{Pick("name", "size", "nosuch", "FX_NAME", "")}={Pick(Values)}",
                5 => Pick("--cache-dir", "--lock", "--locked") + Pick("=" + Pick(Paths), ""),
                6 => Pick(Values),
                7 => Pick(Junk),
                _ => Pick("--dry-run", "--quiet", "-j"),
            });
        }

        /// <summary>An existing run record (when there is one yet) or a path that is not one.</summary>
        private string RecordPath()
        {
            var records = Path.Combine(root, "cache", ".records");
            var existing = Directory.Exists(records) ? Directory.GetFiles(records).Order(StringComparer.Ordinal).ToArray() : [];
            return existing.Length > 0 && random.Next(2) == 0 ? existing[random.Next(existing.Length)] : Pick(Paths);
        }

        private void Some(List<string> line, Func<string> token)
        {
            for (var n = random.Next(6); n > 0; n--) line.Add(token());
        }

        private string Pick(params string[] choices) => choices[random.Next(choices.Length)];
    }
}
