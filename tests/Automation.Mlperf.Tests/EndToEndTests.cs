using System.Text;
using Automation.LoadGen;
using Automation.Mlperf.Accuracy;
using Automation.Mlperf.Datasets;
using Automation.Mlperf.Sut;
using Automation.Mlperf.Tests.Support;

namespace Automation.Mlperf.Tests;

/// <summary>The one slow test: full training with the shipped hyper-parameters, then the offline pipeline over all 10,000 test images.</summary>
public sealed class EndToEndTests : TempDirTest
{
    [FashionMnistFact]
    public void TrainsExportsServesAndScoresAbove85Percent()
    {
        var model = Dir.File("fashion_mlp.onnx");
        var trained = FashionMnistPipeline.TrainAndExport(FashionMnist.DefaultFolder, model);
        Assert.True(trained.Report.TestAccuracy >= 0.85, $"test accuracy {trained.Report.TestAccuracy:P2}");
        Assert.True(File.Exists(Dir.File("fashion_mlp.training.json")));

        var dataset = FashionMnistPipeline.Preprocess(FashionMnist.DefaultFolder, FashionMnistSplit.Test, Dir.Path);
        var qsl = new PreprocessedDatasetQsl(dataset);
        var all = Enumerable.Range(0, qsl.TotalSampleCount).ToList();
        qsl.LoadSamplesToRam(all);
        var completer = new RecordingCompleter();
        using (var sut = new OnnxRuntimeSut(model, qsl, new OnnxRuntimeSutOptions(BatchSize: 64)))
        {
            sut.IssueQuery(all.Select(i => new QuerySample((ulong)i + 1, i)).ToArray(), completer);
            completer.WaitFor(all.Count);
        }

        // The accuracy log as LoadGen writes it: one entry a sample, data in uppercase hex.
        var log = new StringBuilder("[\n");
        var responses = completer.Responses.OrderBy(r => r.Id).ToList();
        for (var k = 0; k < responses.Count; k++)
            log.Append($"{{\"seq_id\" : {k}, \"qsl_idx\" : {responses[k].Id - 1}, \"data\" : \"{Convert.ToHexString(responses[k].Data)}\"}}{(k + 1 < responses.Count ? "," : "")}\n");
        var logPath = Dir.File(AccuracyProcessor.LogFileName);
        File.WriteAllText(logPath, log.Append("]\n").ToString());
        var result = AccuracyProcessor.Process(logPath, qsl.Labels);

        Assert.Equal(10_000, result.Total);
        var disagreements = responses.Count(r => BitConverter.ToInt32(r.Data) != trained.Network.Predict(qsl.GetSample((int)r.Id - 1)));
        Assert.True(disagreements <= 5, $"ONNX Runtime and the C# network disagree on {disagreements} samples");
        Assert.InRange(result.Accuracy, 100 * trained.Report.TestAccuracy - 0.05, 100 * trained.Report.TestAccuracy + 0.05);
        Assert.StartsWith($"accuracy={result.Accuracy:F3}%", File.ReadAllText(Dir.File("accuracy.txt")));
    }
}
