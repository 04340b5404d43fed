using Automation.Core.Meta;
using Xunit;

namespace Automation.Core.Tests;

public sealed class MetaReaderTests
{
    [Fact]
    public void MalformedJsonNamesFileLineAndColumn()
    {
        var e = Assert.Throws<MetaException>(() => MetaReader.Parse("{\n  \"alias\": \"x\",\n  \"tags\": [\"a\" \"b\"]\n}", "/s/x/_cm.json", "/s/x"));
        Assert.Contains("/s/x/_cm.json:3:", e.Message);
    }

    [Fact]
    public void AFieldOfTheWrongShapeIsIgnoredWithAWarningNamingFileLineAndKey()
    {
        var m = MetaReader.Parse("{\"alias\":\"x\",\n \"tags\":[\"a\"],\n \"deps\":{\"tags\":\"a\"}}", "/s/x/_cm.json", "/s/x");

        Assert.Empty(m.Deps);
        Assert.Equal(["a"], m.Tags);
        var w = Assert.Single(m.Warnings, w => !w.VerboseOnly);
        Assert.StartsWith("/s/x/_cm.json:3:", w.ToString());
        Assert.Contains("'deps' must be a list", w.Message);
    }

    [Fact]
    public void NotAnObjectIsRefused()
    {
        var e = Assert.Throws<MetaException>(() => MetaReader.Parse("[1, 2]", "/s/x/_cm.json", "/s/x"));

        Assert.Contains("not a JSON object", e.Message);
    }

    [Fact]
    public void ScalarsOfAnyJsonTypeBecomeEnvStringsAsPythonWritesThem()
    {
        // CM's env values are Python objects turned into text with str(): True, 1, 0.5, 1e-05.
        var m = MetaReader.Parse("""{"alias":"x","env":{"A":1,"B":true,"C":"s","D":0.5,"E":0.00001,"F":false,"G":2.0}}""", "/s/x/_cm.json", "/s/x");
        Assert.Equal("1", m.Env["A"]);
        Assert.Equal("True", m.Env["B"]);
        Assert.Equal("0.5", m.Env["D"]);
        Assert.Equal("1e-05", m.Env["E"]);
        Assert.Equal("False", m.Env["F"]);
        Assert.Equal("2.0", m.Env["G"]);
    }

    [Fact]
    public void CmYamlLoadsWithVariationsAndDeps()
    {
        const string yaml = """
            alias: get-thing
            uid: 1234567890abcdef
            automation_alias: script
            cache: true
            tags:
            - get
            - thing
            deps:
            - tags: detect,os
            - tags: get,python3
              names:
              - python
              version_min: '3.8'
            variations:
              cuda:
                group: device
                env:
                  CM_DEVICE: cuda
              cpu:
                group: device
                default: true
            """;
        var json = YamlMeta.ToJson(yaml, "/s/get-thing/_cm.yaml");
        var meta = MetaReader.FromJson(json, "/s/get-thing/_cm.yaml", "/s/get-thing", "h");
        Assert.True(meta.Cache);
        Assert.Equal(["get", "thing"], meta.Tags);
        Assert.Equal("3.8", meta.Deps[1].VersionMin);
        Assert.True(meta.Variations["cpu"].IsDefault);
    }

    private static ScriptMeta Yaml(string yaml) =>
        MetaReader.FromJson(YamlMeta.ToJson(yaml, "/lib/x/meta.yaml"), "/lib/x/meta.yaml", "/lib/x", "0123456789abcdef0123");

    [Fact]
    public void ADepWithoutTagsIsSkippedWithAWarningAsCmSkipsIt()
    {
        var m = Yaml("""
            alias: x
            post_deps:
            - tags: get,a
            - enable_if_env:
                MLC_RUN_STYLE: [valid]
            - tags: ''
            """);

        Assert.Equal(["get", "a"], Assert.Single(m.PostDeps).Tags);
        Assert.Collection(m.Warnings.Where(w => !w.VerboseOnly),
            w => Assert.Equal("/lib/x/meta.yaml:4:3: 'post_deps[1]' has no 'tags'; this dependency is skipped, as CM skips it", w.ToString()),
            w => Assert.StartsWith("/lib/x/meta.yaml:6:3: 'post_deps[2]' has no 'tags'", w.ToString()));
    }

    [Fact]
    public void AnAdrValueThatIsNotAMappingIsIgnoredWithAWarning()
    {
        var m = Yaml("""
            alias: x
            variations:
              big:
                adr:
                  MLC_MODEL: llama3-402b
                  python:
                    version_min: '3.9'
            """);

        Assert.Equal(["python"], m.Variations["big"].Adr.Keys);
        Assert.Equal("3.9", m.Variations["big"].Adr["python"].VersionMin);
        var w = Assert.Single(m.Warnings, w => !w.VerboseOnly);
        Assert.Equal("/lib/x/meta.yaml:5:18: 'variations.big.adr.MLC_MODEL' is not a mapping of dep fields; ignored", w.ToString());
    }

    [Fact]
    public void ListValuedEnvIsJoinedAsMlcFlowWritesItIntoTheRunScript()
    {
        var m = Yaml("""
            alias: x
            env:
              +MLC_LLVM_ENABLE_RUNTIMES: [libcxx, libcxxabi]
              + CXXFLAGS: [-Wno-nonnull, -O2]
              +,MLC_GIT_PATCH_FILEPATHS: ['#', b]
              MLC_PLAIN_LIST: [a, 1, true]
              +PATH: /opt/bin
            """);

        var sep = Path.PathSeparator;
        Assert.Equal($"libcxx{sep}libcxxabi", m.Env["+MLC_LLVM_ENABLE_RUNTIMES"]);
        Assert.Equal("-Wno-nonnull -O2", m.Env["+ CXXFLAGS"]);
        Assert.Equal("#,b", m.Env["+,MLC_GIT_PATCH_FILEPATHS"]);
        Assert.Equal($"a{sep}1{sep}True", m.Env["MLC_PLAIN_LIST"]);
        Assert.Equal("/opt/bin", m.Env["+PATH"]);
        Assert.DoesNotContain(m.Warnings, w => !w.VerboseOnly);
    }

    [Fact]
    public void DefaultTrueWithATrailingCommaIsTrueAsPythonsTruthTestReadsIt()
    {
        var m = Yaml("""
            alias: x
            variations:
              a:
                group: g
                default: true,
              b:
                group: g
            """);

        Assert.True(m.Variations["a"].IsDefault);
        var w = Assert.Single(m.Warnings, w => w.Message.Contains("'variations.a.default'"));
        Assert.True(w.VerboseOnly);
        Assert.Equal((5, 14), (w.Line, w.Column));
    }

    [Fact]
    public void YamlOnOffAndNumbersReachEnvAsPythonsStrWritesThem()
    {
        var m = Yaml("""
            alias: x
            env:
              A: on
              B: 'on'
              C: 1.10
              D: 0x10
              E: ~
            """);

        Assert.Equal(["True", "on", "1.1", "16", ""], new[] { "A", "B", "C", "D", "E" }.Select(k => m.Env[k]));
    }

    [Fact]
    public void KeysTheEngineDoesNotImplementGetOneVerboseWarning()
    {
        var m = Yaml("""
            alias: x
            print_env_at_the_end: {A: a}
            deps:
            - tags: a
              md5sum: abc
            """);

        var w = Assert.Single(m.Warnings);
        Assert.True(w.VerboseOnly);
        Assert.Contains("print_env_at_the_end, md5sum", w.Message);
        Assert.Contains("cm show script x --unsupported", w.Message);
    }
}
