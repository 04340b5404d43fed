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
    public void ComparesToolVersions(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(ToolVersion.Parse(a).CompareTo(ToolVersion.Parse(b))));

    [Fact]
    public void ConstraintChecksMinMaxExact()
    {
        var c = new VersionConstraint(Min: "3.8", Max: "3.11.99");
        Assert.True(c.IsSatisfiedBy("3.11.7"));
        Assert.False(c.IsSatisfiedBy("3.12.1"));
        Assert.False(c.IsSatisfiedBy("3.7"));
        Assert.True(new VersionConstraint(Exact: "12.4").IsSatisfiedBy("12.4.0"));
    }

    [Fact]
    public void IntersectDetectsConflicts()
    {
        Assert.Null(new VersionConstraint(Min: "3.12").Intersect(new VersionConstraint(Max: "3.10")));
        var ok = new VersionConstraint(Min: "3.8").Intersect(new VersionConstraint(Max: "3.12", Min: "3.9"));
        Assert.Equal("3.9", ok!.Min);
        Assert.Equal("3.12", ok.Max);
    }
}
