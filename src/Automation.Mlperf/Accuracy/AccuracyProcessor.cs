using System.Buffers.Binary;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Automation.Core.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Accuracy;

/// <summary>One entry of LoadGen's mlperf_log_accuracy.json.</summary>
public sealed record AccuracyLogEntry(ulong SeqId, int QslIdx, string Data);

/// <summary>Top-1 counts over the distinct samples of an accuracy log, and the SHA-256 of the log file.</summary>
public sealed record AccuracyResult(int Good, int Total, int Duplicates, int Unreadable, string Hash)
{
    /// <summary>Top-1 accuracy in percent.</summary>
    public double Accuracy => Total == 0 ? 0 : 100.0 * Good / Total;

    /// <summary>
    /// accuracy.txt as the MLPerf submission checker reads it: its "acc" pattern takes the number after "accuracy=",
    /// and it requires a "hash=" line holding the accuracy log's hash.
    /// </summary>
    public string ToAccuracyText() => string.Create(CultureInfo.InvariantCulture,
        $"accuracy={Accuracy:F3}%, good={Good}, total={Total}\nhash={Hash}\n");
}

/// <summary>
/// Scores a LoadGen accuracy log against the labels. A response is the predicted class as int32 (4 bytes) or int64
/// (8 bytes), or a float32 score row (4 × classes bytes) whose largest entry is the prediction; see SutResponseFormat.
/// A sample logged more than once counts once, by its first entry, as MLPerf's reference scripts do.
/// </summary>
public static class AccuracyProcessor
{
    public const string LogFileName = "mlperf_log_accuracy.json";
    public const string ResultFileName = "accuracy.txt";

    public static AccuracyResult Compute(string accuracyLogPath, IReadOnlyList<byte> labels, int classCount = 10) =>
        Compute(accuracyLogPath, labels.Select(b => (int)b).ToArray(), classCount, labelOffset: 0);

    /// <param name="labelOffset">
    /// Added to a label before comparing it with the prediction: MLPerf's ResNet50 has 1001 outputs with class 0 the
    /// background, so its prediction for ImageNet label k (0..999) is k + 1.
    /// </param>
    public static AccuracyResult Compute(string accuracyLogPath, IReadOnlyList<int> labels, int classCount, int labelOffset)
    {
        var entries = ReadLog(accuracyLogPath);
        var seen = new HashSet<int>();
        int good = 0, duplicates = 0, unreadable = 0;
        foreach (var entry in entries)
        {
            if (entry.QslIdx < 0 || entry.QslIdx >= labels.Count)
                throw new AutomationException($"accuracy log entry seq_id={entry.SeqId} has qsl_idx {entry.QslIdx}, but there are {labels.Count} labels",
                    file: accuracyLogPath, fix: "Score the log against the labels of the data set the run used.");
            if (!seen.Add(entry.QslIdx)) { duplicates++; continue; }
            var predicted = Predict(entry, classCount, accuracyLogPath);
            if (predicted is null) unreadable++;
            else if (predicted == labels[entry.QslIdx] + labelOffset) good++;
        }
        return new AccuracyResult(good, seen.Count, duplicates, unreadable, Sha256(accuracyLogPath));
    }

    /// <summary>Scores the log and writes accuracy.txt (by default beside the log); returns the result.</summary>
    public static AccuracyResult Process(string accuracyLogPath, IReadOnlyList<byte> labels, string? outputPath = null, int classCount = 10) =>
        Process(accuracyLogPath, labels.Select(b => (int)b).ToArray(), outputPath, classCount, labelOffset: 0);

    public static AccuracyResult Process(string accuracyLogPath, IReadOnlyList<int> labels, string? outputPath, int classCount, int labelOffset)
    {
        var result = Compute(accuracyLogPath, labels, classCount, labelOffset);
        outputPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(accuracyLogPath))!, ResultFileName);
        File.WriteAllText(outputPath, result.ToAccuracyText());
        return result;
    }

    public static IReadOnlyList<AccuracyLogEntry> ReadLog(string path)
    {
        if (!File.Exists(path))
            throw new AutomationException("accuracy log not found", file: path, fix: "Run LoadGen in accuracy mode first; it writes mlperf_log_accuracy.json.");
        try
        {
            using var reader = new JsonTextReader(File.OpenText(path));
            var array = JToken.ReadFrom(reader) as JArray
                ?? throw new JsonReaderException("the top level is not an array");
            return array.Select(t => t is JObject o
                    ? new AccuracyLogEntry((ulong)o["seq_id"]!, (int)o["qsl_idx"]!, (string?)o["data"] ?? "")
                    : throw new JsonReaderException("an entry is not an object")).ToList();
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidCastException or ArgumentException)
        {
            throw new AutomationException($"accuracy log is not a JSON array of {{seq_id, qsl_idx, data}}: {ex.Message}", file: path,
                fix: "Check that the run finished; a killed run leaves the log unterminated.", inner: ex);
        }
    }

    /// <summary>The predicted class, or null for an empty response (a SUT that failed the sample).</summary>
    private static int? Predict(AccuracyLogEntry entry, int classCount, string path)
    {
        if (string.IsNullOrEmpty(entry.Data)) return null;
        byte[] bytes;
        try { bytes = Convert.FromHexString(entry.Data); }
        catch (FormatException)
        {
            throw new AutomationException($"accuracy log entry seq_id={entry.SeqId} has data that is not hex", file: path);
        }
        if (bytes.Length == sizeof(int)) return BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (bytes.Length == sizeof(float) * classCount)
        {
            var scores = MemoryMarshal.Cast<byte, float>(bytes.AsSpan()).ToArray();
            if (!BitConverter.IsLittleEndian)
                for (var i = 0; i < scores.Length; i++) scores[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
            return TensorPrimitives.IndexOfMax<float>(scores);
        }
        if (bytes.Length == sizeof(long)) return (int)BinaryPrimitives.ReadInt64LittleEndian(bytes);
        throw new AutomationException(
            $"accuracy log entry seq_id={entry.SeqId} holds {bytes.Length} bytes; expected 4 (int32 class), 8 (int64 class) or {4 * classCount} ({classCount} float32 scores)",
            file: path, fix: "Check the SUT's response format against the number of classes.");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
