using Automation.Core.Errors;

namespace Automation.Mlperf.Datasets;

public enum FashionMnistSplit { Train, Test }

/// <summary>Grey-scale images, one byte a pixel, row-major [Count, Rows, Cols], with one class label a image.</summary>
public sealed record LabeledImages(int Count, int Rows, int Cols, byte[] Pixels, byte[] Labels)
{
    public int PixelsPerImage => Rows * Cols;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>The first <paramref name="count"/> images: a quick subset for tests and smoke runs.</summary>
    public LabeledImages Take(int count)
    {
        count = Math.Min(count, Count);
        return new LabeledImages(count, Rows, Cols, Pixels[..(count * PixelsPerImage)], Labels[..count]);
    }
}

/// <summary>Loads Fashion-MNIST from a folder holding the four idx files (gzip or unpacked, as Debian's dataset-fashion-mnist installs them).</summary>
public static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";
    public const int ClassCount = 10;
    public const int ImageSize = 28;

    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly string[] Stems = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The official file names, gzipped, as published and as Debian installs them.</summary>
    public static IReadOnlyList<string> FileNames { get; } = Stems.Select(s => s + ".gz").ToArray();

    /// <summary>The four files present in a folder (gzipped or not); a missing one is an error naming it.</summary>
    public static IReadOnlyList<string> FilesIn(string folder) => Stems.Select(s => Locate(folder, s)).ToList();

    public static LabeledImages Load(string folder, FashionMnistSplit split)
    {
        var prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        var images = IdxReader.ReadImages(Locate(folder, $"{prefix}-images-idx3-ubyte"));
        var labels = IdxReader.ReadLabels(Locate(folder, $"{prefix}-labels-idx1-ubyte"));

        if (images.Dims.Count != 3 || images.Dims[1] != ImageSize || images.Dims[2] != ImageSize)
            throw IdxReader.Invalid(images.Path, $"wrong dimensions [{string.Join(", ", images.Dims)}], expected [N, {ImageSize}, {ImageSize}]");
        if (labels.Dims.Count != 1)
            throw IdxReader.Invalid(labels.Path, $"wrong dimensions [{string.Join(", ", labels.Dims)}], expected [N]");
        if (images.Count != labels.Count)
            throw IdxReader.Invalid(labels.Path, $"holds {labels.Count} labels but {Path.GetFileName(images.Path)} holds {images.Count} images");
        var bad = Array.FindIndex(labels.Data, l => l >= ClassCount);
        if (bad >= 0)
            throw IdxReader.Invalid(labels.Path, $"label {labels.Data[bad]} at index {bad} is outside 0..{ClassCount - 1}");

        return new LabeledImages(images.Count, ImageSize, ImageSize, images.Data, labels.Data);
    }

    private static string Locate(string folder, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        throw new AutomationException($"Fashion-MNIST file '{stem}.gz' not found in '{folder}'", file: Path.Combine(folder, stem + ".gz"),
            fix: "Install the Debian package dataset-fashion-mnist (it installs /usr/share/datasets/fashion-mnist) or pass the folder holding the idx files.");
    }
}
