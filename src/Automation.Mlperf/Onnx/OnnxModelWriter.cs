using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Automation.Mlperf.Onnx;

/// <summary>
/// Serialises an <see cref="OnnxModel"/> to the ONNX protobuf wire format directly with <see cref="CodedOutputStream"/>,
/// so the project needs no generated onnx.proto classes. Field numbers are those of onnx/onnx.proto (IR version 8).
/// </summary>
public static class OnnxModelWriter
{
    // ModelProto
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelDocString = 6, ModelGraph = 7,
        ModelOpsetImport = 8, ModelMetadataProps = 14;
    // OperatorSetIdProto, StringStringEntryProto
    private const int OpsetDomain = 1, OpsetVersion = 2, EntryKey = 1, EntryValue = 2;
    // GraphProto
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto and its AttributeType values
    private const int AttributeName = 1, AttributeF = 2, AttributeI = 3, AttributeType = 20, AttributeTypeFloat = 1, AttributeTypeInt = 2;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1, ValueInfoType = 2, TypeTensorType = 1, TensorTypeElemType = 1, TensorTypeShape = 2,
        ShapeDim = 1, DimValue = 1, DimParam = 2;

    public static void WriteFile(OnnxModel model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, ToBytes(model));
    }

    public static byte[] ToBytes(OnnxModel model) => Message(o =>
    {
        Int64(o, ModelIrVersion, model.IrVersion);
        String(o, ModelProducerName, model.ProducerName);
        String(o, ModelProducerVersion, model.ProducerVersion);
        if (model.DocString.Length > 0) String(o, ModelDocString, model.DocString);
        Nested(o, ModelGraph, g => WriteGraph(g, model.Graph));
        Nested(o, ModelOpsetImport, s =>
        {
            String(s, OpsetDomain, "");
            Int64(s, OpsetVersion, model.Opset);
        });
        foreach (var (key, value) in model.Metadata ?? new Dictionary<string, string>())
            Nested(o, ModelMetadataProps, e =>
            {
                String(e, EntryKey, key);
                String(e, EntryValue, value);
            });
    });

    private static void WriteGraph(CodedOutputStream o, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes) Nested(o, GraphNode, n => WriteNode(n, node));
        String(o, GraphName, graph.Name);
        foreach (var init in graph.Initializers) Nested(o, GraphInitializer, t => WriteTensor(t, init));
        foreach (var input in graph.Inputs) Nested(o, GraphInput, v => WriteValueInfo(v, input));
        foreach (var output in graph.Outputs) Nested(o, GraphOutput, v => WriteValueInfo(v, output));
    }

    private static void WriteNode(CodedOutputStream o, OnnxNode node)
    {
        foreach (var input in node.Inputs) String(o, NodeInput, input);
        foreach (var output in node.Outputs) String(o, NodeOutput, output);
        String(o, NodeName, node.Name);
        String(o, NodeOpType, node.OpType);
        foreach (var attribute in node.Attributes ?? []) Nested(o, NodeAttribute, a => WriteAttribute(a, attribute));
    }

    private static void WriteAttribute(CodedOutputStream o, OnnxAttribute attribute)
    {
        String(o, AttributeName, attribute.Name);
        if (attribute.Int is { } i)
        {
            Int64(o, AttributeI, i);
            Int64(o, AttributeType, AttributeTypeInt);
        }
        else if (attribute.Float is { } f)
        {
            o.WriteTag(AttributeF, WireFormat.WireType.Fixed32);
            o.WriteFloat(f);
            Int64(o, AttributeType, AttributeTypeFloat);
        }
        else throw new ArgumentException($"Attribute '{attribute.Name}' has no value.");
    }

    private static void WriteTensor(CodedOutputStream o, OnnxInitializer tensor)
    {
        var expected = Shapes.ElementCount(tensor.Dims);
        if (expected != tensor.Data.Length)
            throw new ArgumentException($"Initializer '{tensor.Name}' has dims [{string.Join(", ", tensor.Dims)}] ({expected} elements) but {tensor.Data.Length} values.");
        foreach (var d in tensor.Dims) Int64(o, TensorDims, d);
        Int64(o, TensorDataType, (long)OnnxElementType.Float);
        String(o, TensorName, tensor.Name);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is written on little-endian machines only.");
        o.WriteTag(TensorRawData, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(MemoryMarshal.AsBytes(tensor.Data.AsSpan()).ToArray()));
    }

    private static void WriteValueInfo(CodedOutputStream o, OnnxValueInfo info)
    {
        String(o, ValueInfoName, info.Name);
        Nested(o, ValueInfoType, type => Nested(type, TypeTensorType, tensor =>
        {
            Int64(tensor, TensorTypeElemType, (long)info.ElementType);
            Nested(tensor, TensorTypeShape, shape =>
            {
                foreach (var dim in info.Shape)
                    Nested(shape, ShapeDim, d =>
                    {
                        if (dim.Value is { } v) Int64(d, DimValue, v);
                        else String(d, DimParam, dim.Param ?? throw new ArgumentException($"Dimension of '{info.Name}' has neither value nor name."));
                    });
            });
        }));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var o = new CodedOutputStream(buffer, leaveOpen: true)) write(o);
        return buffer.ToArray();
    }

    /// <summary>Length-delimited sub-message: protobuf needs the length first, so the body is built separately.</summary>
    private static void Nested(CodedOutputStream o, int field, Action<CodedOutputStream> write)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(Message(write)));
    }

    private static void String(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void Int64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }
}
