using Automation.Core.Versioning;
using Xunit;

namespace Automation.Core.Tests.Versioning;

/// <summary>
/// Every version string the MLC script library (mlperf-automations 20d3d94, script/*/meta.yaml) writes, copied here:
/// none may end in an internal exception, whatever it is compared with.
/// </summary>
public sealed class LibraryVersionStringsTests
{
    // version_min, version_max, version_max_usable.
    private static readonly string[] Bounds =
    [
        "0.17.2", "0.18.1", "0.20", "0.20.1", "0.20.99", "0.30.3", "0.35.2", "0.9.2", "1.0", "1.0.0", "1.10.9",
        "1.13.1", "1.14.0", "1.17.1", "1.21.1", "1.22", "1.22.99", "1.26.4", "1.26.99", "1.26.999", "1.48", "1.5.3",
        "1.53.0", "1.99.99", "10", "10.0.0", "11.0", "11.3", "11.8", "11.9", "11.9.999", "12.1", "12.3", "12.3.0",
        "12.6", "12.6.2", "12.9", "14.0.0", "16.0.0", "16.9.999", "17.0.6", "17.9.99", "17.9.999", "2.0.2", "2.1.0",
        "2.19.2", "2.2.1", "2.2.2", "2.3", "2.3.1", "2.4.0", "2.5.1", "2.8.3", "2.8.8", "2.9", "2.9.99", "2024.1",
        "3.1", "3.10", "3.10.12", "3.10.999", "3.11.0", "3.11.12", "3.11.999", "3.12", "3.12.12", "3.12.999", "3.18",
        "3.19", "3.20.0", "3.20.1", "3.20.3", "3.24.0", "3.25.0", "3.26", "3.26.0", "3.26.4", "3.3", "3.3.0", "3.5.0",
        "3.6.0", "3.7", "3.7.0", "3.7.12", "3.7.999", "3.8.0", "3.8.1", "3.8.12", "3.8.999", "3.9.0", "3.9.12",
        "3.9.999", "4.10.0.82", "4.11.0.86", "4.40.0", "4.46.2", "4.51.3", "58.2.0", "69.9.999", "7", "7.3.1", "7.7.0",
        "9",
    ];

    // version and default_version (on scripts, deps, variations), and the keys of versions: maps.
    private static readonly string[] Versions =
    [
        "0.13.0", "0.13.2", "0.17.1", "0.19.0", "0.26.1", "0.27.1", "0.3.2", "0.3.25", "0.3.26", "0.4.0", "0.5.2",
        "0.6.0", "0.6.2.3", "0.7.4", "1.0.3", "1.1", "1.1.1", "1.10.1", "1.12.0", "1.13.0", "1.13.1", "1.14.0",
        "1.14.1", "1.17.0", "1.20.1", "1.22.4", "1.23.0", "1.23.5", "1.65.2", "1.8.1", "11.7.0", "11.8.0", "15.0.6",
        "16.0.0", "2.0.0", "2.10.4", "2.11.0", "2.2.2", "2.4.0", "2.8.0", "20.1.1", "2019.1", "2022.2.2", "2023.1.0",
        "2026.0.0", "2026.1", "25.02", "3.1", "3.1.0", "3.10.0", "3.10.13", "3.20.1", "3.27", "3.28.3", "3.7.2", "3.8",
        "3.9", "4.2.1", "4.28.1", "5.0.0", "5.1.1", "5.2", "5.3.0", "6.1.0", "6.5.0", "6.6.0", "69.5.1", "7.2.2",
        "8.5.1", "9.3.0", "MLC_ANSIBLE_VERSION_TO_INSTALL", "MLC_MLPERF_SUBMISSION_CHECKER_VERSION", "custom",
        "deepsparse", "dev", "dev-clean", "latest", "main", "master", "pybind_fix", "r1.0", "r2.1", "r3.0", "r3.1",
        "r4.0", "r4.1", "r5.0", "r5.1", "r6.0", "r6.1", "v0.5", "v1.0", "v2.0.0", "v2.1", "v2.7", "v3.0", "v3.1",
        "v4.0", "v4.1", "v5.0", "v6.0", "version.5.1.0", "version.5.2.0",
        "0.13.1", "0.13.2", "0.15.0", "0.3.21", "0.6.2.3", "0.9.0", "1.1", "1.1.1", "10.0", "11.7.0", "11.8.0",
        "12.0.0", "12.1.1", "12.2.0", "12.3.2", "12.4.0", "12.4.1", "12.5.0", "12.5.1", "12.6.0", "12.6.1", "12.8.1",
        "12.9.1", "13.1.1", "2.0", "2.2.2", "2.2.4", "2019.1", "2025.1.0", "2025.2.0", "2025.2.1", "2025.3.1",
        "2025.3.2", "2026.0.0", "22.11", "23.05", "23.11", "25.02", "5.0.0", "5.1", "5.2", "5.5.1", "5.7.1", "6.1.0",
        "6.2.0", "6.3.0", "6.4.0", "6.6.0", "7.2.1", "7.2.2", "9.0", "9.3.0", "custom", "deepsparse", "dev",
        "dev-clean", "dev-other", "develop", "latest", "main", "master", "pybind_fix", "r1.0", "r2.1", "r3.0", "r3.1",
        "r4.0", "r4.1", "r4.1-dev", "r5.0", "r5.1", "r6.0", "r6.1", "test-clean", "test-other", "train-clean-100",
        "train-clean-360", "train-other-500", "tvm", "v0.10.0", "v0.5", "v0.7.0", "v0.8.0", "v0.9.0", "v1.0", "v1.15.0",
        "v2.0.0", "v2.1", "v2.1.0", "v2.10.0", "v2.11.0", "v2.12.0", "v2.13.0", "v2.14.0", "v2.15.0", "v2.16.1",
        "v2.18.0", "v2.2.0", "v2.3.0", "v2.4.0", "v2.5.0", "v2.6.0", "v2.7", "v2.7.0", "v2.8.0", "v2.9.0", "v3.0",
        "v3.1", "v4.0", "v4.1",
    ];

    [Fact]
    public void EveryRangeBoundIsANumericVersion() =>
        Assert.All(Bounds, b => Assert.True(ToolVersion.TryParse(b, out _), $"'{b}' does not parse"));

    [Fact]
    public void EveryVersionChecksAgainstEveryBoundWithoutAnException()
    {
        foreach (var version in Versions)
            foreach (var bound in Bounds)
            {
                var numeric = ToolVersion.TryParse(version, out var v);
                Assert.Equal(numeric && v >= ToolVersion.Parse(bound), new VersionConstraint(Min: bound).IsSatisfiedBy(version));
                Assert.Equal(numeric && v <= ToolVersion.Parse(bound), new VersionConstraint(Max: bound).IsSatisfiedBy(version));
            }
    }

    [Fact]
    public void EveryVersionSatisfiesAnExactRequestForItself() =>
        Assert.All(Versions, v => Assert.True(new VersionConstraint(Exact: v).IsSatisfiedBy(v), v));

    [Fact]
    public void TwoCallersExactVersionsMergeOrConflictWithoutAnException()
    {
        foreach (var a in Versions)
            foreach (var b in Versions)
            {
                var merged = new VersionConstraint(Exact: a, Origin: "A").Intersect(new VersionConstraint(Exact: b, Origin: "B"));
                var same = ToolVersion.TryCompare(a, b, out var order) && order == 0;
                Assert.Equal(same, merged is not null);
                if (merged is not null) Assert.Equal(a, merged.Exact);
            }
    }

    [Fact]
    public void NumericVersionsFormOneTotalOrder()
    {
        var numeric = Bounds.Concat(Versions).Where(v => ToolVersion.TryParse(v, out _)).Select(ToolVersion.Parse).ToList();
        numeric.Sort();
        for (var i = 0; i < numeric.Count; i++)
            for (var j = i; j < numeric.Count; j++)
            {
                Assert.True(numeric[i] <= numeric[j], $"{numeric[i]} sorted before {numeric[j]} but compares above it");
                Assert.Equal(Math.Sign(numeric[i].CompareTo(numeric[j])), -Math.Sign(numeric[j].CompareTo(numeric[i])));
            }
    }

    [Theory]
    [InlineData("r5.1", "r6.0")]
    [InlineData("r4.1-dev", "r4.1")]
    [InlineData("v2.9.0", "v2.10.0")]
    [InlineData("v0.5", "v0.10.0")]
    [InlineData("0.3.26", "0.20")]
    [InlineData("23.11", "25.02")]
    public void LibraryVersionsOrderAsTheirAuthorsMeant(string lower, string higher) =>
        Assert.True(ToolVersion.Parse(lower) < ToolVersion.Parse(higher));
}
