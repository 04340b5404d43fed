using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Automation.LoadGen;
using Automation.Mlperf.Onnx;
using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Sut;
using Automation.Mlperf.Tests.Support;
using Automation.Mlperf.Training;

namespace Automation.Mlperf.Tests.Sut;

public sealed class SutTests : TempDirTest
{
    private const int Count = 100;
    private readonly MlpNetwork _net = Networks.Random();
    private readonly string _model;
    private readonly PreprocessedDataset _dataset;

    public SutTests()
    {
        _model = Dir.File("model.onnx");
        MlpOnnxExporter.Export(_net, [1, 28, 28], _model);
        _dataset = PreprocessedDataset.Write(Dir.Path, "val", SyntheticData.Prototypes(Count, seed: 5), "synthetic", 10);
    }

    private PreprocessedDatasetQsl LoadedQsl()
    {
        var qsl = new PreprocessedDatasetQsl(_dataset);
        qsl.LoadSamplesToRam(Enumerable.Range(0, Count).ToList());
        return qsl;
    }

    private static QuerySample[] Query(IEnumerable<int> indices, ulong firstId = 1000) =>
        indices.Select((index, i) => new QuerySample(firstId + (ulong)i, index)).ToArray();

    private int Expected(ISampleSource qsl, int index) => _net.Predict(qsl.GetSample(index));

    [Fact]
    public void OfflineQueryIsBatchedAndEverySampleCompletedOnceWithItsClass()
    {
        var qsl = LoadedQsl();
        using var sut = new OnnxRuntimeSut(_model, qsl, new OnnxRuntimeSutOptions(BatchSize: 16));
        var completer = new RecordingCompleter();
        var indices = Enumerable.Range(0, Count).Reverse().ToArray();

        sut.IssueQuery(Query(indices), completer);
        sut.FlushQueries();
        completer.WaitFor(Count);

        Assert.Equal(7, completer.CallCount); // 6 full batches of 16 and one of 4
        Assert.Equal(Count, completer.Responses.Select(r => r.Id).Distinct().Count());
        foreach (var (id, data) in completer.Responses)
        {
            var index = indices[(int)(id - 1000)];
            Assert.Equal(4, data.Length);
            Assert.Equal(Expected(qsl, index), BinaryPrimitives.ReadInt32LittleEndian(data));
        }
        Assert.Null(sut.Fault);
    }

    [Fact]
    public void SingleStreamQueriesCompleteOneByOne()
    {
        var qsl = LoadedQsl();
        using var sut = new OnnxRuntimeSut(_model, qsl, new OnnxRuntimeSutOptions(BatchSize: 8));
        var completer = new RecordingCompleter();

        for (var i = 0; i < 20; i++)
        {
            sut.IssueQuery(Query([i * 3], firstId: (ulong)i + 1), completer);
            completer.WaitFor(i + 1);
        }

        Assert.Equal(20, completer.CallCount);
        Assert.All(completer.Responses, r => Assert.Equal(Expected(qsl, ((int)r.Id - 1) * 3), BinaryPrimitives.ReadInt32LittleEndian(r.Data)));
    }

    [Fact]
    public void ConcurrentIssuersAreAllServed()
    {
        var qsl = LoadedQsl();
        using var sut = new OnnxRuntimeSut(_model, qsl, new OnnxRuntimeSutOptions(BatchSize: 4));
        var completer = new RecordingCompleter();

        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => sut.IssueQuery(Query([i], firstId: (ulong)i + 1), completer));
        completer.WaitFor(Count);

        Assert.Equal(Enumerable.Range(1, Count).Select(i => (ulong)i), completer.Responses.Select(r => r.Id).Order());
        Assert.All(completer.Responses, r => Assert.Equal(Expected(qsl, (int)r.Id - 1), BinaryPrimitives.ReadInt32LittleEndian(r.Data)));
    }

    [Fact]
    public void OutputFloat32ResponsesCarryTheProbabilityRow()
    {
        var qsl = LoadedQsl();
        using var sut = new OnnxRuntimeSut(_model, qsl, new OnnxRuntimeSutOptions(BatchSize: 32, Response: SutResponseFormat.OutputFloat32));
        var completer = new RecordingCompleter();

        sut.IssueQuery(Query([3, 4, 5]), completer);
        completer.WaitFor(3);

        Assert.Equal(40, sut.ResponseSize);
        var expected = new float[10];
        foreach (var (id, data) in completer.Responses)
        {
            _net.Forward(qsl.GetSample((int)(id - 1000) + 3), expected);
            var row = Enumerable.Range(0, 10).Select(k => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(4 * k))).ToArray();
            for (var k = 0; k < 10; k++) Assert.Equal(expected[k], row[k], 1e-5f);
        }
    }

    [Fact]
    public void AnUnloadedSampleFaultsTheSutButStillCompletes()
    {
        var qsl = new PreprocessedDatasetQsl(_dataset);
        qsl.LoadSamplesToRam([0, 1]);
        using var sut = new OnnxRuntimeSut(_model, qsl, new OnnxRuntimeSutOptions(InlineSingleSampleQueries: false));
        var completer = new RecordingCompleter();

        sut.IssueQuery(Query([0, 7]), completer);
        completer.WaitFor(2);

        Assert.All(completer.Responses, r => Assert.Empty(r.Data));
        Assert.Contains("Sample 7 is not loaded", sut.Fault!.Message);
        Assert.Throws<InvalidOperationException>(sut.FlushQueries);
    }

    [Fact]
    public void QslKeepsExactlyTheLoadedSamples()
    {
        var qsl = new PreprocessedDatasetQsl(_dataset, performanceSampleCount: 64);
        var all = _dataset.Load();

        qsl.LoadSamplesToRam([5, 9, 5]);
        qsl.LoadSamplesToRam([2]);

        Assert.Equal(64, qsl.PerformanceSampleCount);
        Assert.Equal(Count, qsl.TotalSampleCount);
        Assert.Equal(3, qsl.LoadedSampleCount);
        Assert.Equal(all.Sample(9).ToArray(), qsl.GetSample(9).ToArray());
        Assert.Equal(all.Sample(2).ToArray(), qsl.GetSample(2).ToArray());
        Assert.Throws<InvalidOperationException>(() => qsl.GetSample(3).ToArray());
        qsl.UnloadSamplesFromRam([9]);
        Assert.Throws<InvalidOperationException>(() => qsl.GetSample(9).ToArray());
        Assert.Equal(all.Sample(5).ToArray(), qsl.GetSample(5).ToArray());
        Assert.Equal(all.Labels, qsl.Labels);
    }

    [Fact]
    public void SyntheticQslShapesInputsFromTheModelAndDrivesTheSut()
    {
        var qsl = SyntheticInputQsl.ForModel(_model, totalSampleCount: 10, seed: 3);
        qsl.LoadSamplesToRam([0, 1, 2]);
        var again = SyntheticInputQsl.ForModel(_model, totalSampleCount: 10, seed: 3);
        again.LoadSamplesToRam([2]);
        using var sut = new OnnxRuntimeSut(_model, qsl, new OnnxRuntimeSutOptions(Response: SutResponseFormat.OutputFloat32));
        var completer = new RecordingCompleter();

        sut.IssueQuery(Query([0, 1, 2]), completer);
        completer.WaitFor(3);

        Assert.Equal([1, 28, 28], qsl.SampleShape);
        Assert.Equal(qsl.GetSample(2).ToArray(), again.GetSample(2).ToArray());
        Assert.NotEqual(qsl.GetSample(1).ToArray(), qsl.GetSample(2).ToArray());
        Assert.All(completer.Responses, r => Assert.Equal(1f, Enumerable.Range(0, 10).Sum(k => BinaryPrimitives.ReadSingleLittleEndian(r.Data.AsSpan(4 * k))), 1e-4f));
    }

    /// <summary>
    /// LoadGen's Offline query lists the loaded set in the order it was loaded, promising contiguity; the QSL keeps that
    /// order in memory, so a batch of consecutive samples reads one stretch (packed by index, TEST04 failed: see
    /// LoadedSampleBuffer).
    /// </summary>
    [Fact]
    public void LoadedSamplesLieInMemoryInTheOrderLoadGenLoadedThem()
    {
        var qsl = SyntheticInputQsl.ForModel(_model, totalSampleCount: 10, seed: 3);
        qsl.LoadSamplesToRam([7, 2, 9, 4]);
        AssertContiguous(qsl, [7, 2, 9, 4]);

        qsl.LoadSamplesToRam([1, 9, 0]);
        AssertContiguous(qsl, [7, 2, 9, 4, 1, 0]);

        qsl.UnloadSamplesFromRam([2]);
        qsl.LoadSamplesToRam([3]);
        AssertContiguous(qsl, [7, 9, 4, 1, 0, 3]);
    }

    private static void AssertContiguous(SyntheticInputQsl qsl, int[] order)
    {
        for (var i = 1; i < order.Length; i++)
        {
            ref readonly var previous = ref MemoryMarshal.GetReference(qsl.GetSample(order[i - 1]));
            ref readonly var next = ref MemoryMarshal.GetReference(qsl.GetSample(order[i]));
            Assert.Equal(qsl.SampleSize * sizeof(float), (long)Unsafe.ByteOffset(in previous, in next));
        }
    }

    [Fact]
    public void RawBatchLoopCountsEverySampleOfEveryPass()
    {
        var qsl = LoadedQsl();

        var result = RawBatchLoop.Measure(_model, qsl, Enumerable.Range(0, Count).ToList(), new OrtRunnerOptions(BatchSize: 32), passes: 3);

        Assert.Equal(3 * Count, result.Samples);
        Assert.Equal(32, result.BatchSize);
        Assert.True(result.SamplesPerSecond > 0);
    }
}
