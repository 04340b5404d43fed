using Newtonsoft.Json.Linq;
using Automation.Mlperf.Datasets;
using Automation.Mlperf.Onnx;
using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Training;

namespace Automation.Mlperf;

/// <summary>What a training run produced, written beside the model as <c>{model}.training.json</c>.</summary>
public sealed record TrainingReport(
    string Model,
    MlpTrainingOptions Options,
    NormalizationParameters Normalization,
    int TrainSamples,
    int TestSamples,
    double TestAccuracy,
    double TrainingSeconds,
    IReadOnlyList<EpochReport> Epochs)
{
    public JObject ToJson() => new()
    {
        ["model"] = Model,
        ["options"] = new JObject
        {
            ["hidden_units"] = Options.HiddenUnits, ["epochs"] = Options.Epochs, ["batch_size"] = Options.BatchSize,
            ["learning_rate"] = Options.LearningRate, ["decay_every"] = Options.DecayEvery, ["seed"] = Options.Seed,
        },
        ["normalization"] = new JObject { ["mean"] = Normalization.Mean, ["std"] = Normalization.Std },
        ["train_samples"] = TrainSamples,
        ["test_samples"] = TestSamples,
        ["test_accuracy"] = TestAccuracy,
        ["training_seconds"] = TrainingSeconds,
        ["epochs"] = new JArray(Epochs.Select(e => new JObject
        {
            ["epoch"] = e.Epoch, ["mean_loss"] = e.MeanLoss, ["train_accuracy"] = e.TrainAccuracy,
            ["validation_accuracy"] = e.ValidationAccuracy, ["seconds"] = e.Elapsed.TotalSeconds,
        })),
    };
}

/// <summary>A trained network and its report; the report is what goes to disk, the network is for callers that keep going.</summary>
public sealed record TrainedModel(TrainingReport Report, MlpNetwork Network);

/// <summary>The Fashion-MNIST steps the engine's scripts call: preprocess a split to files, train and export the model.</summary>
public static class FashionMnistPipeline
{
    public const int ClassCount = FashionMnist.ClassCount;

    public static string StemOf(FashionMnistSplit split) => split == FashionMnistSplit.Train ? "train" : "val";

    /// <summary>Normalises one split and writes <c>{train|val}.tensor/.labels/.json</c> into <paramref name="outputDirectory"/>.</summary>
    public static PreprocessedDataset Preprocess(string datasetFolder, FashionMnistSplit split, string outputDirectory,
        NormalizationParameters? parameters = null, int? limit = null)
    {
        var images = FashionMnist.Load(datasetFolder, split);
        if (limit is { } n) images = images.Take(n);
        var tensor = ImageNormalizer.Normalize(images, parameters ?? NormalizationParameters.FashionMnist);
        return PreprocessedDataset.Write(outputDirectory, StemOf(split), tensor, $"fashion-mnist/{StemOf(split)}", ClassCount);
    }

    /// <summary>Trains on the training split, scores on the test split, exports the ONNX model and its training report.</summary>
    public static TrainedModel TrainAndExport(string datasetFolder, string modelPath, MlpTrainingOptions? options = null,
        NormalizationParameters? parameters = null, Action<EpochReport>? progress = null)
    {
        parameters ??= NormalizationParameters.FashionMnist;
        options ??= new MlpTrainingOptions();
        var train = ImageNormalizer.Normalize(FashionMnist.Load(datasetFolder, FashionMnistSplit.Train), parameters);
        var test = ImageNormalizer.Normalize(FashionMnist.Load(datasetFolder, FashionMnistSplit.Test), parameters);

        var result = new MlpTrainer(options).Train(train, validation: null, progress);
        MlpOnnxExporter.Export(result.Network, train.SampleShape, modelPath, parameters);

        var report = new TrainingReport(Path.GetFileName(modelPath), options, parameters, train.Count, test.Count,
            result.Network.Evaluate(test), result.Duration.TotalSeconds, result.Epochs);
        File.WriteAllText(Path.ChangeExtension(modelPath, ".training.json"), report.ToJson().ToString(Newtonsoft.Json.Formatting.Indented));
        return new TrainedModel(report, result.Network);
    }
}
