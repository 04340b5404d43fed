using Automation.Core.Versioning;
using Xunit;

namespace Automation.Core.Tests;

public sealed class VersioningTests
{
    [Theory]
    [InlineData("3.11.7", "3.12.0", -1)]
    [InlineData("12.4", "12.4.0", 0)]
    [InlineData("1.31.1-rc1", "1.31.1", -1)]
    [InlineData("2.39.5.windows.1", "2.39.5", 0)]
    [InlineData("v10.0.401", "10.0.400", 1)]
    // MLPerf rounds and tags: the leading 'r'/'v' is not part of the number (CM reads "r6.0" as 0.0, so r5.1 > r6.0 there).
    [InlineData("r6.1", "r6.0", 1)]
    [InlineData("r6.0", "r5.1", 1)]
    [InlineData("r6.1", "6.1", 0)]
    [InlineData("v6.0", "r6.0", 0)]
    [InlineData("r4.1-dev", "r4.1", -1)]
    [InlineData("v1.2.3-rc", "v1.2.3", -1)]
    [InlineData("v1.2.3-rc", "1.2.3rc0", 0)]
    [InlineData("v1.2.3-rc", "1.2.2", 1)]
    // PEP 440: dev < a < b < rc < release < post; "+local" does not count.
    [InlineData("5.1.dev0+gabc", "5.1", -1)]
    [InlineData("5.1.dev0+gabc", "5.1.dev0", 0)]
    [InlineData("5.1.dev0+gabc", "5.0.99", 1)]
    [InlineData("5.1.dev0", "5.1a1", -1)]
    [InlineData("5.1a1", "5.1b1", -1)]
    [InlineData("5.1b1", "5.1rc1", -1)]
    [InlineData("5.1rc1", "5.1rc2", -1)]
    [InlineData("5.1.0-beta.2", "5.1b2", 0)]
    [InlineData("5.1", "5.1.post1", -1)]
    [InlineData("5.1.post1.dev0", "5.1.post1", -1)]
    [InlineData("5.1.post1.dev0", "5.1", 1)]
    [InlineData("3.13.0b1", "3.13.0", -1)]
    [InlineData("2.6.0.dev20241001+cpu", "2.5.1", 1)]
    [InlineData("12.4-custom", "12.4", -1)]
    [InlineData("25.02", "25.2", 0)]
    [InlineData("0.20", "0.3.26", 1)]
    [InlineData("4.10.0.82", "4.11.0.86", -1)]
    [InlineData("1.2.3.4.5", "1.2.3.4.4", 1)]
    public void ComparesToolVersions(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(ToolVersion.Parse(a).CompareTo(ToolVersion.Parse(b))));
        Assert.Equal(-sign, Math.Sign(ToolVersion.Parse(b).CompareTo(ToolVersion.Parse(a))));
        if (sign == 0) Assert.Equal(ToolVersion.Parse(a).GetHashCode(), ToolVersion.Parse(b).GetHashCode());
    }

    [Theory]
    [InlineData("1.31.1-rc1", true)]
    [InlineData("5.1.dev0+gabc", true)]
    [InlineData("5.1.post1", false)]
    [InlineData("r6.1", false)]
    public void NuGetFormSaysWhetherItIsAPreRelease(string text, bool prerelease)
    {
        var version = ToolVersion.Parse(text);
        Assert.Equal(prerelease, version.Value.IsPrerelease);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("master")]
    [InlineData("version.5.2.0")]
    [InlineData("dev-clean")]
    [InlineData("MLC_ANSIBLE_VERSION_TO_INSTALL")]
    [InlineData("")]
    public void NamesAreNotNumericVersions(string text)
    {
        Assert.False(ToolVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ToolVersion.Parse(text));
    }

    [Theory]
    [InlineData("master", "master", 0)]
    [InlineData("r6.1", "r6.0", 1)]
    [InlineData(" main ", "main", 0)]
    public void ComparesVersionTextsWhereTheyHaveAnOrder(string a, string b, int sign)
    {
        Assert.True(ToolVersion.TryCompare(a, b, out var order));
        Assert.Equal(sign, Math.Sign(order));
    }

    [Theory]
    [InlineData("master", "1.2")]
    [InlineData("master", "main")]
    [InlineData("Master", "master")]
    [InlineData("version.5.2.0", "5.2.0")]
    public void NamesHaveNoOrderAgainstOtherVersions(string a, string b)
    {
        Assert.False(ToolVersion.TryCompare(a, b, out _));
        Assert.False(ToolVersion.TryCompare(b, a, out _));
    }

    [Fact]
    public void ConstraintChecksMinMaxExact()
    {
        var c = new VersionConstraint(Min: "3.8", Max: "3.11.99");
        Assert.True(c.IsSatisfiedBy("3.11.7"));
        Assert.False(c.IsSatisfiedBy("3.12.1"));
        Assert.False(c.IsSatisfiedBy("3.7"));
        Assert.True(new VersionConstraint(Exact: "12.4").IsSatisfiedBy("12.4.0"));
    }

    [Theory]
    [InlineData("3.11", "3.11.7", true)]
    [InlineData("3", "3.11.7", true)]
    [InlineData("3.11.7", "3.11", false)]
    [InlineData("3.11.0", "3.11.7", false)]
    [InlineData("3.1", "3.11.7", false)]
    [InlineData("1.31.1", "1.31.1-rc1", false)]
    [InlineData("r6.1", "r6.1", true)]
    [InlineData("r6.1", "v6.1", true)]
    [InlineData("r6.1", "r6.1.2", true)]
    [InlineData("master", "master", true)]
    [InlineData("master", "main", false)]
    [InlineData("master", "1.2", false)]
    [InlineData("1.2", "master", false)]
    public void AnExactVersionAcceptsItsReleaseLineAsCmDoes(string exact, string found, bool accepted) =>
        Assert.Equal(accepted, new VersionConstraint(Exact: exact).IsSatisfiedBy(found));

    [Fact]
    public void NamedVersionIsOutsideEveryNumericRange()
    {
        Assert.False(new VersionConstraint(Min: "1.0").IsSatisfiedBy("master"));
        Assert.False(new VersionConstraint(Max: "99").IsSatisfiedBy("master"));
        Assert.True(new VersionConstraint(Min: "master").IsSatisfiedBy("master"));
        Assert.True(new VersionConstraint(Min: "r6.0", Max: "r6.1").IsSatisfiedBy("r6.1"));
        Assert.False(new VersionConstraint(Min: "r6.0", Max: "r6.1").IsSatisfiedBy("r5.1"));
    }

    [Fact]
    public void NamedBoundCannotOrderANumberAndSaysWhoAskedForIt()
    {
        var constraint = new VersionConstraint(Min: "master", Origin: "'app-mlperf' (dep inference-src)");
        var error = Assert.Throws<VersionComparisonException>(() => constraint.IsSatisfiedBy("1.2"));
        Assert.Contains("version '1.2'", error.Message);
        Assert.Contains("version_min 'master' (asked by 'app-mlperf' (dep inference-src))", error.Message);
        Assert.Contains("--version=master", error.Message);
        Assert.Throws<VersionComparisonException>(() => new VersionConstraint(Max: "main").IsSatisfiedBy(ToolVersion.Parse("3.11.7")));
        Assert.Throws<VersionComparisonException>(() => new VersionConstraint(Max: "main").IsSatisfiedBy("master"));
    }

    [Fact]
    public void IntersectDetectsConflicts()
    {
        Assert.Null(new VersionConstraint(Min: "3.12").Intersect(new VersionConstraint(Max: "3.10")));
        var ok = new VersionConstraint(Min: "3.8").Intersect(new VersionConstraint(Max: "3.12", Min: "3.9"));
        Assert.Equal("3.9", ok!.Min);
        Assert.Equal("3.12", ok.Max);
    }

    [Fact]
    public void IntersectTakesNamedAndRoundVersions()
    {
        var a = new VersionConstraint(Exact: "r6.1", Origin: "A");
        Assert.Equal("r6.1", a.Intersect(new VersionConstraint(Exact: "r6.1", Origin: "B"))!.Exact);
        Assert.Equal("A and B", a.Intersect(new VersionConstraint(Exact: "r6.1", Origin: "B"))!.Origin);
        Assert.Null(a.Intersect(new VersionConstraint(Exact: "r6.0")));
        Assert.Equal("r6.1", a.Intersect(new VersionConstraint(Min: "r6.0", Max: "r6.1"))!.Exact);
        Assert.Null(a.Intersect(new VersionConstraint(Max: "r6.0")));
        Assert.Equal("r6.1", new VersionConstraint(Min: "r5.1").Intersect(new VersionConstraint(Min: "r6.1"))!.Min);
        Assert.Null(new VersionConstraint(Min: "r6.1").Intersect(new VersionConstraint(Max: "r5.1")));

        var master = new VersionConstraint(Exact: "master");
        Assert.Equal("master", master.Intersect(new VersionConstraint(Exact: "master"))!.Exact);
        Assert.Equal("master", master.Intersect(VersionConstraint.None)!.Exact);
        Assert.Null(master.Intersect(new VersionConstraint(Exact: "main")));
        Assert.Null(master.Intersect(new VersionConstraint(Exact: "1.2")));
        Assert.Null(master.Intersect(new VersionConstraint(Min: "1.0")));
    }

    [Fact]
    public void IntersectOfUnorderedBoundsNamesBothVersionsAndBothAskers()
    {
        var a = new VersionConstraint(Min: "master", Origin: "the command line");
        var b = new VersionConstraint(Min: "1.2", Origin: "'app' (dep src)");
        var error = Assert.Throws<VersionComparisonException>(() => a.Intersect(b));
        Assert.Contains("version_min 'master' (asked by the command line)", error.Message);
        Assert.Contains("version_min '1.2' (asked by 'app' (dep src))", error.Message);

        var range = Assert.Throws<VersionComparisonException>(() => a.Intersect(new VersionConstraint(Max: "2.0", Origin: "C")));
        Assert.Contains("version_max '2.0' (asked by C)", range.Message);
    }
}
