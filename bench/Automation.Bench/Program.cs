using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Automation.Core.Caching;
using Automation.Core.Catalog;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;

namespace Automation.Bench;

/// <summary>
/// Engine benchmarks (issue 3): start-up and cached runs of the published cm, what the ./cm wrapper adds to a call,
/// plan time for a 200-script graph, cache lookup at 10,000 vs 10 entries; (issue 14) `cm find script --tags=get` with
/// the MLC script library registered beside ours; (issue 15) customize.py runs of the real library against MLCFlow's
/// (--no-mlcflow skips them). Every figure is printed beside a baseline measured in the same run.
/// Usage: dotnet run -c Release --project bench/Automation.Bench -- [path/to/cm] [--runs N] [--no-mlcflow]
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

        if (LibraryFind(cm, repo, temp.Path, runs) is { } find)
        {
            rows.Add(("find --tags=get, ours only", find.Ours, "ms", "cm --help start-up", help, ""));
            rows.Add(($"find --tags=get, MLC library ({find.Scripts}) + ours", find.WithLibrary, "ms", "find, ours only", find.Ours, "< 50 ms"));
        }

        if (!args.Contains("--no-mlcflow") && CustomizeBench.Measure(cm, repo, temp.Path, runs) is { } hooks)
        {
            rows.Add(("cached get,python3, MLC library + ours", hooks.CmCachedPython, "ms", "MLCFlow cached, same library", hooks.MlcCachedPython, "≤ 20 ms, ÷ base ≤ 0.01"));
            rows.Add(("uncached detect,os (customize.py+run)", hooks.CmUncachedDetectOs, "ms", "MLCFlow uncached, same", hooks.MlcUncachedDetectOs, "÷ base ≤ 0.2"));
            rows.Add(("20 customize.py steps, one run", hooks.CmTwentySteps, "ms", "1 customize.py step", hooks.CmOneStep, "Python started once"));
        }

        Console.WriteLine($"Engine benchmark, median of {runs} runs, {Environment.ProcessorCount} cores, cm = {cm}");
        Console.WriteLine($"{"measure",-40} {"value",10} {"baseline",-28} {"base",9} {"÷ base",8}  target");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.What,-40} {r.Value,8:0.00} {r.Unit,-2} {r.Baseline,-28} {r.BaselineValue,9:0.00} {r.Value / r.BaselineValue,8:0.00}  {r.Target}"));
        return 0;
    }

    /// <summary>
    /// `cm find script --tags=get` in this checkout with the vendored MLC library (mlperf-automations, ../shared/vendor)
    /// registered by `cm pull repo`, answered from the catalog index; against the same with no repository registered.
    /// </summary>
    private static (double Ours, double WithLibrary, int Scripts)? LibraryFind(string cm, string repo, string temp, int runs)
    {
        var tarball = Path.Combine(repo, "..", "shared", "vendor", "mlperf-automations-20d3d94-script.tar.gz");
        if (!File.Exists(tarball))
        {
            Console.Error.WriteLine($"bench: {tarball} not found; the library find figure is left out.");
            return null;
        }
        var extracted = Path.Combine(temp, "library");
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            TarFile.ExtractToDirectory(gzip, Directory.CreateDirectory(extracted).FullName, overwriteFiles: false);
        var library = Directory.EnumerateDirectories(extracted).Single();
        var scripts = Directory.EnumerateDirectories(Path.Combine(library, "script")).Count();
        // The catalog index refuses metas written within the last seconds; the extracted files are older than that.
        var ours = new Dictionary<string, string> { ["CM_REPOS"] = Path.Combine(temp, "no-repos"), ["CM_CACHE_DIR"] = Path.Combine(temp, "find-cache-ours") };
        var withLibrary = new Dictionary<string, string> { ["CM_REPOS"] = Path.Combine(temp, "cm-home"), ["CM_CACHE_DIR"] = Path.Combine(temp, "find-cache-lib") };
        Run(cm, ["pull", "repo", library], repo, withLibrary);
        string[] find = ["find", "script", "--tags=get"];
        Run(cm, find, repo, ours);
        Run(cm, find, repo, withLibrary);
        return (Median(runs, () => Time(cm, find, repo, ours)), Median(runs, () => Time(cm, find, repo, withLibrary)), scripts);
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

    private static double Time(string file, IReadOnlyList<string> args, string cwd, IReadOnlyDictionary<string, string>? env = null)
    {
        var sw = Stopwatch.StartNew();
        Run(file, args, cwd, env);
        return sw.Elapsed.TotalMilliseconds;
    }

    private static void Run(string file, IReadOnlyList<string> args, string cwd, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The developer's registered repositories (~/CM) would change every figure.
        psi.Environment["CM_REPOS"] = Path.Combine(Path.GetTempPath(), "cm-bench-no-repos");
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
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
