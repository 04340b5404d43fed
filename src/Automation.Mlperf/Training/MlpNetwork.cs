using System.Numerics.Tensors;
using Automation.Mlperf.Preprocessing;

namespace Automation.Mlperf.Training;

/// <summary>
/// A two-layer perceptron: input (flattened) → Dense(hidden) → ReLU → Dense(classes) → Softmax.
/// Weights are stored [out, in] row-major, which is ONNX Gemm's B with transB=1, so export copies them unchanged.
/// </summary>
public sealed class MlpNetwork
{
    public MlpNetwork(int inputSize, int hiddenSize, int outputSize)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        OutputSize = outputSize;
        W1 = new float[hiddenSize * inputSize];
        B1 = new float[hiddenSize];
        W2 = new float[outputSize * hiddenSize];
        B2 = new float[outputSize];
    }

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int OutputSize { get; }
    public float[] W1 { get; }
    public float[] B1 { get; }
    public float[] W2 { get; }
    public float[] B2 { get; }

    /// <summary>He-normal hidden weights (for ReLU) and Glorot-normal output weights, zero biases.</summary>
    public static MlpNetwork CreateInitialized(int inputSize, int hiddenSize, int outputSize, DeterministicRandom random)
    {
        var network = new MlpNetwork(inputSize, hiddenSize, outputSize);
        Fill(network.W1, Math.Sqrt(2.0 / inputSize), random);
        Fill(network.W2, Math.Sqrt(2.0 / (hiddenSize + outputSize)), random);
        return network;
    }

    /// <summary>Class probabilities for one flattened sample.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> probabilities)
    {
        Span<float> hidden = HiddenSize <= 1024 ? stackalloc float[HiddenSize] : new float[HiddenSize];
        ForwardHidden(input, hidden);
        ForwardOutput(hidden, probabilities);
    }

    internal void ForwardHidden(ReadOnlySpan<float> input, Span<float> hidden)
    {
        for (var j = 0; j < HiddenSize; j++)
            hidden[j] = Math.Max(0f, B1[j] + DenseKernels.Dot(input, W1.AsSpan(j * InputSize, InputSize)));
    }

    internal void ForwardOutput(ReadOnlySpan<float> hidden, Span<float> probabilities)
    {
        for (var k = 0; k < OutputSize; k++)
            probabilities[k] = B2[k] + TensorPrimitives.Dot(hidden, W2.AsSpan(k * HiddenSize, HiddenSize));
        TensorPrimitives.SoftMax(probabilities[..OutputSize], probabilities);
    }

    public int Predict(ReadOnlySpan<float> input)
    {
        Span<float> probabilities = stackalloc float[OutputSize];
        Forward(input, probabilities);
        return TensorPrimitives.IndexOfMax(probabilities);
    }

    /// <summary>Top-1 accuracy in [0, 1] over a labelled tensor, in parallel over samples (each prediction is independent).</summary>
    public double Evaluate(PreprocessedTensor data)
    {
        var good = 0;
        Parallel.For(0, data.Count, () => 0, (i, _, local) => local + (Predict(data.Sample(i)) == data.Labels[i] ? 1 : 0),
            local => Interlocked.Add(ref good, local));
        return data.Count == 0 ? 0 : good / (double)data.Count;
    }

    public MlpNetwork Clone()
    {
        var copy = new MlpNetwork(InputSize, HiddenSize, OutputSize);
        W1.CopyTo(copy.W1, 0);
        B1.CopyTo(copy.B1, 0);
        W2.CopyTo(copy.W2, 0);
        B2.CopyTo(copy.B2, 0);
        return copy;
    }

    private static void Fill(float[] weights, double std, DeterministicRandom random)
    {
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextNormal() * std);
    }
}
