using Automation.Mlperf.Onnx;
using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Automation.Mlperf.Tests.Onnx;

public sealed class OnnxExportTests : TempDirTest
{
    private string Export()
    {
        var path = Dir.File("model.onnx");
        MlpOnnxExporter.Export(Networks.Random(), [1, 28, 28], path, NormalizationParameters.FashionMnist);
        return path;
    }

    [PythonOnnxFact]
    public void PassesTheOfficialOnnxChecker()
    {
        var path = Export();

        var (code, output) = PythonOnnxFactAttribute.Run(
            $"-c \"import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print('ir', m.ir_version, 'opset', m.opset_import[0].version)\" \"{path}\"");

        Assert.True(code == 0, $"onnx.checker rejected the model: {output}");
        Assert.Contains("ir 8 opset 13", output);
    }

    [Fact]
    public void DeclaresNamedInputAndOutputWithDynamicBatch()
    {
        using var session = new InferenceSession(Export());

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal([-1, 1, 28, 28], input.Value.Dimensions);
        Assert.Equal("batch", input.Value.SymbolicDimensions[0]);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("output", output.Key);
        Assert.Equal([-1, 10], output.Value.Dimensions);
        Assert.Equal(NormalizationParameters.FashionMnist.CacheKey, session.ModelMetadata.CustomMetadataMap["preprocessing"]);
    }

    [Fact]
    public void OnnxRuntimeComputesWhatTheNetworkComputes()
    {
        var net = Networks.Random();
        var path = Dir.File("m.onnx");
        MlpOnnxExporter.Export(net, [1, 28, 28], path);
        const int count = 7;
        var inputs = Networks.RandomInputs(count);

        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(inputs, [count, 1, 28, 28]))]);
        var ort = results.Single().AsTensor<float>().ToArray();

        Assert.Equal(count * 10, ort.Length);
        var expected = new float[10];
        for (var i = 0; i < count; i++)
        {
            net.Forward(inputs.AsSpan(i * 784, 784), expected);
            for (var k = 0; k < 10; k++) Assert.Equal(expected[k], ort[i * 10 + k], 1e-5f);
            Assert.Equal(net.Predict(inputs.AsSpan(i * 784, 784)), Array.IndexOf(ort, ort.AsSpan(i * 10, 10).ToArray().Max(), i * 10) - i * 10);
        }
    }
}
