using Automation.Mlperf.Preprocessing;
using Automation.Mlperf.Training;

namespace Automation.Mlperf.Onnx;

/// <summary>
/// The ONNX layout of an <see cref="MlpNetwork"/>: input [batch, C, H, W] → Flatten → Gemm(W1ᵀ) → Relu → Gemm(W2ᵀ) → Softmax
/// → output [batch, classes] probabilities. Gemm with transB=1 takes the [out, in] weights as trained.
/// </summary>
public static class MlpOnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "output";
    public const string BatchDim = "batch";

    public static OnnxModel ToModel(MlpNetwork network, IReadOnlyList<int> sampleShape, NormalizationParameters? preprocessing = null)
    {
        if (Shapes.ElementCount(sampleShape) != network.InputSize)
            throw new ArgumentException($"Sample shape [{string.Join(", ", sampleShape)}] does not hold the network's {network.InputSize} inputs.");

        var inputShape = new List<OnnxDim> { OnnxDim.Symbolic(BatchDim) };
        inputShape.AddRange(sampleShape.Select(d => OnnxDim.Fixed(d)));
        var graph = new OnnxGraph(
            "mlp",
            [
                new OnnxNode("Flatten", [InputName], ["flat"], "flatten", [OnnxAttribute.Of("axis", 1L)]),
                new OnnxNode("Gemm", ["flat", "fc1.weight", "fc1.bias"], ["fc1"], "fc1", [OnnxAttribute.Of("transB", 1L)]),
                new OnnxNode("Relu", ["fc1"], ["relu1"], "relu1"),
                new OnnxNode("Gemm", ["relu1", "fc2.weight", "fc2.bias"], ["logits"], "fc2", [OnnxAttribute.Of("transB", 1L)]),
                new OnnxNode("Softmax", ["logits"], [OutputName], "softmax", [OnnxAttribute.Of("axis", 1L)]),
            ],
            [
                new OnnxInitializer("fc1.weight", [network.HiddenSize, network.InputSize], network.W1),
                new OnnxInitializer("fc1.bias", [network.HiddenSize], network.B1),
                new OnnxInitializer("fc2.weight", [network.OutputSize, network.HiddenSize], network.W2),
                new OnnxInitializer("fc2.bias", [network.OutputSize], network.B2),
            ],
            [new OnnxValueInfo(InputName, OnnxElementType.Float, inputShape)],
            [new OnnxValueInfo(OutputName, OnnxElementType.Float, [OnnxDim.Symbolic(BatchDim), OnnxDim.Fixed(network.OutputSize)])]);

        var metadata = new Dictionary<string, string> { ["architecture"] = $"mlp-{network.InputSize}-{network.HiddenSize}-{network.OutputSize}" };
        if (preprocessing is not null) metadata["preprocessing"] = preprocessing.CacheKey;
        return new OnnxModel(graph, DocString: "Fashion-MNIST classifier trained by Automation.Mlperf; output is softmax probabilities.", Metadata: metadata);
    }

    public static void Export(MlpNetwork network, IReadOnlyList<int> sampleShape, string path, NormalizationParameters? preprocessing = null) =>
        OnnxModelWriter.WriteFile(ToModel(network, sampleShape, preprocessing), path);
}
