using System.Diagnostics;

namespace Automation.Bench;

/// <summary>
/// Issue 15's figures, side by side with MLCFlow 1.3.6 on the same library folder in the same run: a cached
/// `get,python3` with the MLC library and our scripts registered, an uncached `detect,os` (one customize.py + run.sh),
/// and a 20-step customize.py-heavy plan against one step (the Python host starts once per run, not per step).
/// MLCFlow is set up offline by ../shared/tools/mlcflow-setup.sh (Debian packages, root).
/// </summary>
public static class CustomizeBench
{
    public sealed record Figures(double CmCachedPython, double MlcCachedPython, double CmUncachedDetectOs, double MlcUncachedDetectOs,
        double CmTwentySteps, double CmOneStep);

    public static Figures? Measure(string cm, string repo, string temp, int runs)
    {
        var setup = Path.Combine(repo, "..", "shared", "tools", "mlcflow-setup.sh");
        if (!File.Exists(setup))
        {
            Console.Error.WriteLine($"bench: {setup} not found; the MLCFlow comparison is left out.");
            return null;
        }
        var mlcDir = Path.Combine(temp, "mlcflow");
        if (Run("bash", [setup, mlcDir], temp, null, TimeSpan.FromMinutes(15)) != 0)
        {
            Console.Error.WriteLine("bench: mlcflow-setup.sh failed; the MLCFlow comparison is left out.");
            return null;
        }
        var library = Path.Combine(mlcDir, "repos", "mlcommons@mlperf-automations");
        var cleanPath = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(p => !p.StartsWith(temp, StringComparison.Ordinal)));
        var mlc = Path.Combine(mlcDir, "venv", "bin", "mlc");
        var mlcEnv = new Dictionary<string, string> { ["MLC_REPOS"] = Path.Combine(mlcDir, "repos"), ["PATH"] = cleanPath };
        var mlcCwd = Directory.CreateDirectory(Path.Combine(temp, "mlc-cwd")).FullName;
        var cmHome = Path.Combine(temp, "cm-repos-customize");
        var cmEnv = new Dictionary<string, string> { ["CM_REPOS"] = cmHome, ["PATH"] = cleanPath, ["CM_CACHE_DIR"] = Path.Combine(temp, "cm-cache-customize") };
        Check(Run(cm, ["pull", "repo", library], repo, cmEnv));

        // Cached get,python3: both tools warm their cache first.
        string[] python = ["run", "script", "--tags=get,python3", "--quiet"];
        Check(Run(cm, python, repo, cmEnv));
        Check(Run(mlc, python, mlcCwd, mlcEnv));
        var cmCached = Median(runs, () => Time(cm, [.. python, "-j"], repo, cmEnv));
        var mlcCached = Median(Math.Min(runs, 7), () => Time(mlc, python, mlcCwd, mlcEnv));

        // Uncached detect,os: each run starts from an empty cache (MLCFlow's entry removed, cm given a fresh cache).
        string[] detect = ["run", "script", "--tags=detect,os", "--quiet"];
        var n = 0;
        var cmUncached = Median(Math.Min(runs, 11), () =>
            Time(cm, detect, repo, new Dictionary<string, string>(cmEnv) { ["CM_CACHE_DIR"] = Path.Combine(temp, $"cm-cache-detect-{n++}") }));
        var mlcUncached = Median(Math.Min(runs, 7), () =>
        {
            Run(mlc, ["rm", "cache", "--tags=detect-os", "-f"], mlcCwd, mlcEnv);
            return Time(mlc, detect, mlcCwd, mlcEnv);
        });

        // 20 uncached steps that each run a customize.py preprocess, against one such step.
        var ws = HookChain(temp, 20);
        var twenty = Median(Math.Min(runs, 11), () => Time(cm, ["run", "script", "hook-0", "--quiet"], ws, new Dictionary<string, string> { ["CM_REPOS"] = cmHome }));
        var one = Median(Math.Min(runs, 11), () => Time(cm, ["run", "script", "hook-19", "--quiet"], ws, new Dictionary<string, string> { ["CM_REPOS"] = cmHome }));
        return new Figures(cmCached, mlcCached, cmUncached, mlcUncached, twenty, one);
    }

    /// <summary>hook-0 → hook-1 → … → hook-(n-1), uncached, each with a customize.py preprocess that sets one env key.</summary>
    private static string HookChain(string root, int length)
    {
        var ws = Path.Combine(root, "hook-chain");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(ws).FullName, ".cm-workspace"), "");
        for (var i = 0; i < length; i++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(ws, "scripts", $"hook-{i}")).FullName;
            var deps = i + 1 < length ? $"[{{\"tags\":\"hook-{i + 1}\"}}]" : "[]";
            File.WriteAllText(Path.Combine(dir, "_cm.json"),
                $"{{\"alias\":\"hook-{i}\",\"uid\":\"h{i:D15}\",\"tags\":[\"hook-{i}\"],\"deps\":{deps},\"new_env_keys\":[\"CM_HOOK_*\"]}}");
            File.WriteAllText(Path.Combine(dir, "customize.py"), $"def preprocess(i):\n    i['env']['CM_HOOK_{i}'] = 'yes'\n    return {{'return': 0}}\n");
        }
        return ws;
    }

    private static void Check(int exit)
    {
        if (exit != 0) throw new InvalidOperationException($"a benchmark step exited {exit}");
    }

    private static double Median(int n, Func<double> measure)
    {
        var values = Enumerable.Range(0, n).Select(_ => measure()).Order().ToList();
        return values[values.Count / 2];
    }

    private static double Time(string file, IReadOnlyList<string> args, string cwd, IReadOnlyDictionary<string, string> env)
    {
        var sw = Stopwatch.StartNew();
        Check(Run(file, args, cwd, env));
        return sw.Elapsed.TotalMilliseconds;
    }

    private static int Run(string file, IReadOnlyList<string> args, string cwd, IReadOnlyDictionary<string, string>? env, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5))) { p.Kill(true); return -1; }
        _ = output.Result + error.Result;
        return p.ExitCode;
    }
}
