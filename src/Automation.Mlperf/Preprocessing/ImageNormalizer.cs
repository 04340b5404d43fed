using Automation.Mlperf.Datasets;

namespace Automation.Mlperf.Preprocessing;

/// <summary>A normalised data set in memory: float32 samples of <see cref="SampleShape"/>, one label a sample.</summary>
public sealed record PreprocessedTensor(int[] Shape, float[] Data, byte[] Labels, NormalizationParameters Parameters)
{
    public int Count => Shape[0];
    public int SampleSize => Data.Length / Math.Max(Count, 1);
    public int[] SampleShape => Shape[1..];

    public ReadOnlySpan<float> Sample(int index) => Data.AsSpan(index * SampleSize, SampleSize);
}

public static class ImageNormalizer
{
    /// <summary>Turns grey-scale images into float32 NCHW [N, 1, Rows, Cols].</summary>
    public static PreprocessedTensor Normalize(LabeledImages images, NormalizationParameters parameters)
    {
        if (parameters.Layout != "NCHW" || parameters.DataType != "float32")
            throw new ArgumentException($"Only NCHW float32 is supported, not {parameters.Layout} {parameters.DataType}.", nameof(parameters));
        if (parameters.Std <= 0 || parameters.Scale <= 0)
            throw new ArgumentException($"Std and Scale must be positive (std={parameters.Std}, scale={parameters.Scale}).", nameof(parameters));

        var table = parameters.LookupTable();
        var data = new float[images.Pixels.Length];
        for (var i = 0; i < data.Length; i++) data[i] = table[images.Pixels[i]];
        return new PreprocessedTensor([images.Count, 1, images.Rows, images.Cols], data, images.Labels.ToArray(), parameters);
    }
}
