using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Reliability.Tests.KilledRuns;

/// <summary>
/// Issue 17, item 2: a killed cm (TERM, Ctrl-C, kill -9) leaves no process of its run, commits nothing from it, and
/// the next run builds an entry that is exactly what a clean build makes. Before the fix run.sh lived on and wrote
/// into the entry the next run committed, and `cm cache verify` called that entry valid.
/// </summary>
public sealed class KilledRunTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A cached script whose run.sh, while the workspace holds a file named `slow`, starts a child that writes into
    /// the entry's folder 1.5 s later and then sleeps: the writes a surviving run.sh made into the next build.
    /// </summary>
    private static TempWorkspace Workspace(bool slow = true, string? extraRunSh = null)
    {
        var ws = new TempWorkspace();
        ws.AddScript("writer", """{"alias":"writer","uid":"d200000000000001","tags":["writer"],"cache":true,"new_env_keys":["W_*"]}""",
            $$"""
            echo started > out.txt
            if [ -f "{{ws.Root}}/slow" ]; then
              {{extraRunSh}}
              ( sleep 1.5; echo late-from-the-killed-run >> out.txt; echo W_LATE=1 >> tmp-run-env.out ) &
              sleep 60
            fi
            echo finished >> out.txt
            echo W_OUT=$PWD/out.txt >> tmp-run-env.out
            """);
        if (slow) File.WriteAllText(Path.Combine(ws.Root, "slow"), "");
        return ws;
    }

    private static bool IsRunSh(string commandLine) => commandLine.Contains("writer/run.sh", StringComparison.Ordinal) && !commandLine.Contains("cm-step", StringComparison.Ordinal);

    [LinuxProcessFact]
    public void Item02_TERM_of_cm_stops_run_sh_and_its_children_and_commits_nothing()
    {
        using var ws = Workspace();
        var result = KillDuringRunSh(ws, MarkedRun.SigTerm, out var left);
        Assert.True(result.ExitCode == 143, result.All);
        Assert.Matches(@"cm: cancelled by SIGTERM: stopped script 'writer' \(run\.sh, process group \d+\)", result.Stderr);
        Assert.Empty(left);
        Assert.Equal(0, ws.CountEntries());
        NextRunBuildsTheCleanEntry(ws);
    }

    [LinuxProcessFact]
    public void Item02_Ctrl_C_prints_what_was_stopped_exits_130_and_records_the_run_as_cancelled()
    {
        using var ws = Workspace();
        var result = KillDuringRunSh(ws, MarkedRun.SigInt, out var left);
        Assert.True(result.ExitCode == 130, result.All);
        var line = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("cm: cancelled", StringComparison.Ordinal));
        Assert.Matches(@"^cm: cancelled by SIGINT: stopped script 'writer' \(run\.sh, process group \d+\)$", line);
        Assert.Empty(left);
        Assert.Equal(0, ws.CountEntries());

        var record = JObject.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(ws.Cache, ".records"), "*.json"))));
        Assert.Equal("cancelled", (string?)record["status"]);
        Assert.Equal(130, (int?)record["exit_code"]);
        Assert.Contains("stopped script 'writer'", (string?)record["error"]?["message"]);
        NextRunBuildsTheCleanEntry(ws);
    }

    [LinuxProcessFact]
    public void Item02_kill_9_of_cm_leaves_no_process_and_the_next_run_builds_a_correct_entry()
    {
        using var ws = Workspace();
        var result = KillDuringRunSh(ws, MarkedRun.SigKill, out var left);
        Assert.True(result.ExitCode == 137, result.All);
        Assert.Empty(left);
        Assert.Equal(0, ws.CountEntries());
        NextRunBuildsTheCleanEntry(ws);
    }

    [LinuxProcessFact]
    public void Item02_a_process_that_ignores_TERM_is_killed_after_the_grace()
    {
        using var ws = Workspace(extraRunSh: "( trap '' TERM; sleep 60 ) &");
        var started = DateTime.UtcNow;
        var result = KillDuringRunSh(ws, MarkedRun.SigTerm, out var left);
        Assert.True(result.ExitCode == 143, result.All);
        Assert.Empty(left);
        output.WriteLine($"TERM to exit with a TERM-proof child: {(DateTime.UtcNow - started).TotalSeconds:0.0} s (run start included)");
        NextRunBuildsTheCleanEntry(ws);
    }

    [LinuxProcessFact(NeedsPython = true)]
    public void Item02_kill_9_of_cm_during_a_customize_py_hook_ends_the_host_and_what_the_hook_started()
    {
        using var ws = WithSlowHook();
        using var run = new MarkedRun(ws.Root, "run", "script", "--tags=writer", "--quiet");
        Assert.True(run.WaitForProcess(c => c == "sleep 60", Long), "the hook's child never started");
        run.Signal(MarkedRun.SigKill);
        Assert.Equal(137, run.Result(Long).ExitCode);
        var left = run.LeftAfter(TimeSpan.FromSeconds(5));
        Assert.True(left.Count == 0, "left: " + string.Join("; ", left));
        Assert.Equal(0, ws.CountEntries());
    }

    [LinuxProcessFact(NeedsPython = true)]
    public void Item02_TERM_of_cm_during_a_customize_py_hook_names_the_hook_it_stopped()
    {
        using var ws = WithSlowHook();
        using var run = new MarkedRun(ws.Root, "run", "script", "--tags=writer", "--quiet");
        Assert.True(run.WaitForProcess(c => c == "sleep 60", Long), "the hook's child never started");
        run.Signal(MarkedRun.SigTerm);
        var result = run.Result(Long);
        Assert.True(result.ExitCode == 143, result.All);
        Assert.Matches(@"cm: cancelled by SIGTERM: stopped script 'writer' \(customize\.py preprocess\(\), process group \d+\)", result.Stderr);
        Assert.Empty(run.LeftAfter(TimeSpan.Zero));
    }

    /// <summary>The writer with a customize.py whose preprocess waits for a child of its own.</summary>
    private static TempWorkspace WithSlowHook()
    {
        var ws = Workspace(slow: false);
        File.WriteAllText(Path.Combine(ws.Root, "scripts", "writer", "customize.py"), """
            import subprocess

            def preprocess(i):
                subprocess.run(['sleep', '60'])
                return {'return': 0}
            """);
        return ws;
    }

    /// <summary>Starts the slow build, signals cm once run.sh runs, and returns cm's result and what of the run is still alive.</summary>
    private CmResult KillDuringRunSh(TempWorkspace ws, int signal, out IReadOnlyList<LiveProcess> left)
    {
        using var run = new MarkedRun(ws.Root, "run", "script", "--tags=writer", "--quiet");
        Assert.True(run.WaitForProcess(IsRunSh, Long), "run.sh never started");
        Thread.Sleep(200); // its background writer is started too
        run.Signal(signal);
        var result = run.Result(Long);
        // TERM and Ctrl-C: cm exits only once the group is gone. kill -9: the group's watcher ends it within moments.
        left = run.LeftAfter(signal == MarkedRun.SigKill ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);
        output.WriteLine($"cm exited {result.ExitCode}; left: {left.Count}{string.Concat(left.Select(p => "\n  " + p))}\n{result.Stderr}");
        return result;
    }

    /// <summary>The next run (fast now) builds the entry a clean build makes, verify calls it valid, and nothing writes into it afterwards.</summary>
    private static void NextRunBuildsTheCleanEntry(TempWorkspace ws)
    {
        File.Delete(Path.Combine(ws.Root, "slow"));
        var next = ws.Cm("run", "script", "--tags=writer", "--quiet", "-j");
        Assert.True(next.ExitCode == 0, next.All);
        Assert.DoesNotContain("W_LATE", next.Stdout);
        var folder = Assert.Single(Directory.GetDirectories(ws.Cache), d => File.Exists(Path.Combine(d, "entry.json")));
        Thread.Sleep(2000); // past the moment the killed run's child would have written
        Assert.Equal("started\nfinished\n", File.ReadAllText(Path.Combine(folder, "out.txt")));
        Assert.False(File.Exists(Path.Combine(folder, Automation.Core.World.SessionWrapper.BusyFileName)));
        var verify = ws.Cm("cache", "verify");
        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.Contains("1 checked, 1 valid, 0 problem(s)", verify.Stdout);
    }
}
