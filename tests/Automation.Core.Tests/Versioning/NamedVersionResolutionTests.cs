using Automation.Core.Resolution;
using Automation.Core.Tests.Resolution;
using Automation.Core.Versioning;
using Xunit;

namespace Automation.Core.Tests.Versioning;

/// <summary>
/// Two deps reaching one script with the library's own version names (the case that ended in a FormatException,
/// exit 70): the resolver merges their constraints through <see cref="VersionConstraint.Intersect"/>.
/// </summary>
public sealed class NamedVersionResolutionTests
{
    private static Plan ResolveTwoCallers(string first, string second) =>
        new Resolver(new FixtureCatalog()
                .Add("""{"alias":"get-src","uid":"s","tags":["get","src"],"cache":true,"default_version":"master","versions":{"master":{},"r6.0":{},"r6.1":{}}}""")
                .Add($$"""{"alias":"x","uid":"x","tags":["x"],"deps":[{"tags":"get,src",{{first}}}]}""")
                .Add($$"""{"alias":"y","uid":"y","tags":["y"],"deps":[{"tags":"get,src",{{second}}}]}""")
                .Add("""{"alias":"top","uid":"top","tags":["top"],"deps":[{"tags":"x"},{"tags":"y"}]}""")
                .Build())
            .Resolve(new RunRequest { Tags = ["top"] });

    [Theory]
    [InlineData("\"version\":\"r6.1\"", "\"version\":\"r6.1\"")]
    [InlineData("\"version\":\"master\"", "\"version\":\"master\"")]
    [InlineData("\"version\":\"r6.1\"", "\"version_min\":\"r6.0\"")]
    public void SameNamedVersionFromTwoCallersResolves(string first, string second) =>
        Assert.Equal("top", ResolveTwoCallers(first, second).Root.Script.Alias);

    [Theory]
    [InlineData("\"version\":\"r6.1\"", "\"version\":\"r6.0\"", "= r6.0")]
    [InlineData("\"version\":\"master\"", "\"version\":\"r6.1\"", "= r6.1")]
    [InlineData("\"version\":\"master\"", "\"version_min\":\"r6.0\"", ">= r6.0")]
    public void DifferentVersionsFromTwoCallersAreAVersionConflict(string first, string second, string shown)
    {
        var e = Assert.Throws<VersionConflictException>(() => ResolveTwoCallers(first, second));
        Assert.Contains(shown, e.Message);
        Assert.Contains("'x'", e.Message);
        Assert.Contains("'y'", e.Message);
    }

    [Fact]
    public void A_named_range_bound_is_refused_where_it_is_asked_for()
    {
        var e = Assert.Throws<InvalidVersionConstraintException>(() => ResolveTwoCallers("\"version_min\":\"master\"", "\"version_min\":\"r6.0\""));
        Assert.Contains("version_min 'master' (asked by 'x'", e.Message);
        Assert.Contains("is not a version", e.Message);
    }
}
