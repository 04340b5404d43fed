using Xunit;

namespace Automation.Cli.Tests.EngineCli;

/// <summary>Each kind of bad input: a one-paragraph error naming the file/script and a fix, exit ≠ 0, no stack trace, cache untouched.</summary>
public sealed class ErrorCliTests : IDisposable
{
    private readonly TempWorkspace ws = new();

    public ErrorCliTests()
    {
        ws.AddScript("get-python-ish", """
            {"alias":"get-python-ish","uid":"7777777777777777","tags":["get","pythonish"],"cache":true,
             "variations":{"cpu":{"group":"device","default":true},"cuda":{"group":"device"},"fast":{}}}
            """, "echo CM_X=1 > tmp-run-env.out");
    }

    public void Dispose() => ws.Dispose();

    private void AssertCleanError(CmResult r, params string[] expected)
    {
        Assert.NotEqual(0, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        foreach (var e in expected) Assert.Contains(e, r.Stderr);
        Assert.Equal(0, ws.CountEntries());
    }

    [Fact]
    public void WithJsonAnErrorIsAJsonObjectOnStdoutAndTheParagraphStaysOnStderr()
    {
        var r = ws.Cm("run", "script", "--tags=get,pythonish,_no-such-variation", "-j");
        AssertCleanError(r, "no-such-variation");
        var error = Newtonsoft.Json.Linq.JObject.Parse(r.Stdout)["error"]!;
        Assert.Contains("no-such-variation", (string)error["message"]!);
        Assert.Equal(r.ExitCode, (int)error["exit_code"]!);
        Assert.Equal("get-python-ish", (string?)error["script"]);
    }

    [Fact]
    public void UnknownTagsSuggestTheNearest() =>
        AssertCleanError(ws.Cm("run", "script", "--tags=get,pythonsh"), "'pythonsh'", "Did you mean", "pythonish");

    [Fact]
    public void UnknownVariationListsValidOnes() =>
        AssertCleanError(ws.Cm("run", "script", "--tags=get,pythonish,_cdua"), "_cdua", "_cuda", "_fast", "get-python-ish/_cm.json");

    [Fact]
    public void TwoVariationsOfOneGroup() =>
        AssertCleanError(ws.Cm("run", "script", "--tags=get,pythonish,_cpu,_cuda"), "group 'device'", "Keep one of them");

    [Fact]
    public void DependencyCyclePrintsTheCycle()
    {
        ws.AddScript("cyc-a", """{"alias":"cyc-a","uid":"a","tags":["cyc-a"],"deps":[{"tags":"cyc-b"}]}""");
        ws.AddScript("cyc-b", """{"alias":"cyc-b","uid":"b","tags":["cyc-b"],"deps":[{"tags":"cyc-a"}]}""");
        AssertCleanError(ws.Cm("run", "script", "cyc-a"), "cyc-a -> cyc-b -> cyc-a");
    }

    [Fact]
    public void VersionConflictShowsBothConstraints()
    {
        ws.AddScript("need-new", """{"alias":"need-new","uid":"n","tags":["need-new"],"deps":[{"tags":"get,pythonish","version_min":"3.12"}]}""");
        ws.AddScript("need-old", """{"alias":"need-old","uid":"o","tags":["need-old"],"deps":[{"tags":"get,pythonish","version_max":"3.10"}]}""");
        ws.AddScript("both", """{"alias":"both","uid":"b2","tags":["both"],"deps":[{"tags":"need-new"},{"tags":"need-old"}]}""");
        AssertCleanError(ws.Cm("run", "script", "both"), ">= 3.12", "<= 3.10", "need-new", "need-old");
    }

    [Fact]
    public void MalformedJsonIsSkippedWithOneWarningGivingFileLineColumnAndOtherScriptsStillRun()
    {
        ws.AddScript("broken", "{\n  \"alias\": \"broken\",\n  \"tags\": [\"broken\",]\n  \"uid\": 1\n}");

        var run = ws.Cm("run", "script", "--tags=get,pythonish");
        var named = ws.Cm("run", "script", "broken");

        Assert.Equal(0, run.ExitCode);
        var warning = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.Contains(Path.Combine("broken", "_cm.json") + ":4:3: malformed JSON", warning);
        Assert.EndsWith("the script is skipped", warning.TrimEnd());
        Assert.Contains("warning: " + warning["warning: ".Length..], named.Stderr);
        Assert.Contains("error: no script", named.Stderr);
        Assert.NotEqual(0, named.ExitCode);
    }

    [Fact]
    public void MissingRunScriptIsNamed()
    {
        ws.AddScript("declared", """{"alias":"declared","uid":"d","tags":["declared"],"run_script":"build.sh"}""");
        AssertCleanError(ws.Cm("run", "script", "declared"), "build.sh", "does not exist");
    }

    [Fact]
    public void OnlyWindowsRunScriptIsNamed()
    {
        var dir = ws.AddScript("winonly", """{"alias":"winonly","uid":"w","tags":["winonly"]}""");
        File.WriteAllText(Path.Combine(dir, "run.bat"), "@echo off\n");
        AssertCleanError(ws.Cm("run", "script", "winonly"), "run.bat", "run.sh");
    }

    [Fact]
    public void FailingScriptShowsExitCodeLastLinesAndLog()
    {
        ws.AddScript("fails", """{"alias":"fails","uid":"f","tags":["fails"],"cache":true}""", "echo step one; echo 'compiler exploded' >&2; exit 7");
        var r = ws.Cm("run", "script", "fails", "--quiet");
        AssertCleanError(r, "exited with code 7", "compiler exploded", "Full log: ", "fails-");
        var log = r.Stderr.Split("Full log: ")[1].Split(' ', '\n')[0].TrimEnd('.');
        Assert.True(File.Exists(log), log);
    }

    [Fact]
    public void UnknownInputListsValidInputs()
    {
        ws.AddScript("takes", """{"alias":"takes","uid":"t","tags":["takes"],"input_mapping":{"results_dir":"CM_R"}}""");
        AssertCleanError(ws.Cm("run", "script", "takes", "--result_dir=x"), "--result_dir", "--results_dir");
    }
}
