using Automation.LoadGen;
using Automation.Mlperf.Preprocessing;

namespace Automation.Mlperf.Sut;

/// <summary>A QSL over a preprocessed data set on disk: samples are read from the tensor file only when LoadGen loads them.</summary>
public sealed class PreprocessedDatasetQsl : IQuerySampleLibrary, ISampleSource
{
    private readonly PreprocessedDataset _dataset;
    private readonly LoadedSampleBuffer _buffer;
    private readonly TensorFileHeader _header;
    private readonly Lazy<byte[]> _labels;

    /// <param name="performanceSampleCount">How many samples fit in RAM for a performance run; all of them when null.</param>
    public PreprocessedDatasetQsl(PreprocessedDataset dataset, int? performanceSampleCount = null)
    {
        _dataset = dataset;
        _header = TensorFile.ReadHeader(dataset.TensorPath);
        SampleShape = dataset.SampleShape;
        SampleSize = Shapes.ElementCount(SampleShape);
        PerformanceSampleCount = Math.Clamp(performanceSampleCount ?? dataset.Count, 1, Math.Max(1, dataset.Count));
        _buffer = new LoadedSampleBuffer(dataset.Count, SampleSize);
        _labels = new Lazy<byte[]>(dataset.ReadLabels);
    }

    public static PreprocessedDatasetQsl Open(string sidecarPath, int? performanceSampleCount = null) =>
        new(PreprocessedDataset.Open(sidecarPath), performanceSampleCount);

    public string Name => $"preprocessed:{_dataset.Info.Source}";
    public int TotalSampleCount => _dataset.Count;
    public int PerformanceSampleCount { get; }
    public IReadOnlyList<int> SampleShape { get; }
    public int SampleSize { get; }
    public int LoadedSampleCount => _buffer.LoadedCount;
    public IReadOnlyList<byte> Labels => _labels.Value;

    public void LoadSamplesToRam(IReadOnlyList<int> sampleIndices)
    {
        using var handle = TensorFile.OpenRead(_dataset.TensorPath);
        _buffer.Load(sampleIndices, (index, destination) => TensorFile.ReadFloat32Range(handle, _header, (long)index * SampleSize, destination));
    }

    public void UnloadSamplesFromRam(IReadOnlyList<int> sampleIndices) => _buffer.Unload(sampleIndices);

    public ReadOnlySpan<float> GetSample(int index) => _buffer.Get(index);
}
