using Automation.LoadGen.Randomness;
using Xunit;

namespace Automation.LoadGen.Tests;

/// <summary>Expected values were produced by g++ 12 / libstdc++ with the same standard-library calls.</summary>
public sealed class RandomTests
{
    [Fact]
    public void Mt19937MatchesStdMt19937()
    {
        var rng = new Mt19937();
        Assert.Equal(3499211612u, rng.Next());
        for (var i = 2; i < 10000; i++) rng.Next();
        Assert.Equal(4123659995u, rng.Next());
    }

    [Fact]
    public void Mt19937_64MatchesStdMt19937_64()
    {
        var rng = new Mt19937_64();
        Assert.Equal(14514284786278117030UL, rng.Next());
        for (var i = 2; i < 10000; i++) rng.Next();
        Assert.Equal(9981545732273789042UL, rng.Next());
    }

    [Fact]
    public void SixtyFourBitSeedKeepsOnlyTheLow32Bits()
    {
        Assert.Equal(3434217556u, new Mt19937(2747215439041700203UL).Next());
        Assert.Equal(new Mt19937(2747215439041700203UL & 0xFFFFFFFF).Next(), new Mt19937(2747215439041700203UL).Next());
    }

    [Theory]
    [InlineData(2747215439041700203UL, 1023, new[] { 818, 976, 516, 292, 672, 710, 120, 666, 909, 882 })]
    [InlineData(12345UL, 6, new[] { 6, 6, 2, 0, 1, 0, 1, 5, 3, 3 })]
    public void UniformIntMatchesLibstdcxx(ulong seed, int max, int[] expected)
    {
        var rng = new Mt19937(seed);
        Assert.Equal(expected, expected.Select(_ => StdDistributions.UniformInt(rng, 0, max)).ToArray());
    }

    [Fact]
    public void ShuffleOfEvenLengthMatchesLibstdcxx()
    {
        var rng = new Mt19937(2085463073848966840UL);
        var items = Enumerable.Range(0, 10).ToArray();
        StdDistributions.Shuffle(items.AsSpan(), rng);
        Assert.Equal([1, 5, 7, 6, 0, 8, 3, 2, 9, 4], items);
        Assert.Equal(1312898738u, rng.Next());
    }

    [Fact]
    public void ShuffleOfOddLengthMatchesLibstdcxx()
    {
        var items = Enumerable.Range(0, 9).ToArray();
        StdDistributions.Shuffle(items.AsSpan(), new Mt19937(7));
        Assert.Equal([3, 0, 7, 2, 8, 4, 5, 1, 6], items);
    }

    [Fact]
    public void ShuffleOfLoadGenSizedSetMatchesLibstdcxx()
    {
        var rng = new Mt19937(2085463073848966840UL);
        var items = Enumerable.Range(0, 1024).ToArray();
        StdDistributions.Shuffle(items.AsSpan(), rng);
        Assert.Equal([216, 267, 822, 906, 663, 580, 710, 908], items[..8]);
        Assert.Equal(2994617989u, rng.Next());
    }

    [Fact]
    public void ShuffleTooLargeForPairedDrawsMatchesLibstdcxx()
    {
        var rng = new Mt19937(7);
        var items = Enumerable.Range(0, 70001).ToArray();
        StdDistributions.Shuffle(items.AsSpan(), rng);
        Assert.Equal([68737, 37819, 55518, 21721, 46481, 40530, 62948, 55475], items[..8]);
        Assert.Equal(3484426192u, rng.Next());
    }

    [Fact]
    public void ServerScheduleDeltasMatchLibstdcxxExponential()
    {
        var rng = new Mt19937(16159082839903944936UL);
        var deltas = Enumerable.Range(0, 6).Select(_ => StdDistributions.SecondsToNanoseconds(StdDistributions.Exponential(rng, 1000.0))).ToArray();
        Assert.Equal([1843654L, 457923, 1285862, 712994, 386406, 2248341], deltas);
    }

    [Fact]
    public void UniformRealMatchesLibstdcxx()
    {
        var rng = new Mt19937(0);
        Assert.Equal(0.59284461651668263, StdDistributions.UniformReal(rng, 0, 1));
        Assert.Equal(0.84426574425659828, StdDistributions.UniformReal(rng, 0, 1));
    }

    [Fact]
    public void FixedPeriodTruncatesToNanoseconds() =>
        Assert.Equal(333333333L, StdDistributions.SecondsToNanoseconds(1.0 / 3.0));
}
