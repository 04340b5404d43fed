using Automation.Core.Catalog;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Caching;

/// <summary>
/// Issue 17, item 4: the key is the meta, the script folder's files, variations, versions, the env inputs that reach the
/// script (less those declared result-neutral) and the deps' keys; nothing else (docs/cache.md#keys).
/// </summary>
public sealed class CacheKeyCompositionTests
{
    private readonly InMemoryFileSystem _files = new();

    private CacheKeyCompositionTests Script(string alias, string meta, string? runSh = null)
    {
        _files.With($"/lib/{alias}/_cm.json", meta);
        if (runSh is not null) _files.With($"/lib/{alias}/run.sh", runSh);
        return this;
    }

    private PlanNode Key(string tags, IReadOnlyDictionary<string, string>? inputs = null)
    {
        var catalog = ScriptCatalog.Load(_files, new[] { "/lib" });
        return new Resolver(catalog, fileSystem: _files).Resolve(new RunRequest { Tags = TagQuery.Split(tags), Inputs = inputs ?? ScriptMeta.Empty }).Root;
    }

    [Fact]
    public void EditingAnyFileOfTheScriptFolderChangesTheKey()
    {
        Script("tool", """{"alias":"tool","uid":"t1","tags":["tool"],"cache":true}""", "echo one\n");
        var before = Key("tool");
        Assert.Equal(before.Key, Key("tool").Key);
        Assert.Equal(64, before.KeyInputs["files_sha256"].Length);

        _files.With("/lib/tool/run.sh", "echo two\n");
        var runShEdited = Key("tool");
        Assert.NotEqual(before.Key, runShEdited.Key);
        Assert.Equal(before.KeyInputs["meta_sha256"], runShEdited.KeyInputs["meta_sha256"]);

        _files.With("/lib/tool/patches/fix.patch", "--- a\n");
        Assert.NotEqual(runShEdited.Key, Key("tool").Key);
    }

    [Fact]
    public void BytecodeHiddenFilesAndBackupsInTheScriptFolderDoNotChangeTheKey()
    {
        Script("tool", """{"alias":"tool","uid":"t1","tags":["tool"],"cache":true}""", "echo one\n");
        _files.With("/lib/tool/customize.py", "def preprocess(i):\n    return {'return': 0}\n");
        var before = Key("tool").Key;

        _files.With("/lib/tool/__pycache__/customize.cpython-311.pyc", "bytecode");
        _files.With("/lib/tool/.run.sh.swp", "swap");
        _files.With("/lib/tool/run.sh~", "backup");
        Assert.Equal(before, Key("tool").Key);
    }

    [Fact]
    public void ScriptFilesHashSeesNamesAndContentsNotOrder()
    {
        var a = new InMemoryFileSystem().With("/s/a", "1").With("/s/b", "2");
        var b = new InMemoryFileSystem().With("/s/b", "2").With("/s/a", "1");
        var renamed = new InMemoryFileSystem().With("/s/a", "1").With("/s/c", "2");
        var moved = new InMemoryFileSystem().With("/s/a", "1").With("/s/d/b", "2");
        Assert.Equal(ScriptFiles.Hash(a, "/s"), ScriptFiles.Hash(b, "/s"));
        Assert.NotEqual(ScriptFiles.Hash(a, "/s"), ScriptFiles.Hash(renamed, "/s"));
        Assert.NotEqual(ScriptFiles.Hash(a, "/s"), ScriptFiles.Hash(moved, "/s"));
    }

    [Fact]
    public void AnInputDeclaredResultNeutralDoesNotChangeTheKeyOthersDo()
    {
        Script("fetch", """
            {"alias":"fetch","uid":"f1","tags":["fetch"],"cache":true,
             "input_mapping":{"url":"CM_URL","retries":"CM_RETRIES"},
             "cache_key_ignore_env":["CM_RETRIES"]}
            """);
        var plain = Key("fetch", new Dictionary<string, string> { ["url"] = "https://a/x" });
        var retried = Key("fetch", new Dictionary<string, string> { ["url"] = "https://a/x", ["retries"] = "9" });
        var other = Key("fetch", new Dictionary<string, string> { ["url"] = "https://b/x" });
        Assert.Equal(plain.Key, retried.Key);
        Assert.DoesNotContain("env.CM_RETRIES", retried.KeyInputs.Keys);
        Assert.NotEqual(plain.Key, other.Key);
    }

    [Fact]
    public void AnIgnoredKeyThatADepsConditionReadsStaysInTheKey()
    {
        // It decides which deps run, hence what the entry holds.
        Script("extra", """{"alias":"extra","uid":"e1","tags":["extra"]}""");
        Script("fetch", """
            {"alias":"fetch","uid":"f1","tags":["fetch"],"cache":true,"input_mapping":{"mode":"CM_MODE"},
             "cache_key_ignore_env":["CM_MODE"],"deps":[{"tags":"extra","enable_if_env":{"CM_MODE":["full"]}}]}
            """);
        Assert.NotEqual(Key("fetch", new Dictionary<string, string> { ["mode"] = "full" }).Key, Key("fetch").Key);
    }

    [Fact]
    public void EditingADepsScriptChangesItsCallersKeyThroughTheDepsKey()
    {
        Script("compiler", """{"alias":"compiler","uid":"c1","tags":["compiler"],"cache":true}""", "echo cc\n");
        Script("helper", """{"alias":"helper","uid":"h1","tags":["helper"],"deps":[{"tags":"compiler"}]}""", "echo helper\n");
        Script("app", """{"alias":"app","uid":"a1","tags":["app"],"cache":true,"deps":[{"tags":"helper"}]}""", "echo app\n");
        var before = Key("app");
        Assert.StartsWith("helper:", before.KeyInputs["deps"]);

        // Two levels down, through an uncached script.
        _files.With("/lib/compiler/run.sh", "echo cc --fast\n");
        var after = Key("app");
        Assert.NotEqual(before.Key, after.Key);
        Assert.Equal(before.KeyInputs["files_sha256"], after.KeyInputs["files_sha256"]);
    }
}
