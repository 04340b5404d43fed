using System.Diagnostics;
using System.Globalization;
using Automation.Core.Caching;
using Automation.Core.Catalog;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;

namespace Automation.Bench;

/// <summary>
/// Engine benchmarks (issue 3): start-up and cached runs of the published cm, what the ./cm wrapper adds to a call,
/// plan time for a 200-script graph, and cache lookup at 10,000 vs 10 entries. Every figure is printed beside a
/// baseline measured in the same run.
/// Usage: dotnet run -c Release --project bench/Automation.Bench -- [path/to/cm] [--runs N]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var repo = FindRepo();
        var cm = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine(repo, "artifacts", "cm", "cm");
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(31);
        if (!File.Exists(cm))
        {
            Console.Error.WriteLine($"bench: {cm} not found; run ./cm --version once to publish it, or pass the binary's path.");
            return 2;
        }
        using var temp = new TempDir();
        var rows = new List<(string What, double Value, string Unit, string Baseline, double BaselineValue, string Target)>();

        var trueMs = Median(runs, () => Time("/bin/true", [], repo));
        var pythonMs = Median(runs, () => Time(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", ["-c", "pass"], repo));
        var help = Median(runs, () => Time(cm, ["--help"], repo));
        rows.Add(("cm --help start-up", help, "ms", "process start (/bin/true)", trueMs, "CM `cm version`: 126 ms"));

        var wrapper = Path.Combine(repo, "cm");
        if (Path.GetFullPath(cm) == Path.Combine(repo, "artifacts", "cm", "cm") && File.Exists(wrapper))
        {
            // Interleaved pairs, so that load from other processes falls on both sides of each difference.
            Run(wrapper, ["--version"], repo);
            var pairs = Enumerable.Range(0, 3 * runs).Select(_ => (Binary: Time(cm, ["--version"], repo), Wrapper: Time(wrapper, ["--version"], repo))).ToList();
            var binaryMs = Median(pairs.Select(p => p.Binary));
            rows.Add(("./cm wrapper overhead (./cm − cm)", Median(pairs.Select(p => p.Wrapper - p.Binary)), "ms", "cm --version", binaryMs, "≤ 2 ms (was ~7 ms: bash + find over src/)"));
        }

        var cacheDir = Path.Combine(temp.Path, "cache");
        Run(cm, ["run", "script", "--tags=get,python3", "-j", "--quiet", "--cache-dir", cacheDir], repo);
        var python = Median(runs, () => Time(cm, ["run", "script", "--tags=get,python3", "-j", "--cache-dir", cacheDir], repo));
        rows.Add(("cached run get,python3 -j", python, "ms", "python3 -c pass", pythonMs, "≤ 15 ms (CM: 145 ms)"));

        var chain = ChainWorkspace(temp.Path, 10);
        Run(cm, ["run", "script", "chain-0", "-j", "--quiet"], chain);
        var chainMs = Median(runs, () => Time(cm, ["run", "script", "chain-0", "-j"], chain));
        rows.Add(("cached 10-deep chain -j", chainMs, "ms", "cached get,python3", python, "≤ 30 ms"));

        var graph = GraphWorkspace(temp.Path, 200);
        var dryRun = Median(Math.Min(runs, 11), () => Time(cm, ["run", "script", "node-199", "--dry-run"], graph));
        var catalog = ScriptCatalog.Load(PhysicalFileSystem.Instance, [Path.Combine(graph, "scripts")]);
        var resolver = new Resolver(catalog);
        resolver.Resolve(new RunRequest { Name = "node-199" });
        var planMs = Median(runs, () => { var sw = Stopwatch.StartNew(); resolver.Resolve(new RunRequest { Name = "node-199" }); return sw.Elapsed.TotalMilliseconds; });
        rows.Add(("plan 200-script graph (resolver)", planMs, "ms", "cm --help start-up", help, "≤ 200 ms"));
        rows.Add(("plan 200-script graph (cm --dry-run)", dryRun, "ms", "cm --help start-up", help, "≤ 200 ms"));

        var ratio = CacheBenchmark.LookupRatio(Path.Combine(temp.Path, "lookup"), 10, 10_000);
        rows.Add(("cache lookup 10,000 ÷ 10 entries", ratio, "×", "(ratio)", 1, "≤ 1.5"));

        Console.WriteLine($"Engine benchmark, median of {runs} runs, {Environment.ProcessorCount} cores, cm = {cm}");
        Console.WriteLine($"{"measure",-40} {"value",10} {"baseline",-28} {"base",9} {"÷ base",8}  target");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.What,-40} {r.Value,8:0.00} {r.Unit,-2} {r.Baseline,-28} {r.BaselineValue,9:0.00} {r.Value / r.BaselineValue,8:0.00}  {r.Target}"));
        return 0;
    }

    private static string ChainWorkspace(string root, int depth)
    {
        var ws = Workspace(root, "chain");
        for (var i = 0; i < depth; i++)
        {
            var deps = i + 1 < depth ? $"[{{\"tags\":\"chain-{i + 1}\"}}]" : "[]";
            Script(ws, $"chain-{i}", $"{{\"alias\":\"chain-{i}\",\"uid\":\"c{i:D15}\",\"tags\":[\"chain-{i}\"],\"cache\":true,\"deps\":{deps},\"new_env_keys\":[\"CM_CHAIN_*\"]}}",
                $"echo CM_CHAIN_{i}=done > tmp-run-env.out");
        }
        return ws;
    }

    /// <summary>200 scripts; each depends on up to three earlier ones (a fixed pseudo-random DAG), the last on many.</summary>
    private static string GraphWorkspace(string root, int count)
    {
        var ws = Workspace(root, "graph");
        var random = new Random(42);
        for (var i = 0; i < count; i++)
        {
            var deps = i == 0 ? [] : Enumerable.Range(0, Math.Min(i, i == count - 1 ? 20 : 3)).Select(_ => random.Next(i)).Distinct()
                .Select(d => $"{{\"tags\":\"node-{d}\",\"names\":[\"n{d}\"]}}").ToArray();
            Script(ws, $"node-{i}", $"{{\"alias\":\"node-{i}\",\"uid\":\"n{i:D15}\",\"tags\":[\"node-{i}\",\"graph\"],\"cache\":{(i % 2 == 0 ? "true" : "false")},\"default_env\":{{\"CM_NODE_{i}\":\"{i}\"}},\"variations\":{{\"a\":{{\"group\":\"g\",\"default\":true}},\"b\":{{\"group\":\"g\"}}}},\"deps\":[{string.Join(',', deps)}]}}", null);
        }
        return ws;
    }

    private static string Workspace(string root, string name)
    {
        var ws = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(ws, "scripts"));
        File.WriteAllText(Path.Combine(ws, Automation.Core.Catalog.Workspace.MarkerFile), "");
        return ws;
    }

    private static void Script(string ws, string alias, string meta, string? run)
    {
        var dir = Path.Combine(ws, "scripts", alias);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "_cm.json"), meta);
        if (run is not null) File.WriteAllText(Path.Combine(dir, "run.sh"), run + "\n");
    }

    private static double Median(int n, Func<double> measure) => Median(Enumerable.Range(0, n).Select(_ => measure()).ToList());

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static double Time(string file, IReadOnlyList<string> args, string cwd)
    {
        var sw = Stopwatch.StartNew();
        Run(file, args, cwd);
        return sw.Elapsed.TotalMilliseconds;
    }

    private static void Run(string file, IReadOnlyList<string> args, string cwd)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}");
    }

    private static string FindRepo()
    {
        for (var d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Automation.sln"))) return d;
        return Environment.CurrentDirectory;
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cm-bench-").FullName;
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
    }
}
