namespace Automation.Mlperf.Onnx;

/// <summary>ONNX TensorProto.DataType codes used here.</summary>
public enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>A dimension: a fixed size or a named symbolic one (dim_param) such as the batch.</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    public static OnnxDim Fixed(long value) => new(value, null);
    public static OnnxDim Symbolic(string name) => new(null, name);
    public static implicit operator OnnxDim(long value) => Fixed(value);
}

public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim> Shape);

/// <summary>A constant float tensor, stored in raw_data as little-endian IEEE 754.</summary>
public sealed record OnnxInitializer(string Name, IReadOnlyList<long> Dims, float[] Data);

public sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);
}

public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name, IReadOnlyList<OnnxAttribute>? Attributes = null);

public sealed record OnnxGraph(
    string Name,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<OnnxInitializer> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs);

/// <summary>A whole model: IR version 8 with the default-domain opset 13 unless told otherwise.</summary>
public sealed record OnnxModel(
    OnnxGraph Graph,
    long IrVersion = 8,
    long Opset = 13,
    string ProducerName = "automation",
    string ProducerVersion = "1.0",
    string DocString = "",
    IReadOnlyDictionary<string, string>? Metadata = null);
