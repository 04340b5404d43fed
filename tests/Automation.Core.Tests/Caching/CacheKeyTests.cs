using Automation.Core.Caching;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Caching;

public sealed class CacheKeyTests
{
    [Fact]
    public void ComputeIsStableAcrossRunsAndMachines()
    {
        // Pinned, cross-checked with Python's hashlib over int64-LE length prefixes: changing the scheme silently
        // orphans every user's cache, so it must be deliberate.
        Assert.Equal("b319efa9d5335204", CacheKey.Compute(["script-uid", "meta"]));
        Assert.Equal(CacheKey.Compute(["a", "b"]), CacheKey.Compute(new List<string> { "a", "b" }));
    }

    [Fact]
    public void ComputeIsLowercaseHexOfFixedLength()
    {
        var key = CacheKey.Compute(["x"]);
        Assert.Equal(CacheKey.Length, key.Length);
        Assert.True(CacheKey.IsValid(key));
    }

    [Theory]
    [InlineData(new[] { "ab", "c" }, new[] { "a", "bc" })]
    [InlineData(new string[0], new[] { "" })]
    [InlineData(new[] { "a" }, new[] { "b" })]
    [InlineData(new[] { "a", "b" }, new[] { "b", "a" })]
    [InlineData(new[] { "é" }, new[] { "e" })]
    public void ComputeSeesEveryDifference(string[] left, string[] right) =>
        Assert.NotEqual(CacheKey.Compute(left), CacheKey.Compute(right));

    [Theory]
    [InlineData("0123abcd", true)]
    [InlineData("0123ABCD", false)]
    [InlineData("0123abc", false)]
    [InlineData("../../etc", false)]
    [InlineData("", false)]
    public void IsValidAcceptsOnlyLowercaseHexFolderNames(string key, bool valid) => Assert.Equal(valid, CacheKey.IsValid(key));

    [Fact]
    public void BuilderIgnoresAddOrderSetOrderAndJsonPropertyOrder()
    {
        var a = new CacheKeyBuilder().Add("uid", "u1").AddSet("variations", ["cuda", "fp16"])
            .AddJson("meta", JObject.Parse("""{"alias":"x","deps":[{"tags":"a"}],"cache":true}""")).Build();
        var b = new CacheKeyBuilder().AddJson("meta", JObject.Parse("""{ "cache": true, "deps": [ {"tags": "a"} ], "alias": "x" }"""))
            .AddSet("variations", ["fp16", "cuda", "cuda"]).Add("uid", "u1").Build();
        Assert.Equal(a.Key, b.Key);
    }

    [Fact]
    public void BuilderSeesValueNameListOrderAndJsonArrayOrder()
    {
        static string Key(Action<CacheKeyBuilder> add)
        {
            var builder = new CacheKeyBuilder().Add("uid", "u1");
            add(builder);
            return builder.Build().Key;
        }
        var keys = new[]
        {
            Key(b => b.Add("version", "1.0")),
            Key(b => b.Add("version", "1.1")),
            Key(b => b.Add("version_max", "1.0")),
            Key(b => b.AddList("deps", ["k1", "k2"])),
            Key(b => b.AddList("deps", ["k2", "k1"])),
            Key(b => b.AddJson("meta", JArray.Parse("[1,2]"))),
            Key(b => b.AddJson("meta", JArray.Parse("[2,1]"))),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void BuilderRecordsInputsAndDigestsLongOnes()
    {
        var longMeta = new JObject { ["text"] = new string('x', 500) };
        var built = new CacheKeyBuilder().Add("uid", "u1").AddSet("variations", ["b", "a"]).AddJson("meta", longMeta).Add("version", null).Build();
        Assert.Equal("u1", built.Inputs["uid"]);
        Assert.Equal("""["a","b"]""", built.Inputs["variations"]);
        Assert.Equal("", built.Inputs["version"]);
        Assert.StartsWith("sha256:", built.Inputs["meta"]);
        Assert.EndsWith("chars)", built.Inputs["meta"]);
    }

    [Fact]
    public void BuilderRejectsAPartAddedTwice() =>
        Assert.Throws<ArgumentException>(() => new CacheKeyBuilder().Add("uid", "a").Add("uid", "b"));
}
