using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Training;

namespace Automation.Mlperf.Tests.Support;

public static class SyntheticData
{
    /// <summary>Ten noisy copies of ten fixed random prototypes: learnable in one epoch, so training tests need no data set.</summary>
    public static PreprocessedTensor Prototypes(int count, ulong seed, float noise = 1f)
    {
        var prototypes = new DeterministicRandom(99);
        var centres = Enumerable.Range(0, 10 * 784).Select(_ => (float)prototypes.NextNormal()).ToArray();
        var random = new DeterministicRandom(seed);
        var data = new float[count * 784];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.NextInt(10);
            for (var k = 0; k < 784; k++) data[i * 784 + k] = centres[labels[i] * 784 + k] + noise * (float)random.NextNormal();
        }
        return new PreprocessedTensor([count, 1, 28, 28], data, labels, NormalizationParameters.FashionMnist);
    }
}
