using System.Globalization;
using Automation.Core.Errors;
using Automation.Core.Execution;
using Automation.Mlperf.Preprocessing;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Actions;

/// <summary>
/// Registers the user's ImageNet validation folder. Its licence forbids redistribution, so nothing is downloaded:
/// as in CM, the user passes --imagenet_path. Checks the folder holds images and reads val_map.txt when present.
/// </summary>
public sealed class ImagenetValDatasetAction : IBuiltinAction
{
    public string Name => "get-dataset-imagenet-val";

    /// <summary>
    /// The user's ImageNet folder, checked before anything is fetched: app-mlperf-inference,_resnet50 calls this
    /// before its deps download the ~100 MB model, so a missing --imagenet_path fails in milliseconds.
    /// </summary>
    public static string RequireFolder(string? folder, string metaFile, string script)
    {
        if (string.IsNullOrEmpty(folder))
            throw new AutomationException(
                "the ImageNet 2012 validation set cannot be downloaded automatically (its licence forbids redistribution) and no folder was given",
                metaFile, script,
                "Request access at https://image-net.org/download.php, download ILSVRC2012_img_val.tar (50,000 JPEGs), extract it, and pass --imagenet_path=DIR (or --env.CM_DATASET_IMAGENET_PATH=DIR); put MLPerf's val_map.txt in the folder for labels.");
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new AutomationException($"--imagenet_path={folder} is not a folder", metaFile, script,
                "Pass --imagenet_path=DIR pointing at the extracted ILSVRC2012_img_val.tar (ILSVRC2012_val_*.JPEG files).");
        return full;
    }

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var folder = RequireFolder(env.Get("CM_DATASET_IMAGENET_PATH"), context.Node.Script.MetaFile, env.Script);
        var valMap = env.Get("CM_DATASET_IMAGENET_VAL_MAP") ?? Path.Combine(folder, ImagenetFolder.ValMapName);
        if (!File.Exists(valMap))
        {
            if (env.Get("CM_DATASET_IMAGENET_VAL_MAP") is not null)
                throw new AutomationException("val_map file not found", valMap, env.Script, "Pass --val_map=FILE naming an existing val_map.txt, or leave it out to run without labels.");
            valMap = null;
        }
        var images = ImagenetFolder.List(folder, valMap);
        if (images.Count == 0)
            throw new AutomationException("the ImageNet folder holds no JPEG images", folder, env.Script,
                "Pass --imagenet_path=DIR pointing at the extracted ILSVRC2012_img_val.tar (ILSVRC2012_val_*.JPEG files).");
        env.Say($"ImageNet validation images at {folder}: {images.Count} images, {(valMap is null ? "no val_map.txt (labels are 0, accuracy is meaningless)" : "labels from " + valMap)}.");
        var newEnv = new Dictionary<string, string>
        {
            ["CM_DATASET_PATH"] = folder,
            ["CM_DATASET_IMAGENET_PATH"] = folder,
            ["CM_DATASET_SIZE"] = images.Count.ToString(CultureInfo.InvariantCulture),
            ["CM_DATASET_IMAGENET_VAL_MAP"] = valMap ?? "",
            ["CM_DATASET_VER"] = env.Get("CM_DATASET_VER", "2012"),
        };
        // The folder is the user's; cache reuse needs it (and the map) to still be there.
        return Task.FromResult(new StepOutcome(newEnv, new JObject(), Version: "2012", ValidatePaths: valMap is null ? [folder] : [folder, valMap]));
    }
}

/// <summary>MLPerf ResNet50 preprocessing of the first N validation images into the project's preprocessed-dataset files.</summary>
public sealed class ImagenetPreprocessAction : IBuiltinAction
{
    public string Name => "preprocess-imagenet";

    public const string Stem = "imagenet-val";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var folder = env.Require("CM_DATASET_IMAGENET_PATH", "Run it through its get,dataset,imagenet,validation,original dep (pass --imagenet_path=DIR).");
        var valMap = env.Get("CM_DATASET_IMAGENET_VAL_MAP");
        var layout = env.Get("CM_DATASET_LAYOUT", "NCHW");
        if (layout != "NCHW")
            throw new AutomationException($"layout {layout} is not supported", context.Node.Script.MetaFile, env.Script, "Use the _NCHW variation (what the ONNX ResNet50 takes).");
        var preprocessing = Parameters(env, context);
        var images = ImagenetFolder.List(folder, valMap);
        var size = env.Get("CM_DATASET_PREPROCESS_SIZE");
        if (size is not null && size != "all") images = images.Take(env.Int("CM_DATASET_PREPROCESS_SIZE", images.Count)).ToList();
        if (images.Count == 0)
            throw new AutomationException("no images to preprocess", context.Node.Script.MetaFile, env.Script, "Use _size.N with N ≥ 1, and a folder with images.");

        env.Say($"Preprocessing {images.Count} ImageNet images ({preprocessing.Describe}) ...");
        var data = new float[(long)images.Count * preprocessing.SampleSize];
        Parallel.For(0, images.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => preprocessing.Process(images[i].Path, data.AsSpan(i * preprocessing.SampleSize, preprocessing.SampleSize)));
        var tensor = new PreprocessedTensor([images.Count, 3, preprocessing.CropSide, preprocessing.CropSide], data, [],
            new NormalizationParameters(Mean: 0f, Std: 1f, Scale: 1f));
        var set = PreprocessedDataset.Write(context.WorkDir, Stem, tensor, $"imagenet-val:{preprocessing.Describe}", classCount: 1000,
            wideLabels: images.Select(i => i.Label).ToArray());
        env.Say($"Wrote {set.TensorPath}.");
        var newEnv = new Dictionary<string, string>
        {
            ["CM_DATASET_PREPROCESSED_PATH"] = set.SidecarPath,
            ["CM_DATASET_PREPROCESSED_DIR"] = context.WorkDir,
            ["CM_DATASET_PREPROCESSED_COUNT"] = images.Count.ToString(CultureInfo.InvariantCulture),
            ["CM_DATASET_LAYOUT"] = layout,
        };
        return Task.FromResult(new StepOutcome(newEnv, new JObject(), ValidatePaths: [set.SidecarPath, set.TensorPath, set.LabelsPath]));
    }

    private static ImagenetPreprocessing Parameters(ActionEnv env, ActionContext context)
    {
        var defaults = ImagenetPreprocessing.MlperfResnet50;
        var means = env.Get("CM_DATASET_SUBTRACT_MEANS", "123.68,116.78,103.94").Split(',', StringSplitOptions.TrimEntries);
        float[] m;
        try { m = means.Select(t => float.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray(); }
        catch (FormatException) { m = []; }
        if (m.Length != 3)
            throw new AutomationException($"CM_DATASET_SUBTRACT_MEANS must be three numbers (R,G,B), not '{string.Join(',', means)}'", context.Node.Script.MetaFile, env.Script,
                "Pass e.g. --env.CM_DATASET_SUBTRACT_MEANS=123.68,116.78,103.94.");
        var crop = env.Int("CM_DATASET_INPUT_SQUARE_SIDE", defaults.CropSide);
        var shorter = env.Int("CM_DATASET_RESIZE_SHORTER_SIDE", defaults.ShorterSide);
        if (crop < 1 || shorter < crop)
            throw new AutomationException($"the crop ({crop}) must be at least 1 and at most the resized shorter side ({shorter})", context.Node.Script.MetaFile, env.Script,
                "Keep CM_DATASET_RESIZE_SHORTER_SIDE ≥ CM_DATASET_INPUT_SQUARE_SIDE (256 and 224 for ResNet50).");
        return new ImagenetPreprocessing(crop, shorter, m[0], m[1], m[2]);
    }
}
