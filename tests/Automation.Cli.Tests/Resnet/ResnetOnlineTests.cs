using System.Globalization;
using System.Security.Cryptography;
using Automation.Mlperf.Onnx;
using SkiaSharp;
using Xunit;

namespace Automation.Cli.Tests.Resnet;

/// <summary>
/// A folder with a stand-in "ResNet50" (ResNet50's tensor names and shapes, 1001 classes with class 0 the background)
/// served on loopback, and solid-colour JPEGs with a val_map.txt. The stand-in averages each channel and scores class
/// 1 + c for channel c, so red, green and blue images are predicted 1, 2, 3 — labels 0, 1, 2 after MLPerf's offset.
/// </summary>
public sealed class ResnetFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cm-resnet-").FullName;
    public string ServeDir => Path.Combine(Root, "www");
    public string ImagesDir => Path.Combine(Root, "imagenet");
    public string CacheDir => Path.Combine(Root, "cache");
    public StaticFileServer Server { get; }
    public string ModelUrl => Server.BaseUrl + "resnet50_v1.onnx";
    public string ModelMd5 { get; }

    private static readonly (SKColor Color, int Label, int Width, int Height)[] Images =
    [
        (new SKColor(250, 10, 10), 0, 300, 260), (new SKColor(10, 240, 20), 1, 260, 400), (new SKColor(15, 5, 245), 2, 256, 256),
        (new SKColor(240, 30, 0), 0, 512, 300), (new SKColor(0, 250, 0), 1, 320, 240), (new SKColor(20, 20, 250), 2, 240, 330),
    ];

    public ResnetFixture()
    {
        Directory.CreateDirectory(ServeDir);
        Directory.CreateDirectory(ImagesDir);
        var modelPath = Path.Combine(ServeDir, "resnet50_v1.onnx");
        OnnxModelWriter.WriteFile(StandInModel(), modelPath);
        ModelMd5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(modelPath)));
        var map = new List<string>();
        for (var i = 0; i < Images.Length; i++)
        {
            var name = $"ILSVRC2012_val_{i + 1:00000000}.JPEG";
            WriteJpeg(Path.Combine(ImagesDir, name), Images[i].Color, Images[i].Width, Images[i].Height);
            map.Add($"{name} {Images[i].Label}");
        }
        File.WriteAllLines(Path.Combine(ImagesDir, "val_map.txt"), map);
        Server = new StaticFileServer(ServeDir);
    }

    public static void WriteJpeg(string path, SKColor color, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static OnnxModel StandInModel()
    {
        const int classes = 1001;
        var weights = new float[classes * 3];
        for (var c = 0; c < 3; c++) weights[(1 + c) * 3 + c] = 1f;
        var batch = OnnxDim.Symbolic("N");
        var graph = new OnnxGraph("resnet50-stand-in",
            [
                new OnnxNode("GlobalAveragePool", ["input_tensor:0"], ["pooled"], "pool"),
                new OnnxNode("Flatten", ["pooled"], ["flat"], "flatten", [OnnxAttribute.Of("axis", 1L)]),
                new OnnxNode("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], "fc", [OnnxAttribute.Of("transB", 1L)]),
                new OnnxNode("Softmax", ["logits"], ["softmax_tensor:0"], "softmax", [OnnxAttribute.Of("axis", 1L)]),
            ],
            [new OnnxInitializer("fc.weight", [classes, 3], weights), new OnnxInitializer("fc.bias", [classes], new float[classes])],
            [new OnnxValueInfo("input_tensor:0", OnnxElementType.Float, [batch, 3, 224, 224])],
            [new OnnxValueInfo("softmax_tensor:0", OnnxElementType.Float, [batch, classes])]);
        return new OnnxModel(graph, DocString: "Stand-in with ResNet50's interface for offline tests.");
    }

    public CmResult Cm(params string[] args) => CmProcess.Run(RepoPaths.Root, [.. args, "--cache-dir", CacheDir, "--quiet"]);

    public void Dispose()
    {
        Server.Dispose();
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}

public sealed class ResnetOnlineTests(ResnetFixture fixture) : IClassFixture<ResnetFixture>
{
    [Fact]
    public void SubmissionRunDownloadsTheModelPreprocessesImagesAndScoresWithTheBackgroundOffset()
    {
        var results = Path.Combine(fixture.Root, "results");
        var r = fixture.Cm("run", "script", "--tags=app,mlperf,inference,_resnet50,_offline,_submission", "--test_query_count=8",
            $"--imagenet_path={fixture.ImagesDir}", $"--results_dir={results}",
            $"--env.CM_PACKAGE_URL={fixture.ModelUrl}", $"--env.CM_DOWNLOAD_CHECKSUM={fixture.ModelMd5}", "-j");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var env = Newtonsoft.Json.Linq.JObject.Parse(r.Stdout)["new_env"]!;
        Assert.Equal("VALID", (string?)env["CM_MLPERF_RESULT_VALIDITY"]);
        Assert.Equal("6", (string?)env["CM_MLPERF_ACCURACY_TOTAL"]);
        Assert.Equal(100.0, double.Parse((string)env["CM_MLPERF_ACCURACY"]!, CultureInfo.InvariantCulture));
        var scenario = (string)env["CM_MLPERF_SCENARIO_RESULTS_DIR"]!;
        Assert.Contains(Path.Combine("resnet50", "Offline"), scenario);
        Assert.Contains("Result is : VALID", File.ReadAllText(Path.Combine(scenario, "performance/run_1/mlperf_log_summary.txt")));
        Assert.Matches(@"accuracy=100\.000%, good=6, total=6", File.ReadAllText(Path.Combine(scenario, "accuracy/accuracy.txt")));
        Assert.True(fixture.Server.Requests >= 1);
    }

    [Fact]
    public void WrongChecksumFailsClearlyAndCachesNothing()
    {
        var cache = Path.Combine(fixture.Root, "cache-bad");
        var r = CmProcess.Run(RepoPaths.Root, "run", "script", "--tags=get,ml-model,resnet50", $"--url={fixture.ModelUrl}",
            "--md5=0123456789abcdef0123456789abcdef", "--cache-dir", cache, "--quiet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("md5", r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Empty(Directory.Exists(cache) ? Directory.EnumerateFiles(cache, "resnet50_v1.onnx", SearchOption.AllDirectories) : []);

        var ok = CmProcess.Run(RepoPaths.Root, "run", "script", "--tags=get,ml-model,resnet50", $"--url={fixture.ModelUrl}",
            $"--md5={fixture.ModelMd5}", "--cache-dir", cache, "--quiet", "-j");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        var env = Newtonsoft.Json.Linq.JObject.Parse(ok.Stdout)["new_env"]!;
        Assert.True(File.Exists((string)env["CM_ML_MODEL_FILE_WITH_PATH"]!));
        Assert.Equal("input_tensor:0", (string?)env["CM_ML_MODEL_INPUT_NAME"]);
        Assert.Equal("softmax_tensor:0", (string?)env["CM_ML_MODEL_OUTPUT_NAME"]);
        Assert.Equal("76.456", (string?)env["CM_ML_MODEL_ACCURACY"]);
    }

    [Fact]
    public void ImagenetWithoutAFolderSaysWhereToGetIt()
    {
        var r = CmProcess.Run(RepoPaths.Root, "run", "script", "--tags=get,dataset,imagenet,validation,original",
            "--cache-dir", Path.Combine(fixture.Root, "cache-none"), "--quiet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--imagenet_path", r.Stderr);
        Assert.Contains("image-net.org", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    /// <summary>The app refuses before its deps run: no model download (~100 MB) for a run that cannot have data.</summary>
    [Theory]
    [InlineData(null, "no folder was given")]
    [InlineData("/nonexistent/imagenet", "is not a folder")]
    public void TheResnetAppChecksImagenetPathBeforeDownloadingAnything(string? folder, string reason)
    {
        var cache = Path.Combine(fixture.Root, "cache-check-" + Guid.NewGuid().ToString("N")[..6]);
        string[] args = ["run", "script", "--tags=app,mlperf,inference,_resnet50,_offline", "--cache-dir", cache, "--quiet"];
        var r = CmProcess.Run(RepoPaths.Root, folder is null ? args : [.. args, $"--imagenet_path={folder}"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(reason, r.Stderr);
        Assert.Contains("--imagenet_path", r.Stderr);
        Assert.DoesNotContain("download", r.Stdout);
        Assert.False(Directory.Exists(cache) && Directory.EnumerateFileSystemEntries(cache).Any(e => !Path.GetFileName(e).StartsWith('.')), "nothing may be cached");
    }

    [Fact]
    public void DryRunDefaultsToTheZenodoOpset11Model()
    {
        var r = CmProcess.Run(RepoPaths.Root, "run", "script", "--tags=get,ml-model,resnet50", "--dry-run");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("download-file", r.Stdout);
        Assert.Contains("zenodo.org/record/4735647", r.All);
    }
}
