using Automation.Core.Errors;
using Automation.Mlperf.Datasets;
using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Tests.Support;

namespace Automation.Mlperf.Tests.Preprocessing;

public sealed class PreprocessingTests : TempDirTest
{
    private static LabeledImages Images(int count)
    {
        var pixels = new byte[count * 784];
        new Random(3).NextBytes(pixels);
        return new LabeledImages(count, 28, 28, pixels, Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());
    }

    [Fact]
    public void NormalizesToNchwWithTheFormula()
    {
        var images = Images(2);
        var p = new NormalizationParameters(0.5f, 0.25f);

        var tensor = ImageNormalizer.Normalize(images, p);

        Assert.Equal([2, 1, 28, 28], tensor.Shape);
        Assert.Equal(784, tensor.SampleSize);
        var x = images.Pixels[784 + 5];
        Assert.Equal((x / 255f - 0.5f) / 0.25f, tensor.Sample(1)[5]);
        Assert.Equal(-2f, ImageNormalizer.Normalize(new LabeledImages(1, 28, 28, new byte[784], [0]), p).Data[0]);
    }

    [Fact]
    public void RoundTripsThroughFiles()
    {
        var tensor = ImageNormalizer.Normalize(Images(5), NormalizationParameters.FashionMnist);

        var written = PreprocessedDataset.Write(Dir.Path, "test", tensor, "fashion-mnist/t10k", 10);
        var opened = PreprocessedDataset.Open(written.SidecarPath);
        var loaded = opened.Load();

        Assert.Equal(tensor.Shape, loaded.Shape);
        Assert.Equal(tensor.Data, loaded.Data);
        Assert.Equal(tensor.Labels, loaded.Labels);
        Assert.Equal(NormalizationParameters.FashionMnist, loaded.Parameters);
        Assert.Equal("fashion-mnist/t10k", opened.Info.Source);
        Assert.Equal(0, TensorFile.ReadHeader(opened.TensorPath).DataOffset % 64);
        var json = File.ReadAllText(written.SidecarPath);
        Assert.Contains("\"mean\": 0.286", json);
        Assert.Contains("\"layout\": \"NCHW\"", json);
    }

    [Fact]
    public void ReadsARangeWithoutTheRest()
    {
        var tensor = ImageNormalizer.Normalize(Images(4), NormalizationParameters.FashionMnist);
        var path = Dir.File("x.tensor");
        TensorFile.Write(path, tensor.Data, tensor.Shape);

        using var handle = TensorFile.OpenRead(path);
        var header = TensorFile.ReadHeader(handle, path);
        var sample = new float[784];
        TensorFile.ReadFloat32Range(handle, header, 2 * 784, sample);

        Assert.Equal(tensor.Sample(2).ToArray(), sample);
    }

    [Fact]
    public void DetectsATruncatedTensorFile()
    {
        var tensor = ImageNormalizer.Normalize(Images(2), NormalizationParameters.FashionMnist);
        var written = PreprocessedDataset.Write(Dir.Path, "t", tensor, "x", 10);
        var bytes = File.ReadAllBytes(written.TensorPath);
        File.WriteAllBytes(written.TensorPath, bytes[..^4]);

        var ex = Assert.Throws<AutomationException>(() => PreprocessedDataset.Open(written.SidecarPath));

        Assert.Contains("needs", ex.Message);
        Assert.Contains("t.tensor", ex.Message);
    }

    [Fact]
    public void CacheKeyChangesWithEveryParameter()
    {
        var a = NormalizationParameters.FashionMnist;
        var keys = new[] { a, a with { Mean = 0.2861f }, a with { Std = 0.3531f }, a with { Scale = 256f } }.Select(p => p.CacheKey);

        Assert.Equal(4, keys.Distinct().Count());
        Assert.Equal("layout=NCHW;dtype=float32;scale=255;mean=0.286;std=0.353", a.CacheKey);
    }

    [FashionMnistFact]
    public void MeasuredTrainingStatisticsMatchTheDefaults()
    {
        var train = FashionMnist.Load(FashionMnist.DefaultFolder, FashionMnistSplit.Train);

        Assert.Equal(NormalizationParameters.FashionMnist, NormalizationParameters.Measure(train));
    }
}
