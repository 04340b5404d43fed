using Automation.Core.Errors;
using Automation.Mlperf.Accuracy;
using Automation.Mlperf.Preprocessing;
using SkiaSharp;
using Xunit;

namespace Automation.Mlperf.Tests.Preprocessing;

public sealed class ImagenetPreprocessingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("imagenet-pre-").FullName;
    private static readonly ImagenetPreprocessing P = ImagenetPreprocessing.MlperfResnet50;

    public void Dispose() => Directory.Delete(dir, true);

    [Theory]
    [InlineData(500, 375, 341, 256)] // landscape: shorter side 375 → 256, long side int(256·500/375)
    [InlineData(375, 500, 256, 341)]
    [InlineData(256, 256, 256, 256)]
    [InlineData(100, 80, 320, 256)] // small images are enlarged, as the reference does
    public void ShorterSideBecomes256AndTheLongSideIsTruncatedAsInTheReference(int w, int h, int rw, int rh)
    {
        Assert.Equal((rw, rh), P.ResizedSize(w, h));
        var (left, top) = P.CropOrigin(rw, rh);
        Assert.Equal(((rw - 224) / 2, (rh - 224) / 2), (left, top));
    }

    [Fact]
    public void SolidColourBecomesMeanSubtractedRgbPlanes()
    {
        var path = Path.Combine(dir, "orange.png"); // lossless, so the expected values are exact
        WriteImage(path, new SKColor(200, 100, 50), 400, 300, SKEncodedImageFormat.Png);
        var sample = new float[P.SampleSize];
        P.Process(path, sample);
        var plane = 224 * 224;
        var centre = 112 * 224 + 112;
        Assert.Equal(200 - 123.68f, sample[centre], 3);
        Assert.Equal(100 - 116.78f, sample[plane + centre], 3);
        Assert.Equal(50 - 103.94f, sample[2 * plane + centre], 3);
        Assert.Equal(200 - 123.68f, sample[0], 3);
        Assert.Equal(50 - 103.94f, sample[3 * plane - 1], 3);
    }

    [Fact]
    public void JpegCentreIsWithinCompressionErrorAndTheCropIsTheCentre()
    {
        // Left third red, rest blue, 600×300: resized to 512×256, the crop starts at x=144, i.e. past the red third (≤170).
        var path = Path.Combine(dir, "split.jpg");
        using (var bitmap = new SKBitmap(600, 300))
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(0, 0, 255));
            using var red = new SKPaint { Color = new SKColor(255, 0, 0) };
            canvas.DrawRect(0, 0, 200, 300, red);
            canvas.Flush();
            Save(bitmap, path, SKEncodedImageFormat.Jpeg);
        }
        var sample = new float[P.SampleSize];
        P.Process(path, sample);
        var plane = 224 * 224;
        var centre = 112 * 224 + 112;
        Assert.InRange(sample[2 * plane + centre] + 103.94f, 240, 255); // blue at the centre
        Assert.InRange(sample[centre] + 123.68f, 0, 15);
        Assert.InRange(sample[112 * 224 + 5] + 123.68f, 200, 255);      // x=5 in the crop is x≈149 resized ≈ 175 original: red
        Assert.InRange(sample[112 * 224 + 60] + 123.68f, 0, 15);        // x≈204 resized ≈ 239 original: blue
    }

    [Fact]
    public void ValMapOrdersImagesAndRejectsBadLines()
    {
        WriteImage(Path.Combine(dir, "b.JPEG"), SKColors.Gray, 10, 10, SKEncodedImageFormat.Jpeg);
        WriteImage(Path.Combine(dir, "a.JPEG"), SKColors.Gray, 10, 10, SKEncodedImageFormat.Jpeg);
        var map = Path.Combine(dir, "val_map.txt");
        File.WriteAllLines(map, ["b.JPEG 999", "a.JPEG 65"]);
        var images = ImagenetFolder.List(dir, map);
        Assert.Equal(["b.JPEG", "a.JPEG"], images.Select(i => Path.GetFileName(i.Path)));
        Assert.Equal([999, 65], images.Select(i => i.Label));
        Assert.Equal(["a.JPEG", "b.JPEG"], ImagenetFolder.List(dir, null).Select(i => Path.GetFileName(i.Path)));

        File.WriteAllLines(map, ["a.JPEG sixty-five"]);
        Assert.Contains("line 1", Assert.Throws<AutomationException>(() => ImagenetFolder.List(dir, map)).Message);
        File.WriteAllLines(map, ["missing.JPEG 3"]);
        Assert.Contains("missing.JPEG", Assert.Throws<AutomationException>(() => ImagenetFolder.List(dir, map)).Message);
    }

    [Fact]
    public void WideLabelsRoundTripAndAccuracyAppliesTheBackgroundOffset()
    {
        var tensor = new PreprocessedTensor([2, 3, 1, 1], new float[6], [], new NormalizationParameters(0f, 1f, 1f));
        var set = PreprocessedDataset.Write(dir, "wide", tensor, "test", 1000, wideLabels: [999, 3]);
        Assert.Equal([999, 3], PreprocessedDataset.Open(set.SidecarPath).ReadClassIds());

        // The model answers 1000 for label 999 (right with offset 1) and 3 for label 3 (wrong with offset 1).
        var log = Path.Combine(dir, "mlperf_log_accuracy.json");
        File.WriteAllText(log, $"[{{\"seq_id\":0,\"qsl_idx\":0,\"data\":\"{Hex(1000)}\"}},{{\"seq_id\":1,\"qsl_idx\":1,\"data\":\"{Hex(3)}\"}}]");
        var withOffset = AccuracyProcessor.Compute(log, [999, 3], 1001, labelOffset: 1);
        Assert.Equal((1, 2), (withOffset.Good, withOffset.Total));
        var without = AccuracyProcessor.Compute(log, [999, 3], 1001, labelOffset: 0);
        Assert.Equal(1, without.Good);
    }

    private static string Hex(int value) => Convert.ToHexString(BitConverter.GetBytes(value));

    private static void WriteImage(string path, SKColor color, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        Save(bitmap, path, format);
    }

    private static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }
}
