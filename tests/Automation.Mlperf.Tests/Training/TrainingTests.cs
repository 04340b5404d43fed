using Automation.Mlperf.Datasets;
using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Tests.Support;
using Automation.Mlperf.Training;

namespace Automation.Mlperf.Tests.Training;

public sealed class TrainingTests
{
    private static readonly MlpTrainingOptions Small = new(HiddenUnits: 64, Epochs: 1, BatchSize: 32);

    [Fact]
    public void LearnsASeparableProblemInOneEpoch()
    {
        var train = SyntheticData.Prototypes(1000, seed: 1, noise: 2f);
        var test = SyntheticData.Prototypes(300, seed: 2, noise: 2f);

        var result = new MlpTrainer(Small).Train(train, test);

        Assert.True(result.Epochs[0].ValidationAccuracy > 0.95, $"validation accuracy {result.Epochs[0].ValidationAccuracy}");
        Assert.True(result.Epochs[0].MeanLoss < Math.Log(10), $"loss {result.Epochs[0].MeanLoss} is no better than chance");
    }

    [Fact]
    public void SameSeedGivesIdenticalWeightsWhateverTheThreadCount()
    {
        var train = SyntheticData.Prototypes(400, seed: 3, noise: 2f);

        var a = new MlpTrainer(Small with { MaxDegreeOfParallelism = 1 }).Train(train).Network;
        var b = new MlpTrainer(Small with { MaxDegreeOfParallelism = 4 }).Train(train).Network;
        var c = new MlpTrainer(Small with { Seed = 12345 }).Train(train).Network;

        Assert.Equal(a.W1, b.W1);
        Assert.Equal(a.B1, b.B1);
        Assert.Equal(a.W2, b.W2);
        Assert.Equal(a.B2, b.B2);
        Assert.NotEqual(a.W1, c.W1);
    }

    [Fact]
    public void LearningRateHalvesOnSchedule()
    {
        var options = new MlpTrainingOptions(LearningRate: 0.004f, DecayEvery: 2);

        Assert.Equal([0.004f, 0.004f, 0.002f, 0.002f, 0.001f], Enumerable.Range(0, 5).Select(options.LearningRateAt));
    }

    [Fact]
    public void AdamMovesAgainstTheGradientByTheStepSize()
    {
        float[] w = [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f], m = new float[11], v = new float[11];
        var g = Enumerable.Range(0, 11).Select(i => i % 2 == 0 ? 0.5f : -2f).ToArray();
        var settings = new AdamSettings();

        AdamOptimizer.Update(w, g, m, v, settings, settings.StepSize(1, 0.01f));

        // On Adam's first step the bias-corrected update is lr * sign(g) (up to epsilon).
        for (var i = 0; i < w.Length; i++) Assert.Equal(i % 2 == 0 ? 0.99f : 1.01f, w[i], 1e-5f);
    }

    [Fact]
    public void RandomNumbersAreFixedBySeed()
    {
        var a = new DeterministicRandom(42);
        var b = new DeterministicRandom(42);

        Assert.Equal(Enumerable.Range(0, 5).Select(_ => a.NextUInt64()), Enumerable.Range(0, 5).Select(_ => b.NextUInt64()));
        // SplitMix64's published first output for seed 0 pins the algorithm itself, not just its repeatability.
        Assert.Equal(0xE220A8397B1DCDAFUL, new DeterministicRandom(0).NextUInt64());
    }

    [FashionMnistFact]
    public void ReachesASaneAccuracyOnAFashionMnistSubsetQuickly()
    {
        var p = NormalizationParameters.FashionMnist;
        var train = ImageNormalizer.Normalize(FashionMnist.Load(FashionMnist.DefaultFolder, FashionMnistSplit.Train).Take(6000), p);
        var test = ImageNormalizer.Normalize(FashionMnist.Load(FashionMnist.DefaultFolder, FashionMnistSplit.Test).Take(2000), p);

        var result = new MlpTrainer(new MlpTrainingOptions(HiddenUnits: 128, Epochs: 2)).Train(train, test);

        Assert.True(result.Epochs[^1].ValidationAccuracy > 0.78, $"validation accuracy {result.Epochs[^1].ValidationAccuracy}");
    }
}
