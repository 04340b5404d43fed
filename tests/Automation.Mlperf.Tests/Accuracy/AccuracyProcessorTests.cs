using System.Text.RegularExpressions;
using Automation.Core.Errors;
using Automation.Mlperf.Accuracy;
using Automation.Mlperf.Tests.Support;

namespace Automation.Mlperf.Tests.Accuracy;

public sealed class AccuracyProcessorTests : TempDirTest
{
    // Entry 2 is ten float32 scores peaking at class 2; entry 3 repeats sample 0; entry 4 is a failed (empty) response;
    // entry 5 is an int64 class.
    private const string Log =
        "[\n" +
        "{\"seq_id\" : 0, \"qsl_idx\" : 0, \"data\" : \"00000000\"},\n" +
        "{\"seq_id\" : 1, \"qsl_idx\" : 1, \"data\" : \"02000000\"},\n" +
        "{\"seq_id\" : 2, \"qsl_idx\" : 2, \"data\" : \"0AD7233C0AD7A33C6666663F0AD7233C0AD7233C0AD7233C0AD7233C0AD7233C0AD7233C0AD7233C\"},\n" +
        "{\"seq_id\" : 3, \"qsl_idx\" : 0, \"data\" : \"05000000\"},\n" +
        "{\"seq_id\" : 4, \"qsl_idx\" : 3, \"data\" : \"\"},\n" +
        "{\"seq_id\" : 5, \"qsl_idx\" : 4, \"data\" : \"0400000000000000\"}\n" +
        "]\n";

    // sha256sum of exactly the bytes above, taken with coreutils.
    private const string LogSha256 = "ea01d0d1b2501b01b33534ba5d294b6733a6b0f566e2b6e82682408d477e6e8a";
    private static readonly byte[] Labels = [0, 1, 2, 3, 4];

    private string WriteLog(string text)
    {
        var path = Dir.File(AccuracyProcessor.LogFileName);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ScoresEveryResponseFormatAndCountsEachSampleOnce()
    {
        var result = AccuracyProcessor.Compute(WriteLog(Log), Labels);

        Assert.Equal(3, result.Good);
        Assert.Equal(5, result.Total);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal(1, result.Unreadable);
        Assert.Equal(60.0, result.Accuracy, 9);
        Assert.Equal(LogSha256, result.Hash);
    }

    [Fact]
    public void WritesAccuracyTxtThatTheSubmissionCheckerPatternsRead()
    {
        var log = WriteLog(Log);

        AccuracyProcessor.Process(log, Labels);

        var lines = File.ReadAllLines(Dir.File("accuracy.txt"));
        Assert.Equal(["accuracy=60.000%, good=3, total=5", $"hash={LogSha256}"], lines);
        // The checker's "acc" pattern and its hash pattern (mlperf inference tools/submission).
        Assert.Equal("60.000", Regex.Match(lines[0], "^(?:\\{\"accuracy|accuracy)[\": ]*=?\\s*([\\d\\.]+).*").Groups[1].Value);
        Assert.Equal(LogSha256, Regex.Match(lines[1], "^hash=([\\w\\d]+)$").Groups[1].Value);
    }

    [Fact]
    public void EmptyLogScoresZeroOfZero()
    {
        var result = AccuracyProcessor.Compute(WriteLog("[]"), Labels);

        Assert.Equal((0, 0), (result.Good, result.Total));
        Assert.StartsWith("accuracy=0.000%, good=0, total=0\n", result.ToAccuracyText());
    }

    [Theory]
    [InlineData("[{\"seq_id\": 0, \"qsl_idx\": 9, \"data\": \"00000000\"}]", "qsl_idx 9, but there are 5 labels")]
    [InlineData("[{\"seq_id\": 0, \"qsl_idx\": 1, \"data\": \"000000\"}]", "holds 3 bytes; expected 4")]
    [InlineData("[{\"seq_id\": 0, \"qsl_idx\": 1, \"data\": \"ZZ000000\"}]", "not hex")]
    [InlineData("[{\"seq_id\": 0, \"qsl_idx\": 1, \"data\": \"00000000\"},", "not a JSON array")]
    public void RejectsBadLogsNamingTheProblem(string text, string expected)
    {
        var path = WriteLog(text);

        var ex = Assert.Throws<AutomationException>(() => AccuracyProcessor.Compute(path, Labels));

        Assert.Contains(expected, ex.Message);
        Assert.Equal(path, ex.File);
    }
}
