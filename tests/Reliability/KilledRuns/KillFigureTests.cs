using System.Diagnostics;
using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Reliability.Tests.KilledRuns;

/// <summary>
/// Issue 17's kill figure: kill -9, TERM and INT (in turn) at 50 random moments of a cached build (cm's start-up,
/// a customize.py hook, run.sh and the child it leaves writing in the background, the commit, the exit), each
/// followed by the next run of the same script. Figures: processes of the killed runs left, and entries that
/// `cm cache verify` calls valid but that differ from a clean build of the same script.
/// </summary>
public sealed class KillFigureTests(ITestOutputHelper output)
{
    private const int Kills = 50;

    private const string RunSh = """
        echo part1 > a.txt
        sleep 0.1
        ( sleep 0.15; echo child >> b.txt ) &
        echo part2 >> a.txt
        sleep 0.1
        wait
        echo K_A=$PWD/a.txt >> tmp-run-env.out
        echo K_B=$PWD/b.txt >> tmp-run-env.out
        """;

    private const string Customize = """
        import subprocess

        def preprocess(i):
            subprocess.run(['sleep', '0.1'])
            return {'return': 0}
        """;

    [LinuxProcessFact]
    public void Item02_figure_kill_9_TERM_and_INT_at_50_random_moments_leave_no_process_and_no_wrong_entry()
    {
        var clock = Stopwatch.StartNew();
        using var ws = new TempWorkspace();
        var withHook = Executables("python3");
        foreach (var name in Enumerable.Range(0, Kills).Select(Name).Append("ref").Append("timed"))
        {
            var dir = ws.AddScript(name, $$"""{"alias":"{{name}}","uid":"{{Uid(name)}}","tags":["kill-figure","{{name}}"],"cache":true,"new_env_keys":["K_*"]}""", RunSh);
            if (withHook) File.WriteAllText(Path.Combine(dir, "customize.py"), Customize);
        }

        // The clean build every entry must equal; then how long a build takes once the catalog index and the
        // customize host's files exist, so the kills land anywhere from cm's start to its exit.
        var clean = ws.Cm("run", "script", "--tags=ref", "--quiet");
        Assert.True(clean.ExitCode == 0, clean.All);
        var reference = Contents(ws, "ref") ?? throw new InvalidOperationException("the clean build committed no entry");
        var timed = Stopwatch.StartNew();
        Assert.Equal(0, ws.Cm("run", "script", "--tags=timed", "--quiet").ExitCode);
        var span = timed.Elapsed;

        var seed = Environment.GetEnvironmentVariable("CM_KILL_FIGURE_SEED") is { } s && int.TryParse(s, out var given) ? given : Random.Shared.Next();
        var random = new Random(seed);
        int[] signals = [MarkedRun.SigKill, MarkedRun.SigTerm, MarkedRun.SigInt];
        var left = new List<string>();
        var outcomes = new Dictionary<string, int>();
        Task<CmResult>? next = null;
        for (var i = 0; i < Kills; i++)
        {
            var signal = signals[i % signals.Length];
            var moment = span * random.NextDouble();
            using (var run = new MarkedRun(ws.Root, "run", "script", $"--tags={Name(i)}", "--quiet"))
            {
                Thread.Sleep(moment);
                var finished = run.WaitForExit(TimeSpan.Zero);
                if (!finished) run.Signal(signal);
                var result = run.Result(TimeSpan.FromSeconds(60));
                var outcome = finished ? "finished before the signal" : $"{SignalName(signal)} -> exit {result.ExitCode}";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                left.AddRange(run.LeftAfter(TimeSpan.FromSeconds(5)).Select(p => $"kill {i} ({SignalName(signal)} at {moment.TotalSeconds:0.00} s): {p}"));
            }
            // The next run builds where the killed one left off (or reuses what it committed), at once; it overlaps
            // the next kill, which is another script's.
            CheckNext(next, i - 1);
            var script = Name(i);
            next = Task.Run(() => ws.Cm("run", "script", $"--tags={script}", "--quiet"));
        }
        CheckNext(next, Kills - 1);

        Thread.Sleep(1000); // a straggler's late write would land by now
        var verify = ws.Cm("cache", "verify", "-j");
        var problems = JObject.Parse(verify.Stdout)["problems"]!.Select(p => (string)p["key"]!).ToHashSet();
        var wrong = new List<string>();
        var valid = 0;
        foreach (var name in Enumerable.Range(0, Kills).Select(Name))
        {
            var key = EntryKey(ws, name);
            if (key is null || problems.Contains(key)) continue;
            valid++;
            var contents = Contents(ws, name);
            if (contents is null || !contents.SequenceEqual(reference)) wrong.Add($"{name}: {string.Join(", ", Diff(reference, contents))}");
        }

        var figure = $"""
            kill figure: {Kills} kills (kill -9, TERM, INT in turn) at random moments of a {span.TotalSeconds:0.00} s cached build (seed {seed}{(withHook ? ", with a customize.py hook" : ", no python3: no hook")})
              outcomes: {string.Join("; ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"))}
              processes left: {left.Count}
              entries valid per `cm cache verify`: {valid} of {Kills}; valid but different from a clean build: {wrong.Count}
              duration: {clock.Elapsed.TotalSeconds:0} s
            """;
        output.WriteLine(figure);
        Console.WriteLine(figure);
        Assert.True(left.Count == 0, string.Join("\n", left));
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(Kills, valid);
    }

    private static void CheckNext(Task<CmResult>? next, int kill)
    {
        if (next is null) return;
        var result = next.GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"the run after kill {kill}: {result.All}");
    }

    private static string Name(int i) => $"k{i:00}";

    private static string Uid(string name) => ("f1" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(name)).ToLowerInvariant()).PadRight(16, '0');

    private static string SignalName(int signal) => signal switch { MarkedRun.SigKill => "KILL", MarkedRun.SigTerm => "TERM", _ => "INT" };

    private static bool Executables(string tool) => Automation.Core.World.Executables.FindOnPath(tool, Environment.GetEnvironmentVariable("PATH")) is not null;

    /// <summary>The committed entry of the script, by its alias in entry.json.</summary>
    private static string? EntryKey(TempWorkspace ws, string alias) =>
        Directory.GetDirectories(ws.Cache)
            .Select(d => Path.Combine(d, "entry.json"))
            .Where(File.Exists)
            .Select(f => JObject.Parse(File.ReadAllText(f)))
            .Where(e => (string?)e["script_alias"] == alias)
            .Select(e => (string?)e["key"])
            .FirstOrDefault();

    /// <summary>What the entry holds, its own folder written as &lt;entry&gt;: every file the script made, plus the env and state entry.json stores.</summary>
    private static SortedDictionary<string, string>? Contents(TempWorkspace ws, string alias)
    {
        if (EntryKey(ws, alias) is not { } key) return null;
        var folder = Path.Combine(ws.Cache, key);
        string Normal(string text) => text.Replace(folder, "<entry>", StringComparison.Ordinal);
        var contents = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(folder, file);
            // entry.json, entry.files.json: the store's own records of the entry (times, hashes of the folder's path).
            if (!name.StartsWith(Automation.Core.Caching.CacheManifest.ReservedPrefix, StringComparison.Ordinal)) contents[name] = Normal(File.ReadAllText(file));
        }
        var entry = JObject.Parse(File.ReadAllText(Path.Combine(folder, "entry.json")));
        contents["entry.json: env"] = Normal(entry["env"]?.ToString() ?? "");
        contents["entry.json: state"] = Normal(entry["state"]?.ToString() ?? "");
        return contents;
    }

    private static IEnumerable<string> Diff(SortedDictionary<string, string> reference, SortedDictionary<string, string>? contents)
    {
        if (contents is null) { yield return "entry vanished"; yield break; }
        foreach (var (name, text) in reference)
            if (!contents.TryGetValue(name, out var other)) yield return $"{name} missing";
            else if (other != text) yield return $"{name} differs ({text.Trim()} -> {other.Trim()})";
        foreach (var name in contents.Keys.Where(n => !reference.ContainsKey(n))) yield return $"{name} extra";
    }
}
