using Automation.Core.Customize;
using Automation.Core.Errors;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>customize.py hooks through the real engine and the real Python host: one child per run, and bad hooks.</summary>
public sealed class CustomizeHostTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cm-hooks-").FullName;
    private ScriptHarness? harness;

    private ScriptHarness Cm => harness ??= new ScriptHarness(root);

    private void Script(string alias, string meta, string customize, string? runSh = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, alias)).FullName;
        File.WriteAllText(Path.Combine(dir, "_cm.json"), meta);
        File.WriteAllText(Path.Combine(dir, "customize.py"), customize);
        if (runSh is not null) File.WriteAllText(Path.Combine(dir, "run.sh"), "#!/bin/bash\n" + runSh + "\n");
    }

    [Fact]
    public async Task A_twenty_step_plan_of_hooks_starts_python_once()
    {
        for (var i = 0; i < 20; i++)
            Script($"hook-{i}", $$"""{"alias":"hook-{{i}}","uid":"h{{i:D15}}","tags":["hook-{{i}}"],"deps":{{(i + 1 < 20 ? $"[{{\"tags\":\"hook-{i + 1}\"}}]" : "[]")}},"new_env_keys":["CM_HOOK_*"]}""",
                $"def preprocess(i):\n    i['env']['CM_HOOK_{i}'] = str(len(i['env']))\n    return {{'return': 0}}\n");

        var run = await Cm.RunAsync("hook-0");

        Assert.Equal(20, run.Steps.Count);
        Assert.All(run.Steps, s => Assert.Contains($"CM_HOOK_{s.Script[5..]}", s.Outcome.NewEnv.Keys));
        Assert.Equal(1, Cm.PythonStarts);
    }

    [Fact]
    public async Task A_nested_run_from_a_hook_goes_back_into_the_same_engine_run()
    {
        Script("inner-tool", """{"alias":"inner-tool","uid":"i1","tags":["inner-tool"],"cache":true,"new_env_keys":["CM_INNER_*"]}""",
            "def preprocess(i):\n    i['env']['CM_INNER_SEEN'] = i['env'].get('CM_FROM_OUTER', 'nothing')\n    return {'return': 0}\n");
        Script("outer-app", """{"alias":"outer-app","uid":"o1","tags":["outer-app"],"new_env_keys":["CM_OUTER_*"]}""", """
            import mlc
            from cmind import utils

            def preprocess(i):
                env = i['env']
                r = mlc.access({'action': 'run', 'automation': 'script', 'tags': 'inner-tool', 'env': {'CM_FROM_OUTER': 'hello'}, 'quiet': True})
                if r['return'] > 0:
                    return r
                env['CM_OUTER_GOT'] = r['new_env']['CM_INNER_SEEN']
                found = i['automation'].action_object.access({'action': 'search', 'automation': 'script', 'tags': 'inner-tool'})
                env['CM_OUTER_FOUND'] = found['list'][0].path
                return {'return': 0}
            """.Replace("            ", ""));

        var run = await Cm.RunAsync("outer-app");

        Assert.Equal("hello", run.Root.Outcome.NewEnv["CM_OUTER_GOT"]);
        Assert.Equal(Path.Combine(root, "inner-tool"), run.Root.Outcome.NewEnv["CM_OUTER_FOUND"]);
        // The nested run is a step of this run, with this run's cache: a second run serves it from there.
        Assert.Contains(run.Steps, s => s.Script == "inner-tool" && s.Cached);
        Assert.Equal(1, Cm.PythonStarts);
        // The host outlives the run (its cwd, the first run's work folder, is gone when the second run remakes it).
        var again = await Cm.RunAsync("outer-app");
        Assert.Contains(again.Steps, s => s.Script == "inner-tool" && s.FromCache);
    }

    [Fact]
    public void A_run_served_wholly_from_the_cache_starts_no_python()
    {
        using var ws = new TempWorkspace();
        var dir = ws.AddScript("cached-hook", """{"alias":"cached-hook","uid":"c1","tags":["cached-hook"],"cache":true,"new_env_keys":["CM_CACHED_*"]}""");
        File.WriteAllText(Path.Combine(dir, "customize.py"), "def preprocess(i):\n    i['env']['CM_CACHED_HOOK'] = 'ran'\n    return {'return': 0}\n");
        // A python3 that notes each start, then runs the real one.
        var starts = Path.Combine(ws.Root, "python-starts.log");
        var python = Path.Combine(ws.Root, "counting-python3");
        File.WriteAllText(python, $"#!/bin/sh\necho started >> '{starts}'\nexec python3 \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string> { ["CM_PYTHON_HOST"] = python };

        var first = ws.Cm(env, "run", "script", "cached-hook", "-j");
        var second = ws.Cm(env, "run", "script", "cached-hook", "-j");

        Assert.True(first.ExitCode == 0, first.All);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal("ran", (string?)Newtonsoft.Json.Linq.JObject.Parse(second.Stdout)["new_env"]!["CM_CACHED_HOOK"]);
        Assert.Single(File.ReadAllLines(starts));
    }

    [Fact]
    public async Task A_hook_that_raises_names_the_script_the_hook_the_line_and_leaves_no_entry()
    {
        Script("bad-raise", """{"alias":"bad-raise","uid":"b1","tags":["bad-raise"],"cache":true}""",
            "import os\n\ndef preprocess(i):\n    env = i['env']\n    raise ValueError('no model named ' + env.get('CM_MODEL', 'x'))\n", "echo should-not-run");

        var e = await Assert.ThrowsAsync<CustomizeHookException>(() => Cm.RunAsync("bad-raise"));

        Assert.Contains("customize.py preprocess() of script 'bad-raise' raised ValueError: no model named x", e.Message);
        Assert.Contains("customize.py:5", e.Message);
        var kept = e.Message[(e.Message.IndexOf("traceback is in ", StringComparison.Ordinal) + 16)..].TrimEnd('.');
        Assert.Contains("Traceback", File.ReadAllText(kept));
        Assert.Empty(Directory.EnumerateFiles(Cm.CacheDir, "entry.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_hook_returning_an_error_a_syntax_error_and_a_missing_module_are_one_paragraph_each()
    {
        Script("bad-return", """{"alias":"bad-return","uid":"b2","tags":["bad-return"]}""",
            "def preprocess(i):\n    return {'return': 1, 'error': 'Please set --dataset_path'}\n");
        Script("bad-syntax", """{"alias":"bad-syntax","uid":"b3","tags":["bad-syntax"]}""", "def preprocess(i)\n    return {'return': 0}\n");
        Script("bad-import", """{"alias":"bad-import","uid":"b4","tags":["bad-import"]}""", "import no_such_module_here\n\ndef preprocess(i):\n    return {'return': 0}\n");

        var returned = await Assert.ThrowsAsync<CustomizeHookException>(() => Cm.RunAsync("bad-return"));
        Assert.Contains("returned an error: Please set --dataset_path", returned.Message);
        var syntax = await Assert.ThrowsAsync<CustomizeHookException>(() => Cm.RunAsync("bad-syntax"));
        Assert.Contains("syntax error", syntax.Message);
        Assert.Contains("customize.py:1", syntax.Message);
        var import = await Assert.ThrowsAsync<CustomizeHookException>(() => Cm.RunAsync("bad-import"));
        Assert.Contains("no_such_module_here", import.Message);
        Assert.DoesNotContain('\n', returned.Message + syntax.Message + import.Message);
    }

    [Fact]
    public async Task A_hook_that_loops_forever_is_killed_when_the_run_is_cancelled()
    {
        Script("bad-loop", """{"alias":"bad-loop","uid":"b5","tags":["bad-loop"]}""", "def preprocess(i):\n    while True:\n        pass\n");
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Cm.RunAsync("bad-loop", timeLimit: TimeSpan.FromSeconds(3)));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_missing_python_says_what_to_install()
    {
        Script("needs-python", """{"alias":"needs-python","uid":"b6","tags":["needs-python"]}""", "def preprocess(i):\n    return {'return': 0}\n");
        Cm.Python = "/nonexistent/python3";

        var e = await Assert.ThrowsAsync<AutomationException>(() => Cm.RunAsync("needs-python"));

        Assert.Contains("needs Python for its customize.py", e.Message);
        Assert.Contains("apt-get install python3", e.Message);
    }

    public void Dispose()
    {
        harness?.Dispose();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
