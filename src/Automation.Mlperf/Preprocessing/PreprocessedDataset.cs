using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Automation.Core.Errors;

namespace Automation.Mlperf.Preprocessing;

/// <summary>The JSON sidecar of a preprocessed data set: what the files hold and the parameters that made them.</summary>
public sealed record PreprocessedDatasetInfo(
    int FormatVersion,
    string Source,
    string TensorFile,
    string LabelsFile,
    int[] Shape,
    int ClassCount,
    NormalizationParameters Normalization)
{
    // Hand-written JObject mapping: reflection-based serializers do not survive Native AOT trimming.
    public JObject ToJson() => new()
    {
        ["format_version"] = FormatVersion,
        ["source"] = Source,
        ["tensor_file"] = TensorFile,
        ["labels_file"] = LabelsFile,
        ["shape"] = new JArray(Shape),
        ["class_count"] = ClassCount,
        ["normalization"] = new JObject
        {
            ["mean"] = Normalization.Mean, ["std"] = Normalization.Std, ["scale"] = Normalization.Scale,
            ["layout"] = Normalization.Layout, ["data_type"] = Normalization.DataType,
        },
    };

    public static PreprocessedDatasetInfo FromJson(JObject o, string path)
    {
        try
        {
            var n = (JObject)o["normalization"]!;
            return new PreprocessedDatasetInfo(
                (int)o["format_version"]!, (string)o["source"]!, (string)o["tensor_file"]!, (string)o["labels_file"]!,
                o["shape"]!.Select(t => (int)t).ToArray(), (int)o["class_count"]!,
                new NormalizationParameters((float)n["mean"]!, (float)n["std"]!, (float)n["scale"]!, (string)n["layout"]!, (string)n["data_type"]!));
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or ArgumentException or FormatException)
        {
            throw new AutomationException("preprocessed data set sidecar is missing fields or has wrong types", file: path, fix: "Run the preprocessing step again.");
        }
    }
}

/// <summary>
/// A preprocessed data set on disk: <c>{stem}.tensor</c> (float32 NCHW, <see cref="TensorFile"/>),
/// <c>{stem}.labels</c> (uint8 [N], same format) and <c>{stem}.json</c> (<see cref="PreprocessedDatasetInfo"/>).
/// </summary>
public sealed class PreprocessedDataset
{
    public const int FormatVersion = 1;

    private PreprocessedDataset(string sidecarPath, PreprocessedDatasetInfo info)
    {
        SidecarPath = sidecarPath;
        Info = info;
        var directory = Path.GetDirectoryName(Path.GetFullPath(sidecarPath))!;
        TensorPath = Path.Combine(directory, info.TensorFile);
        LabelsPath = Path.Combine(directory, info.LabelsFile);
    }

    public string SidecarPath { get; }
    public string TensorPath { get; }
    public string LabelsPath { get; }
    public PreprocessedDatasetInfo Info { get; }
    public int Count => Info.Shape[0];
    public int[] SampleShape => Info.Shape[1..];

    /// <summary>Writes the three files into <paramref name="directory"/>; the sidecar goes last so its presence means the set is complete.</summary>
    /// <param name="wideLabels">Labels that may not fit a byte (ImageNet); written as int32 in place of <c>tensor.Labels</c>.</param>
    public static PreprocessedDataset Write(string directory, string stem, PreprocessedTensor tensor, string source, int classCount, int[]? wideLabels = null)
    {
        Directory.CreateDirectory(directory);
        var info = new PreprocessedDatasetInfo(FormatVersion, source, stem + ".tensor", stem + ".labels", tensor.Shape, classCount, tensor.Parameters);
        Preprocessing.TensorFile.Write(Path.Combine(directory, info.TensorFile), tensor.Data, tensor.Shape);
        if (wideLabels is null) Preprocessing.TensorFile.Write(Path.Combine(directory, info.LabelsFile), tensor.Labels, [tensor.Labels.Length]);
        else Preprocessing.TensorFile.Write(Path.Combine(directory, info.LabelsFile), wideLabels, [wideLabels.Length]);
        var sidecar = Path.Combine(directory, stem + ".json");
        File.WriteAllText(sidecar, info.ToJson().ToString(Formatting.Indented));
        return new PreprocessedDataset(sidecar, info);
    }

    /// <summary>Opens a data set by its sidecar path and checks that the files agree with it.</summary>
    public static PreprocessedDataset Open(string sidecarPath)
    {
        if (!File.Exists(sidecarPath))
            throw new AutomationException("preprocessed data set sidecar not found", file: sidecarPath, fix: "Run the preprocessing step first.");
        var info = PreprocessedDatasetInfo.FromJson(MlperfJson.ParseObject(File.ReadAllText(sidecarPath), sidecarPath), sidecarPath);
        if (info.FormatVersion != FormatVersion)
            throw new AutomationException($"preprocessed data set has format version {info.FormatVersion}, expected {FormatVersion}", file: sidecarPath,
                fix: "Run the preprocessing step again.");
        var set = new PreprocessedDataset(sidecarPath, info);
        var tensor = Preprocessing.TensorFile.ReadHeader(set.TensorPath);
        if (!tensor.Shape.SequenceEqual(info.Shape) || tensor.ElementType != TensorElementType.Float32)
            throw new AutomationException($"tensor file holds {tensor.ElementType} [{string.Join(", ", tensor.Shape)}] but the sidecar says float32 [{string.Join(", ", info.Shape)}]",
                file: set.TensorPath, fix: "Run the preprocessing step again.");
        var labels = Preprocessing.TensorFile.ReadHeader(set.LabelsPath);
        if (labels.Shape.Length != 1 || labels.Shape[0] != info.Shape[0] || labels.ElementType == TensorElementType.Float32)
            throw new AutomationException($"labels file holds {labels.ElementType} [{string.Join(", ", labels.Shape)}], expected uint8 or int32 [{info.Shape[0]}]",
                file: set.LabelsPath, fix: "Run the preprocessing step again.");
        return set;
    }

    public byte[] ReadLabels() => Preprocessing.TensorFile.ReadUInt8(LabelsPath).Data;

    /// <summary>The labels as class ids, whether stored as uint8 (Fashion-MNIST) or int32 (ImageNet).</summary>
    public int[] ReadClassIds() =>
        Preprocessing.TensorFile.ReadHeader(LabelsPath).ElementType == TensorElementType.Int32
            ? Preprocessing.TensorFile.ReadInt32(LabelsPath).Data
            : Array.ConvertAll(ReadLabels(), b => (int)b);

    public PreprocessedTensor Load() =>
        new(Info.Shape, Preprocessing.TensorFile.ReadFloat32(TensorPath).Data, ReadLabels(), Info.Normalization);
}
