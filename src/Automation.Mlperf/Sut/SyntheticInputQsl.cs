using Automation.LoadGen;
using Automation.Mlperf.Training;

namespace Automation.Mlperf.Sut;

/// <summary>
/// A QSL of random standard-normal samples shaped like a model's input, for benchmarking any single-input float32
/// ONNX model without its data set. Sample i is the same on every load (seeded by the QSL seed and i).
/// </summary>
public sealed class SyntheticInputQsl(IReadOnlyList<int> sampleShape, int totalSampleCount = 1024, ulong seed = 0) : IQuerySampleLibrary, ISampleSource
{
    private readonly LoadedSampleBuffer _buffer = new(totalSampleCount, Shapes.ElementCount(sampleShape));

    /// <summary>Shapes samples from the model's first input: the batch dimension dropped, symbolic dimensions taken as 1.</summary>
    public static SyntheticInputQsl ForModel(string modelPath, int totalSampleCount = 1024, ulong seed = 0) =>
        new(ModelInput.Describe(modelPath).SampleShape, totalSampleCount, seed);

    public string Name => $"synthetic[{string.Join("x", SampleShape)}]";
    public int TotalSampleCount => totalSampleCount;
    public int PerformanceSampleCount => totalSampleCount;
    public IReadOnlyList<int> SampleShape => sampleShape;
    public int SampleSize { get; } = Shapes.ElementCount(sampleShape);

    public void LoadSamplesToRam(IReadOnlyList<int> sampleIndices) =>
        _buffer.Load(sampleIndices, (index, destination) =>
        {
            var random = new DeterministicRandom(seed * 0x9E3779B97F4A7C15UL + (ulong)index);
            for (var i = 0; i < destination.Length; i++) destination[i] = (float)random.NextNormal();
        });

    public void UnloadSamplesFromRam(IReadOnlyList<int> sampleIndices) => _buffer.Unload(sampleIndices);

    public ReadOnlySpan<float> GetSample(int index) => _buffer.Get(index);
}
