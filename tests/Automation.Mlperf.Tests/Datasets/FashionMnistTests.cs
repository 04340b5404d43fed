using Automation.Core.Errors;
using Automation.Mlperf.Datasets;
using Automation.Mlperf.Tests.Support;

namespace Automation.Mlperf.Tests.Datasets;

public sealed class FashionMnistTests : TempDirTest
{
    [Fact]
    public void LoadsASplitFromAFolder()
    {
        var labels = IdxBytes.WriteSplit(Dir.Path, "t10k", 12);

        var set = FashionMnist.Load(Dir.Path, FashionMnistSplit.Test);

        Assert.Equal(12, set.Count);
        Assert.Equal(28 * 28, set.Image(11).Length);
        Assert.Equal(labels, set.Labels);
    }

    [Fact]
    public void RejectsWrongImageDims()
    {
        IdxBytes.Write(Dir.File("t10k-images-idx3-ubyte.gz"), IdxBytes.Build(0x803, [2, 20, 20], new byte[800]), gzip: true);
        IdxBytes.Write(Dir.File("t10k-labels-idx1-ubyte.gz"), IdxBytes.Build(0x801, [2], [0, 1]), gzip: true);

        var ex = Assert.Throws<AutomationException>(() => FashionMnist.Load(Dir.Path, FashionMnistSplit.Test));

        Assert.Contains("wrong dimensions [2, 20, 20], expected [N, 28, 28]", ex.Message);
        Assert.Contains("t10k-images-idx3-ubyte.gz", ex.Message);
    }

    [Fact]
    public void RejectsCountMismatch()
    {
        IdxBytes.Write(Dir.File("t10k-images-idx3-ubyte.gz"), IdxBytes.Build(0x803, [2, 28, 28], new byte[2 * 784]), gzip: true);
        IdxBytes.Write(Dir.File("t10k-labels-idx1-ubyte.gz"), IdxBytes.Build(0x801, [3], [0, 1, 2]), gzip: true);

        var ex = Assert.Throws<AutomationException>(() => FashionMnist.Load(Dir.Path, FashionMnistSplit.Test));

        Assert.Contains("holds 3 labels but t10k-images-idx3-ubyte.gz holds 2 images", ex.Message);
    }

    [Fact]
    public void RejectsOutOfRangeLabel()
    {
        IdxBytes.Write(Dir.File("t10k-images-idx3-ubyte.gz"), IdxBytes.Build(0x803, [1, 28, 28], new byte[784]), gzip: true);
        IdxBytes.Write(Dir.File("t10k-labels-idx1-ubyte.gz"), IdxBytes.Build(0x801, [1], [10]), gzip: true);

        var ex = Assert.Throws<AutomationException>(() => FashionMnist.Load(Dir.Path, FashionMnistSplit.Test));

        Assert.Contains("label 10 at index 0", ex.Message);
    }

    [Fact]
    public void MissingFolderSaysHowToInstall()
    {
        var ex = Assert.Throws<AutomationException>(() => FashionMnist.Load(Dir.File("none"), FashionMnistSplit.Train));

        Assert.Contains("dataset-fashion-mnist", ex.Message);
    }

    [FashionMnistFact]
    public void LoadsTheInstalledTestSet()
    {
        var set = FashionMnist.Load(FashionMnist.DefaultFolder, FashionMnistSplit.Test);

        Assert.Equal(10_000, set.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, set.Labels.Count(l => l == c)));
    }
}
