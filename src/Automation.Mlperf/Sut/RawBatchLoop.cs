using System.Diagnostics;

namespace Automation.Mlperf.Sut;

public sealed record RawBatchLoopResult(int Samples, int BatchSize, TimeSpan Elapsed)
{
    public double SamplesPerSecond => Samples / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// The baseline for harness overhead: the same runner, model and samples as <see cref="OnnxRuntimeSut"/>, in a plain
/// loop with no LoadGen, queue or completion. SUT throughput divided by this is the harness efficiency.
/// </summary>
public static class RawBatchLoop
{
    /// <param name="passes">How many times to run over <paramref name="sampleIndices"/>; more passes steady the figure.</param>
    /// <param name="warmupBatches">Batches run before timing starts, so session start-up and first-run allocation are not measured.</param>
    public static RawBatchLoopResult Measure(string modelPath, ISampleSource source, IReadOnlyList<int> sampleIndices, OrtRunnerOptions options,
        int passes = 1, int warmupBatches = 2)
    {
        using var runner = new OrtBatchRunner(modelPath, options);
        var indices = sampleIndices.ToArray();
        var batch = runner.BatchSize;
        for (var w = 0; w < warmupBatches && indices.Length > 0; w++)
            runner.Run(source, indices.AsSpan(0, Math.Min(batch, indices.Length)));

        var clock = Stopwatch.StartNew();
        for (var pass = 0; pass < passes; pass++)
            for (var start = 0; start < indices.Length; start += batch)
                runner.Run(source, indices.AsSpan(start, Math.Min(batch, indices.Length - start)));
        return new RawBatchLoopResult(indices.Length * passes, batch, clock.Elapsed);
    }
}
