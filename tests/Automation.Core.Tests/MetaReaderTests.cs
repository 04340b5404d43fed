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
    public void WrongTypeNamesKey()
    {
        var e = Assert.Throws<MetaException>(() => MetaReader.Parse("""{"alias":"x","deps":{"tags":"a"}}""", "/s/x/_cm.json", "/s/x"));
        Assert.Contains("'deps'", e.Message);
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
}
