using System.Globalization;
using Automation.Core.Errors;
using SkiaSharp;

namespace Automation.Mlperf.Preprocessing;

/// <summary>
/// MLPerf's ResNet50 image preprocessing (reference <c>pre_process_vgg</c>): scale the shorter side to 256 keeping the
/// aspect ratio, centre-crop 224×224, RGB, subtract per-channel means (no division by a std), float32 NCHW.
/// The reference resizes with OpenCV's INTER_AREA; Skia has no area filter, so this uses bilinear sampling with linear
/// mipmaps (an area-like average when shrinking). Pixel values can differ by a few units at edges, which moves top-1
/// accuracy by hundredths of a percent, not more; the geometry (sizes, crop offsets) is exactly the reference's.
/// </summary>
public sealed record ImagenetPreprocessing(int CropSide = 224, int ShorterSide = 256, float MeanR = 123.68f, float MeanG = 116.78f, float MeanB = 103.94f)
{
    public static ImagenetPreprocessing MlperfResnet50 { get; } = new();

    public int SampleSize => 3 * CropSide * CropSide;

    /// <summary>A one-line description for the sidecar's source field and cache keys.</summary>
    public string Describe => string.Create(CultureInfo.InvariantCulture,
        $"resize-shorter={ShorterSide},center-crop={CropSide},rgb,mean={MeanR:R}/{MeanG:R}/{MeanB:R},std=1,nchw,float32");

    /// <summary>The resized size before the crop, computed as the reference does (integer truncation of the long side).</summary>
    public (int Width, int Height) ResizedSize(int width, int height) =>
        height > width
            ? (ShorterSide, (int)((long)ShorterSide * height / width))
            : ((int)((long)ShorterSide * width / height), ShorterSide);

    /// <summary>The top-left corner of the centre crop in the resized image (reference: int((size - crop) / 2)).</summary>
    public (int Left, int Top) CropOrigin(int width, int height) => ((width - CropSide) / 2, (height - CropSide) / 2);

    /// <summary>Decodes, resizes, crops and normalises one image file into <paramref name="destination"/> (3×crop×crop, CHW).</summary>
    public void Process(string imagePath, Span<float> destination)
    {
        using var decoded = SKBitmap.Decode(imagePath)
            ?? throw new AutomationException("not a readable image (JPEG, PNG, ...)", file: imagePath, fix: "Remove the file from the image folder or replace it with the original.");
        Process(decoded, destination);
    }

    public void Process(SKBitmap image, Span<float> destination)
    {
        if (destination.Length != SampleSize) throw new ArgumentException($"Destination holds {destination.Length} floats, a sample needs {SampleSize}.", nameof(destination));
        var (w, h) = ResizedSize(image.Width, image.Height);
        using var rgba = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!image.CopyTo(rgba, SKColorType.Rgba8888)) throw new InvalidOperationException("Skia could not convert the image to RGBA.");
        using var resized = rgba.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidOperationException($"Skia could not resize a {image.Width}×{image.Height} image to {w}×{h}.");
        var (left, top) = CropOrigin(w, h);
        var pixels = resized.GetPixelSpan();
        var stride = resized.RowBytes;
        var plane = CropSide * CropSide;
        for (var y = 0; y < CropSide; y++)
        {
            var row = pixels.Slice((top + y) * stride + left * 4, CropSide * 4);
            for (var x = 0; x < CropSide; x++)
            {
                var o = y * CropSide + x;
                destination[o] = row[4 * x] - MeanR;
                destination[plane + o] = row[4 * x + 1] - MeanG;
                destination[2 * plane + o] = row[4 * x + 2] - MeanB;
            }
        }
    }
}

/// <summary>One image of the validation set and its label (0..999, or 0 when the set has no val_map.txt).</summary>
public sealed record ImagenetImage(string Path, int Label);

/// <summary>The ImageNet validation folder as CM and MLPerf lay it out: JPEGs plus an optional val_map.txt ("FILE LABEL").</summary>
public static class ImagenetFolder
{
    public const string ValMapName = "val_map.txt";

    public static bool IsImage(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() is ".jpeg" or ".jpg" or ".png";

    /// <summary>The images in val_map order when there is a map, else every image file by name.</summary>
    public static IReadOnlyList<ImagenetImage> List(string folder, string? valMap)
    {
        if (!Directory.Exists(folder))
            throw new AutomationException("ImageNet validation folder not found", file: folder,
                fix: "Pass --imagenet_path=DIR with the folder holding ILSVRC2012_val_*.JPEG (download it from https://image-net.org after accepting its licence).");
        if (valMap is null)
            return Directory.EnumerateFiles(folder).Where(IsImage).Order(StringComparer.Ordinal).Select(p => new ImagenetImage(p, 0)).ToList();

        var images = new List<ImagenetImage>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(valMap))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var label) || label is < 0 or > 1000)
                throw new AutomationException($"line {lineNo} is not \"FILE LABEL\" with a label in 0..999: '{line}'", file: valMap,
                    fix: "Use MLPerf's val_map.txt (e.g. 'ILSVRC2012_val_00000001.JPEG 65').");
            var path = System.IO.Path.Combine(folder, parts[0]);
            if (!File.Exists(path))
                throw new AutomationException($"line {lineNo} names {parts[0]}, which is not in {folder}", file: valMap,
                    fix: "Point --imagenet_path at the folder the map describes, or use the map that came with these images.");
            images.Add(new ImagenetImage(path, label));
        }
        return images;
    }
}
