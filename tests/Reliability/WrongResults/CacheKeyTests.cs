using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Reliability.Tests.WrongResults;

/// <summary>
/// Issue 17, item 4: the key holds what determines the result (the script folder's files, the deps' keys) and not
/// what does not (`--retries`). docs/cache.md#keys.
/// </summary>
public sealed class CacheKeyTests : IDisposable
{
    private readonly TempWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private JObject Run(params string[] args)
    {
        var result = _ws.Cm(["run", "script", .. args, "--quiet", "-j"]);
        Assert.True(result.ExitCode == 0, result.All);
        return JObject.Parse(result.Stdout);
    }

    private static string Key(JObject run) => (string)((JArray)run["steps"]!).Last!["key"]!;

    [Fact]
    public void Item04_editing_run_sh_gives_a_new_key_and_a_fresh_result()
    {
        var dir = _ws.AddScript("tool", """{"alias":"tool","uid":"c0000000000000c1","tags":["tool"],"cache":true,"new_env_keys":["TOOL_*"]}""",
            "echo TOOL_MODE=old >> tmp-run-env.out");
        var first = Run("--tags=tool");
        Assert.Equal("old", (string)first["new_env"]!["TOOL_MODE"]!);

        File.WriteAllText(Path.Combine(dir, "run.sh"), "#!/bin/bash\necho TOOL_MODE=new >> tmp-run-env.out\n");
        var second = Run("--tags=tool");

        Assert.NotEqual(Key(first), Key(second));
        Assert.False((bool)second["cached"]!);
        Assert.Equal("new", (string)second["new_env"]!["TOOL_MODE"]!);
    }

    [Fact]
    public void Item04_editing_customize_py_or_another_file_of_the_folder_gives_a_new_key()
    {
        var dir = _ws.AddScript("tool", """{"alias":"tool","uid":"c0000000000000c2","tags":["tool"],"cache":true}""", "cat \"$CM_TMP_CURRENT_SCRIPT_PATH/template.txt\" > /dev/null");
        File.WriteAllText(Path.Combine(dir, "template.txt"), "v1");
        var keys = new List<string> { Key(Run("--tags=tool")) };

        File.WriteAllText(Path.Combine(dir, "template.txt"), "v2");
        keys.Add(Key(Run("--tags=tool")));
        File.WriteAllText(Path.Combine(dir, "customize.py"), "def preprocess(i):\n    return {'return': 0}\n");
        keys.Add(Key(Run("--tags=tool")));

        Assert.Equal(3, keys.Distinct().Count());
        Assert.Equal(keys[^1], Key(Run("--tags=tool")));
    }

    [Fact]
    public void Item04_a_dep_whose_script_changed_gives_its_cached_caller_a_new_key()
    {
        var dep = _ws.AddScript("compiler", """{"alias":"compiler","uid":"c0000000000000c3","tags":["compiler"],"cache":true,"new_env_keys":["CC_*"]}""",
            "echo CC_FLAGS=-O1 >> tmp-run-env.out");
        _ws.AddScript("app", """{"alias":"app","uid":"c0000000000000c4","tags":["app"],"cache":true,"deps":[{"tags":"compiler"}],"new_env_keys":["APP_*"]}""",
            "echo APP_BUILT_WITH=$CC_FLAGS >> tmp-run-env.out");
        Assert.Equal("-O1", (string)Run("--tags=app")["new_env"]!["APP_BUILT_WITH"]!);

        File.WriteAllText(Path.Combine(dep, "run.sh"), "#!/bin/bash\necho CC_FLAGS=-O3 >> tmp-run-env.out\n");
        var again = Run("--tags=app");

        Assert.False((bool)again["cached"]!);
        Assert.Equal("-O3", (string)again["new_env"]!["APP_BUILT_WITH"]!);
    }

    [Fact]
    public void Item04_retries_and_timeout_do_not_change_the_key_of_a_download()
    {
        var source = Path.Combine(_ws.Root, "data.bin");
        File.WriteAllText(source, "payload");
        ShippedScripts.CopyInto(_ws, "download-file");
        string[] args = ["--tags=download,file", "--url=https://example.invalid/data.bin", $"--local_path={source}"];

        var first = Run(args);
        var retried = Run([.. args, "--retries=7", "--timeout=5"]);
        var otherUrl = Run(["--tags=download,file", "--url=https://example.invalid/other.bin", $"--local_path={source}"]);

        Assert.Equal(Key(first), Key(retried));
        Assert.True((bool)retried["cached"]!);
        Assert.NotEqual(Key(first), Key(otherUrl));
    }
}
