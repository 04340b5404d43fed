using System.Globalization;
using Automation.Core.Actions;
using Automation.Core.Execution;
using Automation.Mlperf.Datasets;
using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Training;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Actions;

/// <summary>
/// Finds the real Fashion-MNIST idx files (Debian's dataset-fashion-mnist or a folder given by env), or downloads the
/// official files in the `_url` variation and checks their published MD5s. Every file's idx header is validated.
/// </summary>
public sealed class FashionMnistDatasetAction : IBuiltinAction
{
    public string Name => "get-dataset-fashion-mnist";

    public async Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        string folder;
        if (env.Get("CM_DATASET_FASHION_MNIST_DOWNLOAD") == "yes")
        {
            folder = Path.Combine(context.WorkDir, "fashion-mnist");
            await DownloadAsync(context, env, folder, cancellationToken);
        }
        else folder = env.Get("CM_DATASET_FASHION_MNIST_PATH", FashionMnist.DefaultFolder);

        var files = FashionMnist.FilesIn(folder);
        var train = FashionMnist.Load(folder, FashionMnistSplit.Train);
        var test = FashionMnist.Load(folder, FashionMnistSplit.Test);
        env.Say($"Fashion-MNIST at {folder}: {train.Count} training and {test.Count} test images, headers valid.");
        var newEnv = new Dictionary<string, string>
        {
            ["CM_DATASET_PATH"] = folder,
            ["CM_DATASET_FASHION_MNIST_PATH"] = folder,
            ["CM_DATASET_TRAIN_SIZE"] = train.Count.ToString(CultureInfo.InvariantCulture),
            ["CM_DATASET_TEST_SIZE"] = test.Count.ToString(CultureInfo.InvariantCulture),
        };
        return new StepOutcome(newEnv, new JObject(), Version: "1.0", ValidatePaths: files);
    }

    private static async Task DownloadAsync(ActionContext context, ActionEnv env, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var bases = env.Require("CM_DATASET_FASHION_MNIST_URLS", "Set the mirror list (comma-separated base URLs) in the meta or with --env.CM_DATASET_FASHION_MNIST_URLS=...")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var http = FileDownloader.CreateHttpClient();
        var downloader = new FileDownloader(http);
        foreach (var file in FashionMnist.FileNames)
        {
            var md5Key = "CM_DATASET_FASHION_MNIST_MD5_" + file.Split('-')[0].ToUpperInvariant() + "_" + (file.Contains("labels") ? "LABELS" : "IMAGES");
            var request = new DownloadRequest(
                bases.Select(b => new Uri(b.TrimEnd('/') + "/" + file)).ToList(),
                Path.Combine(folder, file),
                Md5: env.Require(md5Key, $"Set {md5Key} to the file's published MD5."),
                Timeout: TimeSpan.FromSeconds(env.Double("CM_DOWNLOAD_TIMEOUT_S", 60)),
                Retries: env.Int("CM_DOWNLOAD_RETRIES", 3),
                PartialPath: PartialDownloads.PathFor(context, file));
            var result = await downloader.DownloadAsync(request, null, ct);
            env.Say($"Downloaded {file} from {result.Source} ({result.Bytes} bytes, md5 verified).");
        }
    }
}

/// <summary>Normalises the test split to float32 NCHW; the normalisation parameters are meta env, so they are in the cache key.</summary>
public sealed class FashionMnistPreprocessAction : IBuiltinAction
{
    public string Name => "preprocess-fashion-mnist";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var folder = env.Require("CM_DATASET_FASHION_MNIST_PATH", "Run it through its get,dataset,fashion-mnist dep.");
        var parameters = new NormalizationParameters(
            (float)env.Double("CM_DATASET_NORMALIZE_MEAN", NormalizationParameters.FashionMnist.Mean),
            (float)env.Double("CM_DATASET_NORMALIZE_STD", NormalizationParameters.FashionMnist.Std));
        var split = env.Get("CM_DATASET_SPLIT", "test") == "train" ? FashionMnistSplit.Train : FashionMnistSplit.Test;
        int? limit = env.Get("CM_DATASET_SIZE") is null ? null : env.Int("CM_DATASET_SIZE", 0);
        var dataset = FashionMnistPipeline.Preprocess(folder, split, context.WorkDir, parameters, limit);
        var sidecar = Path.Combine(context.WorkDir, FashionMnistPipeline.StemOf(split) + ".json");
        env.Say($"Preprocessed {dataset.Count} images to float32 NCHW (mean {parameters.Mean}, std {parameters.Std}) in {context.WorkDir}.");
        var newEnv = new Dictionary<string, string>
        {
            ["CM_DATASET_PREPROCESSED_PATH"] = sidecar,
            ["CM_DATASET_PREPROCESSED_DIR"] = context.WorkDir,
            ["CM_DATASET_PREPROCESSED_COUNT"] = dataset.Count.ToString(CultureInfo.InvariantCulture),
            ["CM_DATASET_LAYOUT"] = "NCHW",
        };
        return Task.FromResult(new StepOutcome(newEnv, new JObject(), ValidatePaths: [sidecar]));
    }
}

/// <summary>Trains the project's own MLP on the training split and exports it as ONNX; deterministic given the seed.</summary>
public sealed class FashionMnistModelAction : IBuiltinAction
{
    public string Name => "train-fashion-mnist-model";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var env = new ActionEnv(context);
        var folder = env.Require("CM_DATASET_FASHION_MNIST_PATH", "Run it through its get,dataset,fashion-mnist dep.");
        var defaults = new MlpTrainingOptions();
        var options = defaults with
        {
            HiddenUnits = env.Int("CM_ML_MODEL_HIDDEN_UNITS", defaults.HiddenUnits),
            Epochs = env.Int("CM_ML_MODEL_EPOCHS", defaults.Epochs),
            BatchSize = env.Int("CM_ML_MODEL_TRAIN_BATCH_SIZE", defaults.BatchSize),
            Seed = ulong.Parse(env.Get("CM_ML_MODEL_SEED", defaults.Seed.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
        };
        var modelPath = Path.Combine(context.WorkDir, "fashion-mnist-mlp.onnx");
        env.Say($"Training a {options.HiddenUnits}-unit MLP on Fashion-MNIST for {options.Epochs} epochs (seed {options.Seed}) ...");
        var trained = FashionMnistPipeline.TrainAndExport(folder, modelPath, options,
            progress: e => env.Say($"  epoch {e.Epoch} of {options.Epochs}: loss {e.MeanLoss:0.0000}, train accuracy {e.TrainAccuracy:P2} ({e.Elapsed.TotalSeconds:0.0} s)"));
        var accuracy = trained.Report.TestAccuracy;
        env.Say($"Test accuracy {accuracy:P2} after {trained.Report.TrainingSeconds:0.0} s; model written to {modelPath}.");
        var newEnv = new Dictionary<string, string>
        {
            ["CM_ML_MODEL_FILE_WITH_PATH"] = modelPath,
            ["CM_ML_MODEL_PATH"] = context.WorkDir,
            ["CM_ML_MODEL_FRAMEWORK"] = "onnx",
            ["CM_ML_MODEL_INPUT_NAME"] = "input",
            ["CM_ML_MODEL_OUTPUT_NAME"] = "output",
            ["CM_ML_MODEL_ACCURACY"] = (accuracy * 100).ToString("0.000", CultureInfo.InvariantCulture),
            ["CM_ML_MODEL_TRAINING_SECONDS"] = trained.Report.TrainingSeconds.ToString("0.0", CultureInfo.InvariantCulture),
        };
        return Task.FromResult(new StepOutcome(newEnv, new JObject(), ValidatePaths: [modelPath]));
    }
}
