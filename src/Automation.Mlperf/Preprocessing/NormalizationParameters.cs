using System.Globalization;
using Automation.Mlperf.Datasets;

namespace Automation.Mlperf.Preprocessing;

/// <summary>
/// How raw pixels become network input: y = (x / Scale - Mean) / Std, laid out NCHW as float32.
/// Every field is part of the preprocessing cache key: change one and the preprocessed files differ.
/// </summary>
public sealed record NormalizationParameters(float Mean, float Std, float Scale = 255f, string Layout = "NCHW", string DataType = "float32")
{
    /// <summary>Mean and standard deviation of x/255 over the 60,000 Fashion-MNIST training images, rounded to 4 places.</summary>
    public static NormalizationParameters FashionMnist { get; } = new(0.2860f, 0.3530f);

    /// <summary>Measures mean and standard deviation of x/Scale over <paramref name="images"/> (population statistics, rounded to 4 places).</summary>
    public static NormalizationParameters Measure(LabeledImages images, float scale = 255f)
    {
        var histogram = new long[256];
        foreach (var p in images.Pixels) histogram[p]++;
        double n = images.Pixels.Length, sum = 0, sumSquares = 0;
        for (var v = 0; v < 256; v++)
        {
            var x = v / (double)scale;
            sum += histogram[v] * x;
            sumSquares += histogram[v] * x * x;
        }
        var mean = sum / n;
        var std = Math.Sqrt(Math.Max(sumSquares / n - mean * mean, 0));
        return new NormalizationParameters((float)Math.Round(mean, 4), (float)Math.Round(Math.Max(std, 1e-4), 4), scale);
    }

    /// <summary>A canonical one-line form for cache keys; "R" keeps floats exact so two different values never collide.</summary>
    public string CacheKey => string.Create(CultureInfo.InvariantCulture,
        $"layout={Layout};dtype={DataType};scale={Scale:R};mean={Mean:R};std={Std:R}");

    /// <summary>The float each byte value maps to; a table keeps the per-pixel work exact to the formula and cheap.</summary>
    public float[] LookupTable()
    {
        var table = new float[256];
        for (var v = 0; v < 256; v++) table[v] = (v / Scale - Mean) / Std;
        return table;
    }
}
