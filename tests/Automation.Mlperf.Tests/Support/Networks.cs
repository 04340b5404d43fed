using Automation.Mlperf.Training;

namespace Automation.Mlperf.Tests.Support;

public static class Networks
{
    /// <summary>An untrained 784→32→10 network with non-zero biases: enough to compare two runtimes cheaply.</summary>
    public static MlpNetwork Random(int hidden = 32, ulong seed = 7)
    {
        var random = new DeterministicRandom(seed);
        var net = MlpNetwork.CreateInitialized(784, hidden, 10, random);
        for (var i = 0; i < net.B1.Length; i++) net.B1[i] = (float)random.NextNormal() * 0.1f;
        for (var i = 0; i < net.B2.Length; i++) net.B2[i] = (float)random.NextNormal() * 0.1f;
        return net;
    }

    public static float[] RandomInputs(int count, ulong seed = 11)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, count * 784).Select(_ => (float)random.NextNormal()).ToArray();
    }
}
