using System.Security.Cryptography;
using System.Text;

namespace Automation.Mlperf.Submission;

/// <summary>
/// What MLPerf's truncate_accuracy_log step does to a submission: accuracy.txt gets <c>hash=&lt;sha256 of the full
/// mlperf_log_accuracy.json&gt;</c>, and a log above the checker's 10 KiB limit is cut to its first and last 4 KiB.
/// A truncated log can no longer be checked against that hash, so the generator also records
/// <c>submitted_log_sha256=</c> (the hash of the truncated file) and the checker verifies whichever applies.
/// </summary>
public static class AccuracyLogTruncation
{
    public const int ViewableBytes = 4096;
    public const string Marker = "\n\n...\n\n";
    public const string HashPrefix = "hash=";
    public const string SubmittedHashPrefix = "submitted_log_sha256=";

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Copies the log and accuracy.txt into <paramref name="targetDir"/>, adding the hash lines and truncating.</summary>
    public static void CopyTruncated(string accuracyLog, string accuracyTxt, string targetDir)
    {
        var log = Path.Combine(targetDir, SubmissionLayout.AccuracyLog);
        var txt = Path.Combine(targetDir, SubmissionLayout.AccuracyTxt);
        var lines = File.ReadAllLines(accuracyTxt)
            .Where(l => !l.StartsWith(HashPrefix, StringComparison.Ordinal) && !l.StartsWith(SubmittedHashPrefix, StringComparison.Ordinal))
            .ToList();
        lines.Add(HashPrefix + Sha256(accuracyLog));
        var size = new FileInfo(accuracyLog).Length;
        if (size > MlperfRules.MaxAccuracyLogBytes)
        {
            File.WriteAllBytes(log, Truncate(accuracyLog, size));
            lines.Add(SubmittedHashPrefix + Sha256(log));
        }
        else
        {
            File.Copy(accuracyLog, log, overwrite: true);
        }
        File.WriteAllText(txt, string.Join('\n', lines) + "\n");
    }

    public static bool IsTruncated(string path) =>
        new FileInfo(path).Length == 2 * ViewableBytes + Marker.Length
        && File.ReadAllText(path).AsSpan(ViewableBytes, Marker.Length).SequenceEqual(Marker);

    private static byte[] Truncate(string path, long size)
    {
        var head = new byte[ViewableBytes];
        var tail = new byte[ViewableBytes];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(head);
            stream.Seek(size - ViewableBytes, SeekOrigin.Begin);
            stream.ReadExactly(tail);
        }
        return [.. head, .. Encoding.ASCII.GetBytes(Marker), .. tail];
    }
}
