using Automation.LoadGen.Randomness;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Scenarios;

/// <summary>
/// A group of QSL samples that is loaded at once. <see cref="DistributionEnd"/> excludes the MultiStream padding,
/// which repeats the set's first samples so a query of contiguous samples can start anywhere in the set.
/// </summary>
public sealed record LoadableSet(int[] Samples, int DistributionEnd);

/// <summary>LoadGen's GenerateLoadableSets: shuffle the sample indices with the QSL seed and cut them into sets.</summary>
public static class LoadableSets
{
    public static IReadOnlyList<LoadableSet> Generate(EffectiveSettings settings, long qslTotalSampleCount, long requestedSampleCount)
    {
        var count = (int)Math.Min(requestedSampleCount, qslTotalSampleCount);
        var indices = new int[count];
        for (var i = 0; i < count; i++) indices[i] = i;
        StdDistributions.Shuffle(indices.AsSpan(), new Mt19937(settings.QslRngSeed));

        var setSize = settings.PerformanceSampleCount == 0 ? Math.Max(count, 1) : (int)Math.Min(settings.PerformanceSampleCount, int.MaxValue);
        var padding = settings.Scenario == TestScenario.MultiStream ? (int)settings.SamplesPerQuery - 1 : 0;
        var sets = new List<LoadableSet>();
        for (var offset = 0; offset < count; offset += setSize)
        {
            var size = Math.Min(setSize, count - offset);
            var set = new int[size + padding];
            Array.Copy(indices, offset, set, 0, size);
            for (var i = 0; i < padding; i++) set[size + i] = set[i];
            sets.Add(new LoadableSet(set, size));
        }
        return sets;
    }
}
